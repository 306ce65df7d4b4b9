package friction

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journeymap/journeymap/internal/prose"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
	"github.com/journeymap/journeymap/touchpoint"
)

// Weights turn each kind of friction into "cases lost" so that findings of
// different kinds rank on one scale. A drop-off is a lost customer (1);
// effort that customers survive counts for less.
// Efficiency findings (a step to merge or make optional) weigh least: a
// minute saved is not a customer kept.
// Each detector's row of the detectors table declares the weights of
// the reasons it raises; they are gathered here once, at start-up (a
// function, not a variable's initialiser: the detectors read weights).
var weights = map[Reason]float64{}

func init() {
	for _, det := range detectors {
		for r, v := range det.weights {
			weights[r] = v
		}
	}
}

type detector struct {
	j      *journey.Journey
	res    *replay.Result
	opts   Options
	tps    []touchpoint.Touchpoint
	report *Report
	out    []Finding
	// measures: the rate behind every finding weighed, by key (Report.Measures).
	measures map[string]Measure

	// The observed transitions, indexed once: every key in (from, to)
	// order, and each touchpoint's steps in and out in the same order, so
	// that no detector scans all transitions per touchpoint.
	keys     [][2]int32
	stepsIn  [][]*replay.TransitionStats
	stepsOut [][]*replay.TransitionStats
}

// index builds the detector's indexes: O(T log T) for T observed
// transitions, once.
func (d *detector) index() {
	d.keys = sortedTransitions(d.res)
	d.stepsIn = make([][]*replay.TransitionStats, len(d.tps))
	d.stepsOut = make([][]*replay.TransitionStats, len(d.tps))
	for _, k := range d.keys {
		tr := d.res.Transitions[k]
		d.stepsOut[tr.From] = append(d.stepsOut[tr.From], tr)
		d.stepsIn[tr.To] = append(d.stepsIn[tr.To], tr)
	}
}

// measure records the rate behind a candidate finding, raised or not, so
// that two reports can be compared on it.
func (d *detector) measure(key string, k, n int64) {
	if n > 0 {
		d.measures[key] = Measure{K: k, N: n}
	}
}

// detectors are the friction detectors, in the order they run: each
// reads the replay's aggregates and raises findings with d.add. Adding a
// detector is a file with its method and a row here.
var detectors = []struct {
	name   string
	reads  string
	raises []Reason
	// weights are the score a case of each reason about effort counts
	// for (a finding that loses customers scores the customers lost).
	weights map[Reason]float64
	run     func(*detector)
}{
	{"drop-offs", "touchpoints' drops against their expect and the rest of the journey", []Reason{AboveExpected, Outlier}, nil, (*detector).dropOffs},
	{"stage drop-offs", "stages' drops against their max_dropoff", []Reason{AboveExpected}, nil, (*detector).stageDropOffs},
	{"redundant touchpoints", "rework, skips, pass-throughs, channels met twice", []Reason{Repeated, Bypassable, PassThrough, DuplicateChannel}, map[Reason]float64{Repeated: 0.25, Bypassable: 0.02, PassThrough: 0.01, DuplicateChannel: 0.3}, (*detector).redundant},
	{"handoffs", "steps that change owner or channel: bounces, waits, scores, drops after", []Reason{PingPong, SlowHandoff, ScoreDrop, DropAfterHandoff, Undesigned}, map[Reason]float64{PingPong: 0.5, SlowHandoff: 0.25, ScoreDrop: 0.25, Undesigned: 0.2}, (*detector).handoffs},
	{"consistency", "the stage pairs of consistency: effort and channels", []Reason{StageEffort, ForcedChannelSwitch}, map[Reason]float64{StageEffort: 0.1, ForcedChannelSwitch: 0.3}, (*detector).consistency},
	{"structure", "the design itself", []Reason{Unused, Unreachable, DeadEnd}, nil, (*detector).structural},
	{"slow steps", "touchpoints' dwell against max_dwell, stages' time against max_duration", []Reason{SlowTouchpoint, SlowStage}, map[Reason]float64{SlowTouchpoint: 0.25, SlowStage: 0.25}, (*detector).slowSteps},
}

