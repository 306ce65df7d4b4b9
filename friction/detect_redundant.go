package friction

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/journeymap/journeymap/internal/prose"
	"github.com/journeymap/journeymap/replay"
)

// repeated is the `repeated` finding of touchpoint i, where many cases
// meet it again outside the loops the design has (coming back along a
// designed transition is by design): the share of its cases with rework
// is surely above Options.MaxRepeatShare.
func (d *detector) repeated(i int) (Finding, bool) {
	s := &d.res.Touchpoints[i]
	if s.Cases < int64(d.opts.MinCases) || s.ReworkCases == 0 {
		return Finding{}, false
	}
	share := rate(s.ReworkCases, s.Cases)
	lo, hi := Wilson(s.ReworkCases, s.Cases)
	if lo <= d.opts.MaxRepeatShare {
		return Finding{}, false
	}
	t := d.tps[i]
	ev := map[string]any{"extra_visits": s.ExtraVisits, "median_dwell_s": secs(s.Dwell.Median()), "visits": s.Visits}
	ev["rework_cases"], ev["repeat_cases"], ev["cases"], ev["share"], ev["ci95"] = s.ReworkCases, s.RepeatCases, s.Cases, round(share, 4), [2]float64{round(lo, 4), round(hi, 4)}
	ev["expected_max"] = d.opts.MaxRepeatShare
	return Finding{
		Kind: RedundantTouchpoint, Reason: Repeated, Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: s.ReworkCases,
		Score:          weights[Repeated] * float64(s.ReworkCases),
		Summary:        fmt.Sprintf("%d of %d customers (%s) have to go through %q again, which the journey does not plan for: %d extra visits in all.", s.ReworkCases, s.Cases, prose.Percent(share), d.name(i), s.ExtraVisits),
		Recommendation: fmt.Sprintf("Find why customers come back to %q (re-verifying, re-entering or re-explaining what the business already knows) and carry the answer forward instead of asking again.", d.name(i)),
		Evidence:       ev,
	}, true
}

// redundant finds touchpoints that cost customers effort without changing
// the outcome.
func (d *detector) redundant() {
	minCases := int64(d.opts.MinCases)
	for i, t := range d.tps {
		s := &d.res.Touchpoints[i]
		cost := map[string]any{"extra_visits": s.ExtraVisits, "median_dwell_s": secs(s.Dwell.Median()), "visits": s.Visits}

		// repeated: many cases meet it again outside the loops the design
		// has (coming back along a designed transition is by design).
		if s.Cases >= minCases {
			d.measure(keyOf(RedundantTouchpoint, Repeated, t.ID), s.ReworkCases, s.Cases)
		}
		if f, ok := d.repeated(i); ok {
			d.add(f)
		}

		// bypassable: skipping it is not worse than going through, by a
		// non-inferiority test: the completion rate of the cases that skip
		// it is above that of the cases that meet it less BypassMargin, at
		// 95% confidence (one-sided z on the difference, unpooled).
		if !t.Entry && !t.Goal && t.Outcome == "" && s.SkippedCases >= minCases && s.Cases >= minCases {
			d.measure(keyOf(RedundantTouchpoint, Bypassable, t.ID), s.Cases, s.Cases+s.SkippedCases)
			skipRate := rate(s.SkippedCompleted, s.SkippedCases)
			thruRate := rate(s.Completed, s.Cases)
			margin := d.opts.BypassMargin
			se := math.Sqrt(skipRate*(1-skipRate)/float64(s.SkippedCases) + thruRate*(1-thruRate)/float64(s.Cases))
			diff := skipRate - thruRate + margin
			z := math.Inf(1)
			if se > 0 {
				z = diff / se
			}
			if diff > 0 && z >= z90 {
				ev := maps.Clone(cost)
				ev["skipped_cases"], ev["skipped_completion"] = s.SkippedCases, round(skipRate, 4)
				ev["through_cases"], ev["through_completion"] = s.Cases, round(thruRate, 4)
				ev["margin"] = margin
				ev["p_worse_by_margin"] = round(1-normalCDF(math.Min(z, 40)), 4) // one-sided p of "skipping is worse by the margin"
				d.add(Finding{
					Kind: RedundantTouchpoint, Reason: Bypassable, Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: s.Cases,
					Score:          weights[Bypassable] * float64(s.Cases),
					Summary:        fmt.Sprintf("%d customers skip %q and %s of them complete, against %s of the %d who go through it: skipping it is not worse (by more than %s, at 95%% confidence).", s.SkippedCases, d.name(i), prose.Percent(skipRate), prose.Percent(thruRate), s.Cases, prose.Percent(margin)),
					Recommendation: fmt.Sprintf("Consider making %q optional or removing it: skipping it does not hurt completion, and each visit costs a median %s.", d.name(i), prose.Seconds(secs(s.Dwell.Median()))),
					Evidence:       ev,
				})
			}
		}

		// pass_through: every case goes straight through, same owner and
		// channel on both sides.
		if !t.Entry && !t.Goal && t.Outcome == "" && s.Cases >= minCases {
			if p, q, ok := d.straightThrough(i); ok {
				d.measure(keyOf(RedundantTouchpoint, PassThrough, d.tps[p].ID, t.ID, d.tps[q].ID), s.Cases, d.res.Cases.Total)
				ev := maps.Clone(cost)
				ev["from"], ev["to"] = d.tps[p].ID, d.tps[q].ID
				d.add(Finding{
					Kind: RedundantTouchpoint, Reason: PassThrough, Touchpoints: []string{d.tps[p].ID, t.ID, d.tps[q].ID}, Stage: t.Stage, Cases: s.Cases,
					Score:          weights[PassThrough] * float64(s.Cases),
					Summary:        fmt.Sprintf("Every customer goes straight from %q through %q to %q, all on %s with %s: a step that adds nothing.", d.name(p), d.name(i), d.name(q), orNone(t.Channel), orNone(t.Owner)),
					Recommendation: fmt.Sprintf("Merge %q into %q or %q.", d.name(i), d.name(p), d.name(q)),
					Evidence:       ev,
				})
			}
		}
	}
	d.duplicateChannels()
}

