package friction_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// A rework loop and a bounce on the same touchpoint are two causes when
// they are different customers, one when they are the same: on every
// scenario shape, the bounce alone gives one ping_pong and no repeated
// finding on its ends; the bounce with customers also redoing its second
// end right away (whether bounced or not) gives both.
func TestLoopAndBounceAreFoldedByCustomers(t *testing.T) {
	for _, sc := range simulate.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
			require.NoError(t, err)
			i := slices.IndexFunc(sc.Plants, func(p simulate.Plant) bool { return p.Reason == "ping_pong" })
			require.GreaterOrEqual(t, i, 0)
			bounce := sc.Plants[i]
			p, q := bounce.Touchpoints[0], bounce.Touchpoints[1]

			only := sc.Healthy()
			bounce.Apply(&only)
			rep := analyzeSimulated(t, j, only, 10_000, 3)
			require.Contains(t, keys(rep), "inconsistent_handoff/ping_pong/"+p+"/"+q)
			for _, f := range rep.Findings {
				if f.Reason == friction.Repeated {
					assert.False(t, slices.Contains(f.Touchpoints, p) || slices.Contains(f.Touchpoints, q), "the bounce's rework is its echo: %s", f.Summary)
				}
			}

			both := sc.Healthy()
			bounce.Apply(&both)
			st := both.Steps[q]
			st.Repeat = 0.4
			both.Steps[q] = st
			rep = analyzeSimulated(t, j, both, 10_000, 3)
			assert.Contains(t, keys(rep), "inconsistent_handoff/ping_pong/"+p+"/"+q)
			assert.Contains(t, keys(rep), "redundant_touchpoint/repeated/"+q, "customers who redo %s without being bounced are a cause of their own", q)
		})
	}
}
