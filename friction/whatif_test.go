package friction_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
)

// The what-if against the truth: on every scenario shape, each plant that
// loses customers (a drop-off, a bounce, a rework loop) is planted alone;
// the same traffic with nothing planted is the world where it was fixed.
// The finding's estimate of the customers it costs must land within a
// tenth of the difference in completions between the two (or 2% of the
// customers, where the difference is small and the simulation's own noise
// is that large), with the difference inside its interval; the steps it
// saves likewise.
func TestWhatIfEstimatesTheFix(t *testing.T) {
	for _, sc := range simulate.Scenarios() {
		j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
		require.NoError(t, err)
		for _, p := range sc.Plants {
			if p.Reason != "outlier" && p.Reason != "ping_pong" && p.Reason != "repeated" {
				continue
			}
			for _, n := range []int{5_000, 20_000} {
				t.Run(fmt.Sprintf("%s/%s/%s/%d", sc.Name, p.Reason, p.Touchpoints[0], n), func(t *testing.T) {
					planted := sc.Healthy()
					p.Apply(&planted)
					fixed := sc.Healthy()
					got := analyzeSimulated(t, j, planted, n, 11)
					truth := analyzeSimulated(t, j, fixed, n, 11)
					var f *friction.Finding
					for i := range got.Findings {
						g := &got.Findings[i]
						if string(g.Reason) == p.Reason && g.Touchpoints[0] == p.Touchpoints[0] || p.Reason == "outlier" && g.Kind == friction.DropOff && g.Touchpoints[0] == p.Touchpoints[0] {
							f = g
						}
					}
					require.NotNil(t, f, "the plant is found: %v", keys(got))
					require.NotNil(t, f.WhatIf, "%s has a what-if", f.Key())
					w := f.WhatIf
					gain := float64(truth.Cases.Completed - got.Cases.Completed)
					t.Logf("estimate %.0f (%.0f-%.0f) truth %.0f; steps %.0f truth %d", w.Completed, w.Low, w.High, gain, w.StepsSaved, got.Events.Replayed-truth.Events.Replayed)
					slack := math.Max(0.1*math.Abs(gain), 0.02*float64(n))
					assert.InDelta(t, gain, w.Completed, slack, "completions gained: estimate %.0f (%.0f-%.0f), truth %.0f: %s", w.Completed, w.Low, w.High, gain, w.Assumes)
					noise := 2 * math.Sqrt(float64(n)) // the truth's own: two simulations of n customers
					assert.LessOrEqual(t, w.Low-noise, gain, "the truth within the interval (and the simulation's noise)")
					assert.GreaterOrEqual(t, w.High+noise, gain, "the truth within the interval (and the simulation's noise)")
					steps := float64(got.Events.Replayed - truth.Events.Replayed)
					if p.Reason != "outlier" {
						assert.InDelta(t, steps, w.StepsSaved, math.Max(0.15*math.Abs(steps), 0.02*float64(n)), "steps saved: estimate %.0f, truth %.0f", w.StepsSaved, steps)
					}
				})
			}
		}
	}
}