func orNone(s string) string {
	if s == "" {
		return "(unset)"
	}
	return s
}

// straightThrough reports whether at least 95% of the steps into touchpoint
// i come from one touchpoint p and 95% of those out of it go to one q, with
// almost no drop-off there, and p, i and q share owner and channel.
func (d *detector) straightThrough(i int) (p, q int, ok bool) {
	// The busiest step in and out, and all steps in and out, self-loops
	// aside; O(degree) with the detector's index.
	top := func(trs []*replay.TransitionStats, end func(*replay.TransitionStats) int32) (best int32, n, all int64) {
		best = -1
		for _, tr := range trs {
			if tr.From == tr.To {
				continue
			}
			all += tr.Count
			if tr.Count > n { // in index order, so the lowest index wins ties
				best, n = end(tr), tr.Count
			}
		}
		return best, n, all
	}
	pi, pn, in := top(d.stepsIn[i], func(tr *replay.TransitionStats) int32 { return tr.From })
	qi, qn, out := top(d.stepsOut[i], func(tr *replay.TransitionStats) int32 { return tr.To })
	s := &d.res.Touchpoints[i]
	if pi < 0 || qi < 0 || pi == qi || rate(pn, in) < 0.95 || rate(qn, out) < 0.95 || rate(s.Dropped, s.Cases) > 0.02 || s.RepeatCases > 0 {
		return 0, 0, false
	}
	a, b, c := d.tps[pi], d.tps[i], d.tps[qi]
	if a.Owner != b.Owner || b.Owner != c.Owner || a.Channel != b.Channel || b.Channel != c.Channel {
		return 0, 0, false
	}
	return int(pi), int(qi), true
}

