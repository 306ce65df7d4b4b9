package friction_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// scenarioSeeds and scenarioCases size the matrix: every scenario, planted
// and not, on each seed. 10,000 cases give the bypassable test (3 points
// of margin at 95%) the power to find a step customers really can skip.
const scenarioCases = 10000

var scenarioSeeds = []uint64{1, 2, 3, 4, 5}

// designForced are the findings the design alone can cause, on a journey
// whose customers behave well: a later stage with none of the channel
// customers used before, and the structural findings.
func designForced(f friction.Finding) bool {
	switch f.Reason {
	case friction.ForcedChannelSwitch, friction.Unused, friction.Unreachable, friction.DeadEnd:
		return true
	}
	return false
}

// matches reports whether finding f is the one plant p asks for.
func matches(f friction.Finding, p simulate.Plant) bool {
	if string(f.Kind) != p.Kind || string(f.Reason) != p.Reason {
		return false
	}
	if p.Stage != "" {
		return f.Stage == p.Stage
	}
	if len(p.Touchpoints) > 1 { // a loop or a bounce names every touchpoint of it
		for _, tp := range p.Touchpoints {
			if !slices.Contains(f.Touchpoints, tp) {
				return false
			}
		}
		return true
	}
	return len(f.Touchpoints) > 0 && f.Touchpoints[0] == p.Touchpoints[0]
}

// The scenario matrix (four journey shapes unlike the examples, each with
// five frictions planted under its own names, and with none), on several
// seeds: every planted friction is found once, with the right kind and
// reason; no high finding blames a healthy touchpoint; a healthy journey
// raises nothing medium or high but what its design forces.
func TestScenarioMatrix(t *testing.T) {
	if testing.Short() {
		t.Skip("the scenario matrix simulates 400,000 cases")
	}
	for _, sc := range simulate.Scenarios() {
		j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
		require.NoError(t, err)
		planted := map[string]bool{}
		for _, p := range sc.Plants {
			for _, tp := range p.Touchpoints {
				planted[tp] = true
			}
			if p.Stage != "" {
				for _, tp := range j.Touchpoints() {
					if tp.Stage == p.Stage {
						planted[tp.ID] = true
					}
				}
			}
		}
		for _, seed := range scenarioSeeds {
			t.Run(fmt.Sprintf("%s/seed%d", sc.Name, seed), func(t *testing.T) {
				healthy := analyzeSimulated(t, j, sc.Healthy(), scenarioCases, seed)
				forced := map[string]bool{}
				for _, f := range healthy.Findings {
					if f.Severity != friction.Low {
						assert.True(t, designForced(f), "healthy journey: %s %s: %s", f.Severity, f.Key(), f.Summary)
					}
					forced[f.Key()] = true
				}

				r := analyzeSimulated(t, j, sc.Planted(), scenarioCases, seed)
				for _, p := range sc.Plants {
					var hits []string
					for _, f := range r.Findings {
						if matches(f, p) {
							hits = append(hits, f.Key())
						}
					}
					assert.Len(t, hits, 1, "planted %s/%s at %v%s: found %v; all findings: %v", p.Kind, p.Reason, p.Touchpoints, p.Stage, hits, keys(r))
				}
				for _, f := range r.Findings {
					isPlant := slices.ContainsFunc(sc.Plants, func(p simulate.Plant) bool { return matches(f, p) })
					if f.Severity != friction.Low && !isPlant && !forced[f.Key()] {
						t.Errorf("an echo or a false alarm beside the planted frictions: %s %s: %s", f.Severity, f.Key(), f.Summary)
					}
					if f.Severity != friction.High || forced[f.Key()] {
						continue
					}
					blamed := f.Stage
					if len(f.Touchpoints) > 0 && f.Evidence["scope"] != "stage" {
						blamed = f.Touchpoints[0]
					}
					ok := planted[blamed] || slices.ContainsFunc(sc.Plants, func(p simulate.Plant) bool { return p.Stage == blamed })
					assert.True(t, ok, "a high finding blames healthy %s: %s: %s", blamed, f.Key(), f.Summary)
				}
			})
		}
	}
}
