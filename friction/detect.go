package friction

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/touchpoint"
)

// Weights turn each kind of friction into "cases lost" so that findings of
// different kinds rank on one scale. A drop-off is a lost customer (1);
// effort that customers survive counts for less.
var weights = map[string]float64{
	PingPong: 0.5, SlowHandoff: 0.25, ScoreDrop: 0.25, Undesigned: 0.2,
	Repeated: 0.25, Bypassable: 0.1, PassThrough: 0.05, DuplicateChan: 0.3,
	StageEffort: 0.25, ForcedSwitch: 0.3,
}

type detector struct {
	j      *journey.Journey
	res    *journey.Result
	opts   Options
	tps    []touchpoint.Touchpoint
	report *Report
	out    []Finding
}

func (d *detector) run() []Finding {
	d.dropOffs()
	d.stageDropOffs()
	d.redundant()
	d.handoffs()
	d.consistency()
	d.structural()
	d.foldEchoes()
	sortFindings(d.out)
	if d.out == nil {
		d.out = []Finding{}
	}
	return d.out
}

// foldEchoes removes a `repeated` finding that only echoes a `ping_pong`
// one: when most of a touchpoint's rework arrives by an undesigned step from
// its ping-pong partner, customers come back because they are bounced, and
// the ping-pong finding (which names both ends) is the one to act on. The
// rework count moves into its evidence.
func (d *detector) foldEchoes() {
	kept := d.out[:0]
	for _, f := range d.out {
		if f.Reason == Repeated && len(f.Touchpoints) == 1 {
			if pp := d.echoOf(f.Touchpoints[0]); pp != nil {
				pp.Evidence["rework_cases_at_"+f.Touchpoints[0]] = f.Cases
				continue
			}
		}
		kept = append(kept, f)
	}
	d.out = kept
}

// echoOf returns the ping_pong finding that explains the rework at tp, or
// nil: tp is one of its ends, and the bounce carries at least half of tp's
// rework cases (in a, b, a, b both ends are redone, whichever step brought
// the customer back).
func (d *detector) echoOf(tp string) *Finding {
	a := int32(d.j.Index(tp))
	rework := d.res.Touchpoints[a].ReworkCases
	for i := range d.out {
		f := &d.out[i]
		if f.Reason != PingPong || !slices.Contains(f.Touchpoints, tp) {
			continue
		}
		for _, other := range f.Touchpoints {
			if other == tp {
				continue
			}
			back := d.res.Transitions[[2]int32{int32(d.j.Index(other)), a}]
			if back != nil && !back.Designed && 2*back.Cases >= rework || 2*f.Cases >= rework {
				return f
			}
		}
	}
	return nil
}

func (d *detector) add(f Finding) {
	f.Severity = severity(f.Cases, d.res.Cases.Total)
	f.Score = round(f.Score, 2)
	if f.Evidence == nil {
		f.Evidence = map[string]any{}
	}
	d.out = append(d.out, f)
}

func pct(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) }

func (d *detector) name(i int) string { return d.tps[i].DisplayName() }

// dropThreshold is the max_dropoff that applies to touchpoint i: its own,
// else its stage's, else the journey's.
func (d *detector) dropThreshold(i int) (float64, bool) {
	t := d.tps[i]
	if t.Expect.HasMaxDropoff {
		return t.Expect.MaxDropoff, true
	}
	if s, ok := d.j.Stage(t.Stage); ok && s.Expect.HasMaxDropoff {
		return s.Expect.MaxDropoff, true
	}
	s := d.j.Settings()
	return s.MaxDropoff, s.HasMaxDropoff
}