// duplicateChannels: two touchpoints of one stage on different channels
// that serve the same purpose (their designed next steps are mostly the
// same) both met by many cases.
func (d *detector) duplicateChannels() {
	n := len(d.tps)
	type pair struct{ a, b int }
	var pairs []pair
	succ, pred := make([][]string, n), make([][]string, n)
	for i, t := range d.tps {
		succ[i], pred[i] = d.j.Successors(t.ID), d.j.Predecessors(t.ID)
	}
	// Alternatives share a designed predecessor (their predecessors
	// overlap by half at least): the candidates are the pairs of each
	// touchpoint's successors, O(sum of out-degrees squared), not every
	// pair of a stage.
	seen := map[pair]bool{}
	for p := range d.tps {
		next := d.j.Successors(d.tps[p].ID)
		for x := range next {
			for y := x + 1; y < len(next); y++ {
				a, b := d.j.Index(next[x]), d.j.Index(next[y])
				a, b = min(a, b), max(a, b)
				ta, tb := d.tps[a], d.tps[b]
				// Alternatives, not steps of one sequence: neither leads to the other.
				if seen[pair{a, b}] || ta.Stage != tb.Stage || ta.Channel == tb.Channel || ta.Goal || tb.Goal ||
					d.j.IsDesignedIndex(a, b) || d.j.IsDesignedIndex(b, a) {
					continue
				}
				seen[pair{a, b}] = true
				// Same purpose: reached from the same places, leading to the same places.
				if jaccard(succ[a], succ[b]) >= 0.5 && jaccard(pred[a], pred[b]) >= 0.5 {
					pairs = append(pairs, pair{a, b})
				}
			}
		}
	}
	slices.SortFunc(pairs, func(x, y pair) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	if len(pairs) == 0 {
		return
	}
	both := make([]int64, len(pairs))
	either := make([]int64, len(pairs))
	for k, p := range pairs {
		both[k] = d.res.MetBoth(p.a, p.b)
		either[k] = d.res.Touchpoints[p.a].Cases + d.res.Touchpoints[p.b].Cases - both[k]
	}
	for k, p := range pairs {
		d.measure(keyOf(RedundantTouchpoint, DuplicateChannel, d.tps[p.a].ID, d.tps[p.b].ID), both[k], either[k])
		if both[k] < int64(d.opts.MinCases) || rate(both[k], either[k]) < 0.2 {
			continue
		}
		ta, tb := d.tps[p.a], d.tps[p.b]
		share := rate(both[k], either[k])
		d.add(Finding{
			Kind: RedundantTouchpoint, Reason: DuplicateChannel, Touchpoints: []string{ta.ID, tb.ID}, Stage: ta.Stage, Cases: both[k],
			Score:          weights[DuplicateChannel] * float64(both[k]),
			Summary:        fmt.Sprintf("%d customers (%s of those who use either) go through both %q (%s) and %q (%s), which come from and lead to the same places: the same request made twice on two channels.", both[k], prose.Percent(share), ta.DisplayName(), orNone(ta.Channel), tb.DisplayName(), orNone(tb.Channel)),
			Recommendation: fmt.Sprintf("Make one of %q and %q finish the job, or pass what the customer already said from one to the other so they need not repeat it.", ta.DisplayName(), tb.DisplayName()),
			Evidence:       map[string]any{"cases_both": both[k], "cases_either": either[k], "share": round(share, 4), "channels": []string{ta.Channel, tb.Channel}},
		})
	}
}

func jaccard(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// structural findings come from the design alone, and cost nothing until
// customers meet them, so they score 0 and rank last.
func (d *detector) structural() {
	ends := d.reachesAnEnd()
	for i, t := range d.tps {
		s := &d.res.Touchpoints[i]
		switch {
		case !d.j.Reachable(t.ID):
			d.add(Finding{Kind: RedundantTouchpoint, Reason: Unreachable, Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: s.Cases,
				Summary:        fmt.Sprintf("No designed path leads from an entry to %q.", t.DisplayName()),
				Recommendation: fmt.Sprintf("Add the transition customers take into %q, or remove it from the map.", t.DisplayName()),
				Evidence:       map[string]any{"visits": s.Visits}})
		case s.Visits == 0 && d.res.Cases.Total >= int64(d.opts.MinCases):
			d.add(Finding{Kind: RedundantTouchpoint, Reason: Unused, Touchpoints: []string{t.ID}, Stage: t.Stage,
				Summary:        fmt.Sprintf("%q is on the map but none of the %d customers met it.", t.DisplayName(), d.res.Cases.Total),
				Recommendation: fmt.Sprintf("Check that events for %q are logged (add its event name to match:), or remove it from the map.", t.DisplayName()),
				Evidence:       map[string]any{"cases_in_log": d.res.Cases.Total}})
		}
		if !t.Goal && t.Outcome == "" && !ends[i] {
			d.add(Finding{Kind: RedundantTouchpoint, Reason: DeadEnd, Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: s.Cases,
				Summary:        fmt.Sprintf("No designed path leads from %q to a goal or a designed end: customers there can only give up or find their own way.", t.DisplayName()),
				Recommendation: fmt.Sprintf("Add the transition that takes customers from %q towards a goal.", t.DisplayName()),
				Evidence:       map[string]any{"visits": s.Visits, "dropped": s.Dropped}})
		}
	}
}

// reachesAnEnd marks the touchpoints with a designed path to a goal or a
// designed end: one breadth-first search backwards from all of them, O(n+E).
func (d *detector) reachesAnEnd() []bool {
	ok := make([]bool, len(d.tps))
	var queue []int
	for i, t := range d.tps {
		if t.DesignedEnd() {
			ok[i] = true
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		i := queue[0]
		queue = queue[1:]
		for _, p := range d.j.Predecessors(d.tps[i].ID) {
			if k := d.j.Index(p); !ok[k] {
				ok[k] = true
				queue = append(queue, k)
			}
		}
	}
	return ok
}
