package friction

import (
	"fmt"
	"math"
	"time"

	"github.com/journeymap/journeymap/internal/prose"
	"github.com/journeymap/journeymap/journey"
)

// slowSteps raises what the journey file's time expectations promise:
// slow_touchpoint where customers stay at a touchpoint longer than its
// max_dwell, slow_stage where they take longer over a stage than its
// max_duration. As for slow_handoff, the median is over the limit surely:
// more than half of the visits (or of the cases in the stage) exceed it,
// by a sign test at 95% (the Wilson lower bound of the share over it is
// above one half). A stage is slow only where no slow touchpoint or
// handoff in it already explains it (see foldSlowStages).
func (d *detector) slowSteps() {
	minCases := int64(d.opts.MinCases)
	for i, t := range d.tps {
		limit := t.Expect.MaxDwell
		ts := &d.res.Touchpoints[i]
		if limit <= 0 {
			continue
		}
		n := ts.Dwell.Count()
		over := ts.Dwell.CountAbove(limit)
		if ts.Cases < minCases || n < minCases {
			continue // listed by insufficient
		}
		d.measure(keyOf(SlowStep, SlowTouchpoint, t.ID), over, n)
		if lo, _ := Wilson(over, n); lo <= 0.5 {
			continue
		}
		med := ts.Dwell.Median()
		d.add(Finding{
			Kind: SlowStep, Reason: SlowTouchpoint, Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: ts.Cases,
			Score: weights[SlowTouchpoint] * float64(ts.Cases) * slowness(med, limit),
			Summary: fmt.Sprintf("Customers stay a median %s at %q, over the %s the journey allows: %s of the %d visits are longer.",
				prose.Seconds(med.Seconds()), d.name(i), journey.FormatDuration(limit), prose.Percent(rate(over, n)), n),
			Recommendation: fmt.Sprintf("Find what keeps customers at %q (a form to fill, a queue, a missing answer) and shorten it; %s owns it.", d.name(i), orNone(t.Owner)),
			Evidence:       map[string]any{"visits": n, "median_dwell_s": secs(med), "p90_dwell_s": secs(ts.Dwell.Quantile(0.9)), "max_dwell_s": secs(limit), "visits_over": over},
		})
	}
	for si, st := range d.j.Stages() {
		limit := st.Expect.MaxDuration
		if limit <= 0 {
			continue
		}
		s := &d.res.Stages[si]
		n := s.Elapsed.Count()
		over := s.Elapsed.CountAbove(limit)
		key := Finding{Kind: SlowStep, Reason: SlowStage, Stage: st.ID, Evidence: map[string]any{"scope": "stage"}}.Key()
		if n < minCases {
			continue // listed by insufficient
		}
		d.measure(key, over, n)
		if lo, _ := Wilson(over, n); lo <= 0.5 {
			continue
		}
		med := s.Elapsed.Median()
		d.add(Finding{
			Kind: SlowStep, Reason: SlowStage, Stage: st.ID, Cases: n,
			Score: weights[SlowStage] * float64(n) * slowness(med, limit),
			Summary: fmt.Sprintf("Customers take a median %s over the %q stage, over the %s the journey allows: %s of the %d who go through it take longer.",
				prose.Seconds(med.Seconds()), st.DisplayName(), journey.FormatDuration(limit), prose.Percent(rate(over, n)), n),
			Recommendation: fmt.Sprintf("Follow a few customers through %q to see where the time goes: no single touchpoint or handoff in it stands out, so the waits are spread across it.", st.DisplayName()),
			Evidence:       map[string]any{"cases": n, "median_elapsed_s": secs(med), "p90_elapsed_s": secs(s.Elapsed.Quantile(0.9)), "max_duration_s": secs(limit), "cases_over": over, "scope": "stage"},
		})
	}
}

// slowness weighs a slow step by how far its median is over the limit:
// from 1 at the limit to 2 at twice it and beyond.
func slowness(median, limit time.Duration) float64 {
	return math.Min(2, 1+(median-limit).Hours()/limit.Hours())
}

// foldSlowStages keeps the most specific cause of a slow stage: where a
// slow touchpoint or a slow handoff inside the stage is found, the
// stage's slowness is its consequence, recorded in that finding's
// evidence, not a finding of its own.
func (d *detector) foldSlowStages() {
	kept := d.out[:0]
	var folded []Finding
	for _, f := range d.out {
		if f.Reason == SlowStage && d.slowInside(f.Stage) {
			folded = append(folded, f)
			continue
		}
		kept = append(kept, f)
	}
	d.out = kept
	for _, s := range folded {
		for k := range d.out {
			f := &d.out[k]
			if (f.Reason == SlowTouchpoint || f.Reason == SlowHandoff) && f.Stage == s.Stage {
				f.Evidence["stage_median_elapsed_s"] = s.Evidence["median_elapsed_s"]
				f.Evidence["stage_max_duration_s"] = s.Evidence["max_duration_s"]
			}
		}
	}
}

func (d *detector) slowInside(stage string) bool {
	for _, f := range d.out {
		if (f.Reason == SlowTouchpoint || f.Reason == SlowHandoff) && f.Stage == stage {
			return true
		}
	}
	return false
}