// folds make one finding of the same customers' one cause (contract
// 4.4), in order: each folds what it names into the finding it keeps, as
// evidence.
var folds = []struct {
	name, folds string
	run         func(*detector)
}{
	{"loops", "repeated touchpoints customers circle through together, into one loop", (*detector).foldLoops},
	{"echoes", "a bounce's rework (the same customers) and its step back, into the ping_pong", (*detector).foldEchoes},
	{"shortcuts", "an undesigned step across a skippable one, into the bypassable finding", (*detector).foldShortcuts},
	{"slow stages", "a slow stage into the slow touchpoint or handoff inside it", (*detector).foldSlowStages},
	{"consequences", "score drops into bounces, bounces across shortcuts, drops after handoffs and drop-offs into each other", (*detector).foldConsequences},
}

func (d *detector) run() []Finding {
	d.index()
	for _, det := range detectors {
		det.run(d)
	}
	for _, f := range folds {
		f.run(d)
	}
	sortFindings(d.out)
	if d.out == nil {
		d.out = []Finding{}
	}
	return d.out
}

// foldEchoes removes what only echoes a `ping_pong` finding: a `repeated`
// touchpoint or loop whose rework the bounce explains (customers come back
// because they are bounced), and the `undesigned` step that is the bounce
// itself (B back to A). The ping-pong finding, which names both ends, is
// the one to act on; the echoes' counts move into its evidence.
func (d *detector) foldEchoes() {
	kept := make([]Finding, 0, len(d.out)) // not in place: a loop may give back more than one finding
	for _, f := range d.out {
		switch f.Reason {
		case Repeated:
			pp := d.echoOf(f)
			if pp == nil {
				break
			}
			// The same touchpoints are not enough: the same customers must
			// be behind both. A touchpoint where the customers never
			// bounced redo it more than the journey allows is a cause of
			// its own, and stays a finding, alone.
			var alone []int
			for _, tp := range f.Touchpoints {
				if i := d.j.Index(tp); d.reworkStandsAlone(i) {
					alone = append(alone, i)
				}
			}
			if len(alone) == len(f.Touchpoints) {
				break
			}
			for _, tp := range f.Touchpoints {
				if !slices.Contains(alone, d.j.Index(tp)) {
					pp.Evidence["rework_cases_at_"+tp] = d.res.Touchpoints[d.j.Index(tp)].ReworkCases
				}
			}
			for _, i := range alone {
				if single, ok := d.repeated(i); ok {
					kept = append(kept, single)
				}
			}
			continue
		case Undesigned:
			if pp := d.bounceOf(f.Touchpoints[0], f.Touchpoints[1]); pp != nil {
				pp.Evidence["undesigned_step_cases"] = f.Cases
				continue
			}
		}
		kept = append(kept, f)
	}
	d.out = kept
}

// echoOf returns the ping_pong finding that explains the rework of a
// repeated finding, or nil. A loop and a bounce are one cause only where
// they are the same customers on the same touchpoints: every touchpoint
// the finding redoes is one the bounce passes between, and the bounce
// carries at least half of its rework cases (in a, b, a, b both ends are
// redone, whichever step brought the customer back), or the undesigned
// step back carries half of a touchpoint's rework. A loop through a
// touchpoint the bounce never visits is a cause of its own.
func (d *detector) echoOf(f Finding) *Finding {
	for i := range d.out {
		pp := &d.out[i]
		if pp.Reason != PingPong {
			continue
		}
		ends := bounceEnds(pp)
		if !allIn(f.Touchpoints, ends) {
			continue
		}
		if 2*pp.Cases >= f.Cases {
			return pp
		}
		for _, tp := range f.Touchpoints {
			a := int32(d.j.Index(tp))
			for _, other := range ends {
				back := d.res.Transitions[[2]int32{int32(d.j.Index(other)), a}]
				if other != tp && back != nil && !back.Designed && 2*back.Cases >= d.res.Touchpoints[a].ReworkCases {
					return pp
				}
			}
		}
	}
	return nil
}

// reworkStandsAlone reports whether the rework at touchpoint i of the
// customers never bounced across a transition ending at it is surely above
// Options.MaxRepeatShare (the repeated test, on them alone).
func (d *detector) reworkStandsAlone(i int) bool {
	s := &d.res.Touchpoints[i]
	k, n := s.ReworkCases-s.BouncedRework, s.Cases-s.BouncedCases
	if n < int64(d.opts.MinCases) || k <= 0 {
		return false
	}
	lo, _ := Wilson(k, n)
	return lo > d.opts.MaxRepeatShare
}

