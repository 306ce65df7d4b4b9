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

// slowHandoff picks, in any scenario, the first designed handoff between
// two teams that most customers at its start take, into a touchpoint that
// is not an end.
func slowHandoff(t *testing.T, j *journey.Journey, b simulate.Behaviour) (from, to string) {
	t.Helper()
	for _, tr := range j.Transitions() {
		a, z := j.At(j.Index(tr.From)), j.At(j.Index(tr.To))
		if a.Owner != z.Owner && !z.DesignedEnd() && b.Steps[tr.From].Next[tr.To] >= 0.5 {
			if _, ok := b.Steps[tr.To]; ok {
				return tr.From, tr.To
			}
		}
	}
	t.Fatalf("%s has no handoff between teams to plant a slow drop on", j.ID())
	return "", ""
}

// A drop-off whose customers mostly give up after a slow handoff says so
// in its evidence, its summary and its recommendation; on the healthy
// twin, no drop-off blames a handoff. On every scenario shape, planted on
// a handoff chosen by the rule above, not by name.
func TestDropOffNamesTheSlowHandoffBeforeIt(t *testing.T) {
	for _, sc := range simulate.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
			require.NoError(t, err)
			b := sc.Healthy()
			from, to := slowHandoff(t, j, b)
			st := b.Steps[to]
			st.SlowDrop, st.SlowOver = 0.35, b.Steps[from].Wait
			b.Steps[to] = st

			rep := analyzeSimulated(t, j, b, 10_000, 1)
			var drop *friction.Finding
			for i, f := range rep.Findings {
				// The drop-off, or the handoff it folded into where only
				// arrivals by the handoff drop unusually.
				if f.Kind == friction.DropOff && f.Touchpoints[0] == to || f.Reason == friction.DropAfterHandoff && f.Touchpoints[1] == to {
					require.Nil(t, drop, "one finding for the customers lost at %s", to)
					drop = &rep.Findings[i]
				}
			}
			require.NotNil(t, drop, "customers lost at %s: %v", to, keys(rep))
			sh, ok := drop.Evidence["slow_handoff_before"].(map[string]any)
			require.True(t, ok, "the slow handoff before it, in evidence: %v", drop.Evidence)
			assert.Equal(t, from, sh["from"])
			assert.Greater(t, sh["slow_rate"].(float64), 3*sh["quick_rate"].(float64))
			assert.Contains(t, drop.Summary, "after a slow handoff from")
			assert.Contains(t, drop.Recommendation, "Shorten the wait")

			clean := analyzeSimulated(t, j, sc.Healthy(), 10_000, 1)
			for _, f := range clean.Findings {
				assert.NotContains(t, f.Evidence, "slow_handoff_before", "healthy: %s", f.Summary)
			}
		})
	}
}
