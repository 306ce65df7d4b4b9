package friction

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every reason a finding can have is raised by a detector of the table,
// which says so: a new reason without its row fails here.
func TestDetectorTableCoversEveryReason(t *testing.T) {
	src, err := os.ReadFile("finding.go")
	require.NoError(t, err)
	declared := regexp.MustCompile(`Reason = "([a-z_]+)"`).FindAllSubmatch(src, -1)
	require.NotEmpty(t, declared)
	raisedBy := map[Reason][]string{}
	for _, det := range detectors {
		for _, r := range det.raises {
			raisedBy[r] = append(raisedBy[r], det.name)
		}
	}
	for _, m := range declared {
		r := Reason(m[1])
		assert.NotEmpty(t, raisedBy[r], "reason %q has no detector in the table", r)
	}
	assert.Len(t, raisedBy, len(declared), "the table names only declared reasons")
	for _, det := range detectors {
		for r := range det.weights {
			assert.Contains(t, det.raises, r, "detector %q weighs %q, which it does not raise", det.name, r)
		}
	}
	assert.Len(t, weights, 12, "every reason about effort has its weight")
}