// bounceEnds lists the touchpoints a ping_pong finding bounces between:
// its own pair and the pairs of the same teams it lists.
func bounceEnds(pp *Finding) []string {
	ends := slices.Clone(pp.Touchpoints)
	if also, ok := pp.Evidence["also_between"].([][2]string); ok {
		for _, p := range also {
			ends = append(ends, p[0], p[1])
		}
	}
	return ends
}

func allIn(xs, set []string) bool {
	for _, x := range xs {
		if !slices.Contains(set, x) {
			return false
		}
	}
	return len(xs) > 0
}

// bounceOf returns the ping_pong finding between a and b (either way, or
// among the pairs it lists), or nil.
func (d *detector) bounceOf(a, b string) *Finding {
	for i := range d.out {
		pp := &d.out[i]
		if pp.Reason != PingPong {
			continue
		}
		pairs := [][2]string{{pp.Touchpoints[0], pp.Touchpoints[1]}}
		if also, ok := pp.Evidence["also_between"].([][2]string); ok {
			pairs = append(pairs, also...)
		}
		for _, p := range pairs {
			if p == [2]string{a, b} || p == [2]string{b, a} {
				return pp
			}
		}
	}
	return nil
}

func (d *detector) add(f Finding) {
	f.Score = round(f.Score, 2)
	f.Severity = d.gradeOf(f)
	if f.Evidence == nil {
		f.Evidence = map[string]any{}
	}
	d.out = append(d.out, f)
}

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
		if t.DesignedEnd() { // no drop-off at a designed end
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
		if t.DesignedEnd() {
			continue
		}
		s := &d.res.Touchpoints[i]
		si := d.j.StageIndexOf(i)
		stageD[si] += s.Dropped
		stageB[si] += s.Cases - s.InProgress - s.Ended
	}
	for i, t := range d.tps {
		dr := drops[i]
		if t.DesignedEnd() || dr.base < int64(d.opts.MinCases) || dr.dropped == 0 {
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
		if routes := d.routesIn(i); len(routes) > 1 {
			ev["arrivals_by_route"] = routes
		}
		f := Finding{Kind: DropOff, Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: dr.dropped, Evidence: ev}
		limit, hasLimit := d.dropThreshold(i)
		if hasLimit {
			d.measure(keyOf(DropOff, AboveExpected, t.ID), dr.dropped, dr.base)
		} else {
			d.measure(keyOf(DropOff, Outlier, t.ID), dr.dropped, dr.base)
		}
		if hasLimit {
			if lo <= limit {
				continue // not surely above what the journey expects
			}
			f.Reason = AboveExpected
			f.Score = float64(dr.dropped) - float64(dr.base)*limit
			ev["expected_max"] = limit
			f.Summary = fmt.Sprintf("%d of %d customers (%s) who reached %q give up there, above the %s the journey allows.", dr.dropped, dr.base, prose.Percent(r), d.name(i), prose.Percent(limit))
		} else {
			restD, restB := allDropped-dr.dropped, allBase-dr.base
			rest := rate(restD, restB)
			z := twoProportionZ(dr.dropped, dr.base, restD, restB)
			if restB < int64(d.opts.MinCases) || z < d.opts.OutlierZ || r < 2*rest || r-rest < 0.05 {
				continue
			}
			// The z statistic is a normal approximation, poor where few
			// drops are expected: the exact binomial tail must agree.
			if binomialUpper(dr.dropped, dr.base, rest) > normalCDF(-d.opts.OutlierZ) {
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
			f.Summary = fmt.Sprintf("%d of %d customers (%s) who reached %q give up there, %.1f times the rate elsewhere in the journey (%s).", dr.dropped, dr.base, prose.Percent(r), d.name(i), r/math.Max(rest, 1e-9), prose.Percent(rest))
		}
		f.Recommendation = fmt.Sprintf("Watch customers at %q%s: find what stops them (a requirement, an error, a wait), remove or simplify it, and follow up with customers idle there before the %s timeout.", d.name(i), from, journey.FormatDuration(d.j.Settings().CaseTimeout))
		if sh := d.slowHandoffBefore(i); sh != nil {
			sev := sh.evidence(d)
			ev["slow_handoff_before"] = sev
			f.Summary += " " + d.slowSentence(sev)
			f.Recommendation = d.slowAdvice(sev, i) + f.Recommendation
		}
		d.add(f)
	}
}

// slowSplit is the drop rate after a handoff into a touchpoint, split by
// whether the wait was over a threshold.
type slowSplit struct {
	from                int32
	threshold           time.Duration
	thresholdIs         string // "max_wait" or "median"
	slow, slowDropped   int64
	quick, quickDropped int64
	z                   float64
}

func (s *slowSplit) evidence(d *detector) map[string]any {
	return map[string]any{
		"from": d.tps[s.from].ID, "threshold_s": secs(s.threshold), "threshold_is": s.thresholdIs,
		"slow_arrivals": s.slow, "slow_dropped": s.slowDropped, "slow_rate": round(rate(s.slowDropped, s.slow), 4),
		"quick_arrivals": s.quick, "quick_dropped": s.quickDropped, "quick_rate": round(rate(s.quickDropped, s.quick), 4),
		"z": round(s.z, 2),
	}
}

// slowSentence says, from a slow_handoff_before evidence, that most who
// give up do so after a slow wait.
func (d *detector) slowSentence(ev map[string]any) string {
	from, _ := ev["from"].(string)
	return fmt.Sprintf("Most who give up do so after a slow handoff from %q: %s of the customers who waited over %s dropped, against %s after a shorter wait.",
		d.name(d.j.Index(from)), prose.Percent(ev["slow_rate"].(float64)), prose.Seconds(ev["threshold_s"].(float64)), prose.Percent(ev["quick_rate"].(float64)))
}

// slowAdvice is the recommendation's first sentence for a drop after a
// slow handoff.
func (d *detector) slowAdvice(ev map[string]any, at int) string {
	from, _ := ev["from"].(string)
	return fmt.Sprintf("Shorten the wait from %q to %q first: customers who wait over %s there give up far more often. ", d.name(d.j.Index(from)), d.name(at), prose.Seconds(ev["threshold_s"].(float64)))
}

// slowHandoffBefore finds, among the handoffs into touchpoint i, the one
// after whose slow waits customers drop there significantly more than
// after its quick ones: slow means over the step's max_wait (the
// journey's or the transition's), or where none is set, over the step's
// median wait. The test is one-sided, two proportions, at 95% corrected
// for the handoffs tested (Bonferroni); the slow arrivals must hold most
// of the drops. The split counts steps, and a dropped case's last step.
// O(steps into i).
func (d *detector) slowHandoffBefore(i int) *slowSplit {
	minCases := int64(d.opts.MinCases)
	var cands []slowSplit
	for _, tr := range d.stepsIn[i] {
		if tr.From == tr.To || tr.Handoffs == 0 || tr.Count < 2*minCases || tr.DropAfter < minCases/2+1 {
			continue
		}
		sp := slowSplit{from: tr.From, thresholdIs: "max_wait", threshold: d.j.Settings().MaxWait}
		if t, ok := d.j.Transition(d.tps[tr.From].ID, d.tps[tr.To].ID); ok && t.Expect.MaxWait > 0 {
			sp.threshold = t.Expect.MaxWait
		}
		if sp.threshold <= 0 {
			sp.threshold, sp.thresholdIs = tr.Wait.Median(), "median"
		}
		sp.slow = tr.Wait.CountAbove(sp.threshold)
		sp.slowDropped = min(tr.DropWait.CountAbove(sp.threshold), sp.slow)
		sp.quick, sp.quickDropped = tr.Count-sp.slow, tr.DropAfter-sp.slowDropped
		if sp.slow < minCases || sp.quick < minCases || sp.quickDropped < 0 {
			continue
		}
		sp.z = twoProportionZ(sp.slowDropped, sp.slow, sp.quickDropped, sp.quick)
		cands = append(cands, sp)
	}
	var best *slowSplit
	for k := range cands {
		c := &cands[k]
		if c.z < normalQuantile(1-0.05/float64(len(cands))) || 2*c.slowDropped <= c.slowDropped+c.quickDropped {
			continue
		}
		if best == nil || c.z > best.z {
			best = c
		}
	}
	return best
}

// routesIn lists, for a touchpoint where customers drop, the steps into it
// with the cases that arrived by each and dropped right after: the
// handoffs behind a drop-off, as its evidence (a handoff is its own
// finding only where its arrivals drop significantly more).
func (d *detector) routesIn(i int) []map[string]any {
	var routes []map[string]any
	for _, tr := range d.stepsIn[i] {
		if tr.From == tr.To || tr.Cases < int64(d.opts.MinCases) {
			continue
		}
		routes = append(routes, map[string]any{"from": d.tps[tr.From].ID, "arrived": tr.Cases, "dropped_after": tr.DropAfter, "handoff": tr.Handoffs > 0})
	}
	return routes
}

// topPrev names the touchpoint most dropped cases came from.
func (d *detector) topPrev(s *replay.TouchpointStats) (string, int64) {
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

// stageDropOffs: stages with a max_dropoff of their own. The touchpoints
// of the stage that have a drop-off finding of their own are its most
// specific cause: the stage is raised only if the rest of it, without
// them, still loses more than it allows.
func (d *detector) stageDropOffs() {
	own := map[string]bool{}
	for _, f := range d.out {
		if f.Kind == DropOff && f.Evidence["scope"] != "stage" {
			own[f.Touchpoints[0]] = true
		}
	}
	for si, st := range d.j.Stages() {
		if !st.Expect.HasMaxDropoff {
			continue
		}
		s := &d.res.Stages[si]
		base := dropBase(s.Cases, s.InProgress, s.Bounces, s.Ended)
		dropped := s.Dropped - s.Bounces
		type tpd struct {
			id string
			n  int64
		}
		var list []tpd
		var explained []string
		for i, t := range d.tps {
			ts := &d.res.Touchpoints[i]
			if t.Stage != st.ID || ts.Dropped-ts.Bounces <= 0 {
				continue
			}
			if own[t.ID] { // its own finding explains these customers
				dropped -= ts.Dropped - ts.Bounces
				base -= ts.Dropped - ts.Bounces
				explained = append(explained, t.ID)
				continue
			}
			list = append(list, tpd{t.ID, ts.Dropped - ts.Bounces})
		}
		key := Finding{Kind: DropOff, Reason: AboveExpected, Stage: st.ID, Evidence: map[string]any{"scope": "stage"}}.Key()
		d.measure(key, dropped, base)
		if base < int64(d.opts.MinCases) || dropped <= 0 {
			continue
		}
		lo, hi := Wilson(dropped, base)
		if lo <= st.Expect.MaxDropoff {
			continue
		}
		r := rate(dropped, base)
		slices.SortStableFunc(list, func(a, b tpd) int { return cmp.Compare(b.n, a.n) })
		var worst []string
		for _, x := range list[:min(3, len(list))] {
			worst = append(worst, x.id)
		}
		ev := map[string]any{"reached": base, "dropped": dropped, "rate": round(r, 4), "ci95": [2]float64{round(lo, 4), round(hi, 4)}, "expected_max": st.Expect.MaxDropoff, "scope": "stage"}
		rest := ""
		if len(explained) > 0 {
			ev["besides_touchpoint_findings"] = explained
			rest = " besides " + strings.Join(explained, ", ") + ","
		}
		d.add(Finding{
			Kind: DropOff, Reason: AboveExpected, Stage: st.ID, Touchpoints: worst, Cases: dropped,
			Score: float64(dropped) - float64(base)*st.Expect.MaxDropoff,
			Summary: fmt.Sprintf("%d of %d customers (%s) who enter the %q stage give up in it%s above the %s the journey allows.",
				dropped, base, prose.Percent(r), st.DisplayName(), strings.TrimSuffix(rest, ",")+",", prose.Percent(st.Expect.MaxDropoff)),
			Recommendation: fmt.Sprintf("Start with the touchpoints where most of the stage's customers stop (%s).", strings.Join(worst, ", ")),
			Evidence:       ev,
		})
	}
}

// foldLoops makes one finding of each rework loop: `repeated` touchpoints
// that customers circle through together (a strongly connected group of
// them, along observed steps that carry at least half of the smaller one's
// rework) are one group of customers redoing several steps, reported once,
// naming every touchpoint redone. In phone, verify, phone, verify both are
// redone, and one finding says so.
func (d *detector) foldLoops() {
	var rep []int // indexes into d.out of single-touchpoint repeated findings
	for i, f := range d.out {
		if f.Reason == Repeated && len(f.Touchpoints) == 1 {
			rep = append(rep, i)
		}
	}
	k := len(rep)
	if k < 2 {
		return
	}
	idx := make([]int32, k)
	for a, i := range rep {
		idx[a] = int32(d.j.Index(d.out[i].Touchpoints[0]))
	}
	reach := make([][]bool, k)
	for a := range k {
		reach[a] = make([]bool, k)
		reach[a][a] = true
		for b := range k {
			tr := d.res.Transitions[[2]int32{idx[a], idx[b]}]
			if a != b && tr != nil && 2*tr.Cases >= min(d.out[rep[a]].Cases, d.out[rep[b]].Cases) {
				reach[a][b] = true
			}
		}
	}
	for m := range k { // Floyd-Warshall closure: k is the number of repeated touchpoints, a handful
		for a := range k {
			for b := range k {
				reach[a][b] = reach[a][b] || reach[a][m] && reach[m][b]
			}
		}
	}
	drop := map[int]bool{}
	for a := range k {
		if drop[rep[a]] {
			continue
		}
		group := []int{a}
		for b := a + 1; b < k; b++ {
			if reach[a][b] && reach[b][a] {
				group = append(group, b)
			}
		}
		if len(group) < 2 {
			continue
		}
		slices.SortFunc(group, func(x, y int) int { return cmp.Compare(idx[x], idx[y]) })
		lead := &d.out[rep[group[0]]]
		var ids, names []string
		var cases, extra int64
		var score float64
		perTP := map[string]any{}
		for _, g := range group {
			f := d.out[rep[g]]
			ids = append(ids, f.Touchpoints[0])
			names = append(names, strconv.Quote(d.name(int(idx[g]))))
			cases = max(cases, f.Cases)
			extra += d.res.Touchpoints[idx[g]].ExtraVisits
			score += f.Score
			perTP[f.Touchpoints[0]] = f.Evidence["rework_cases"]
			if g != group[0] {
				drop[rep[g]] = true
			}
		}
		var maxBase int64
		for _, g := range group {
			maxBase = max(maxBase, d.res.Touchpoints[idx[g]].Cases)
		}
		lead.Touchpoints, lead.Cases, lead.Score = ids, cases, round(score, 2)
		d.measure(lead.Key(), cases, maxBase)
		lead.Severity = d.gradeOf(*lead)
		lead.Evidence = map[string]any{"rework_cases": perTP, "extra_visits": extra, "loop": ids}
		lead.Summary = fmt.Sprintf("At least %d customers go round the loop %s again, which the journey does not plan for: they redo every step of it (%d extra visits in all).", cases, strings.Join(names, " → "), extra)
		lead.Recommendation = fmt.Sprintf("Find what sends customers back round %s (re-verifying, re-entering or re-explaining what the business already knows) and carry the answer forward instead of asking again.", strings.Join(names, " → "))
	}
	kept := d.out[:0]
	for i, f := range d.out {
		if !drop[i] {
			kept = append(kept, f)
		}
	}
	d.out = kept
}

// foldShortcuts moves an `undesigned` handoff that cuts across a designed
// path into the `bypassable` finding about a touchpoint it skips: customers
// taking the shortcut are the evidence that the step can be skipped, not a
// second friction.
func (d *detector) foldShortcuts() {
	bypass := map[string]*Finding{}
	for i := range d.out {
		if f := &d.out[i]; f.Reason == Bypassable {
			bypass[f.Touchpoints[0]] = f
		}
	}
	if len(bypass) == 0 {
		return
	}
	kept := d.out[:0]
	for _, f := range d.out {
		if f.Reason == Undesigned {
			if path, ok := d.j.ShortestPath(f.Touchpoints[0], f.Touchpoints[1]); ok && len(path) > 2 {
				if b := firstBypassed(bypass, path[1:len(path)-1]); b != nil {
					sc, _ := b.Evidence["shortcuts"].([]map[string]any)
					b.Evidence["shortcuts"] = append(sc, map[string]any{"from": f.Touchpoints[0], "to": f.Touchpoints[1], "cases": f.Cases})
					continue
				}
			}
		}
		kept = append(kept, f)
	}
	d.out = kept
}

func firstBypassed(bypass map[string]*Finding, skipped []string) *Finding {
	for _, id := range skipped {
		if b := bypass[id]; b != nil {
			return b
		}
	}
	return nil
}
