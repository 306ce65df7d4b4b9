package friction_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// A shortcut past a skippable step is one finding, `bypassable`, on every
// scenario shape, whether or not it crosses a team boundary: the
// undesigned step it takes, and any bounce across its two ends, are its
// evidence, and nothing high blames the touchpoints it joins.
func TestShortcutIsOneFinding(t *testing.T) {
	for _, sc := range simulate.Scenarios() {
		for _, p := range sc.Plants {
			if p.Reason != "bypassable" {
				continue
			}
			t.Run(sc.Name+"/"+p.Touchpoints[0], func(t *testing.T) {
				j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
				require.NoError(t, err)
				b := sc.Healthy()
				p.Apply(&b)
				rep := analyzeSimulated(t, j, b, 10_000, 5)
				require.Contains(t, keys(rep), "redundant_touchpoint/bypassable/"+p.Touchpoints[0])
				for _, f := range rep.Findings {
					if f.Reason == friction.Undesigned || f.Reason == friction.PingPong {
						assert.NotContains(t, f.Touchpoints, p.Touchpoints[0], "the shortcut's echo: %s", f.Summary)
					}
					if f.Severity == friction.High && !designForced(f) {
						assert.Equal(t, friction.Bypassable, f.Reason, "nothing high but the planted cause: %s", f.Summary)
					}
				}
			})
		}
	}
}