// dropOffs: per non-goal touchpoint, the share of cases that gave up there
// (bounces aside) against its expected rate, or against the rest of the
// journey when no rate is expected.
func (d *detector) dropOffs() {
	type tpDrop struct{ dropped, base int64 }
	drops := make([]tpDrop, len(d.tps))
	var allDropped, allBase int64
	for i, t := range d.tps {
		if t.Goal || t.Outcome != "" { // no drop-off at a designed end
			continue
		}
		s := &d.res.Touchpoints[i]
		drops[i] = tpDrop{s.Dropped - s.Bounces, dropBase(s.Cases, s.InProgress, s.Bounces, s.Ended)}
		allDropped += drops[i].dropped
		allBase += drops[i].base
	}
	// Per stage totals: a drop-off must stand out from its own stage too,
	// since early stages (browsing) lose customers more than later ones.
	// Peers' bounces count there: they are customers leaving the stage.
	stageD := make([]int64, len(d.j.Stages()))
	stageB := make([]int64, len(d.j.Stages()))
	for i, t := range d.tps {
		if t.Goal || t.Outcome != "" {
			continue
		}
		s := &d.res.Touchpoints[i]
		si := d.j.StageIndexOf(i)
		stageD[si] += s.Dropped
		stageB[si] += s.Cases - s.InProgress - s.Ended
	}
	for i, t := range d.tps {
		dr := drops[i]
		if t.Goal || t.Outcome != "" || dr.base < int64(d.opts.MinCases) || dr.dropped == 0 {
			continue
		}
		s := &d.res.Touchpoints[i]
		r := rate(dr.dropped, dr.base)
		lo, hi := Wilson(dr.dropped, dr.base)
		ev := map[string]any{
			"reached": dr.base, "dropped": dr.dropped, "rate": round(r, 4),
			"ci95": [2]float64{round(lo, 4), round(hi, 4)}, "bounced": s.Bounces,
			"median_time_to_drop_s": secs(s.TimeToDrop.Median()),
		}
		prev, prevCount := d.topPrev(s)
		if prev != "" {
			ev["most_came_from"] = prev
			ev["most_came_from_cases"] = prevCount
		}
		from := ""
		if prev != "" && prev != "(start)" {
			from = fmt.Sprintf(" (most arrive from %s)", prev)
		}
		f := Finding{Kind: KindDropOff, Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: dr.dropped, Evidence: ev}
		if limit, ok := d.dropThreshold(i); ok {
			if lo <= limit {
				continue // not surely above what the journey expects
			}
			f.Reason = AboveExpected
			f.Score = float64(dr.dropped) - float64(dr.base)*limit
			ev["expected_max"] = limit
			f.Summary = fmt.Sprintf("%d of %d customers (%s) who reached %q give up there, above the %s the journey allows.", dr.dropped, dr.base, pct(r), d.name(i), pct(limit))
		} else {
			restD, restB := allDropped-dr.dropped, allBase-dr.base
			rest := rate(restD, restB)
			z := twoProportionZ(dr.dropped, dr.base, restD, restB)
			if restB < int64(d.opts.MinCases) || z < d.opts.OutlierZ || r < 2*rest || r-rest < 0.05 {
				continue
			}
			si := d.j.StageIndexOf(i)
			peerD, peerB := stageD[si]-s.Dropped, stageB[si]-(s.Cases-s.InProgress)
			if peerB >= int64(d.opts.MinCases) {
				peer := rate(peerD, peerB)
				pz := twoProportionZ(dr.dropped, dr.base, peerD, peerB)
				ev["rest_of_stage_rate"] = round(peer, 4)
				if pz < d.opts.OutlierZ || r < 2*peer || r-peer < 0.05 {
					continue // no worse than the rest of its stage
				}
			}
			f.Reason = Outlier
			f.Score = float64(dr.dropped) - float64(dr.base)*rest
			ev["rest_of_journey_rate"] = round(rest, 4)
			ev["z"] = round(z, 2)
			f.Summary = fmt.Sprintf("%d of %d customers (%s) who reached %q give up there, %.1f times the rate elsewhere in the journey (%s).", dr.dropped, dr.base, pct(r), d.name(i), r/math.Max(rest, 1e-9), pct(rest))
		}
		f.Recommendation = fmt.Sprintf("Watch customers at %q%s: find what stops them (a requirement, an error, a wait), remove or simplify it, and follow up with customers idle there before the %s timeout.", d.name(i), from, journey.FormatDuration(d.j.Settings().CaseTimeout))
		d.add(f)
	}
}

// topPrev names the touchpoint most dropped cases came from.
func (d *detector) topPrev(s *journey.TouchpointStats) (string, int64) {
	best, bestN := int32(-2), int64(0)
	for k, n := range s.DropPrev {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	switch {
	case best == -2:
		return "", 0
	case best == -1:
		return "(start)", bestN
	}
	return d.tps[best].ID, bestN
}

// stageDropOffs: stages with a max_dropoff of their own.
func (d *detector) stageDropOffs() {
	for si, st := range d.j.Stages() {
		if !st.Expect.HasMaxDropoff {
			continue
		}
		s := &d.res.Stages[si]
		base := dropBase(s.Cases, s.InProgress, s.Bounces, s.Ended)
		dropped := s.Dropped - s.Bounces
		if base < int64(d.opts.MinCases) || dropped == 0 {
			continue
		}
		lo, hi := Wilson(dropped, base)
		if lo <= st.Expect.MaxDropoff {
			continue
		}
		r := rate(dropped, base)
		var worst []string
		type tpd struct {
			id string
			n  int64
		}
		var list []tpd
		for i, t := range d.tps {
			ts := &d.res.Touchpoints[i]
			if t.Stage == st.ID && ts.Dropped-ts.Bounces > 0 {
				list = append(list, tpd{t.ID, ts.Dropped - ts.Bounces})
			}
		}
		slices.SortStableFunc(list, func(a, b tpd) int { return cmp.Compare(b.n, a.n) })
		for _, x := range list[:min(3, len(list))] {
			worst = append(worst, x.id)
		}
		d.add(Finding{
			Kind: KindDropOff, Reason: AboveExpected, Stage: st.ID, Touchpoints: worst, Cases: dropped,
			Score: float64(dropped) - float64(base)*st.Expect.MaxDropoff,
			Summary: fmt.Sprintf("%d of %d customers (%s) who enter the %q stage give up in it, above the %s the journey allows.",
				dropped, base, pct(r), st.DisplayName(), pct(st.Expect.MaxDropoff)),
			Recommendation: fmt.Sprintf("Start with the touchpoints where most of the stage's customers stop (%s).", strings.Join(worst, ", ")),
			Evidence:       map[string]any{"reached": base, "dropped": dropped, "rate": round(r, 4), "ci95": [2]float64{round(lo, 4), round(hi, 4)}, "expected_max": st.Expect.MaxDropoff, "scope": "stage"},
		})
	}
}
