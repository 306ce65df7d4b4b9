package replay

import (
	"cmp"
	"math"
	"math/bits"
	"time"

	"github.com/journeymap/journeymap/internal/design"
)

// walker replays cases one by one into a Result. Its scratch state is
// sized once per worker and reset per case by undoing only what the case
// touched, so replaying a case allocates nothing once the maps have grown.
type walker struct {
	j       *design.Index
	r       *Result
	timeout int64
	logEnd  int64
	// since and until bound the period replayed (Options.Since,
	// Until), math.MinInt64 and math.MaxInt64 where open.
	since, until int64
	tpChan       []int16 // designed channel of each touchpoint, as a channel index
	ownerOf      []int32 // owner of each touchpoint, as a small integer

	visits   []int32 // per touchpoint, in this case
	lastIdx  []int32 // per touchpoint: last position in the path
	skipped  []bool  // per touchpoint: skipped by a deviation in this case
	rework   []bool  // per touchpoint: a Repeat step landed on it in this case
	bounced  []bool  // per touchpoint: the case was bounced across a transition with it as an end
	touched  []int32 // touchpoints with visits > 0 or skipped
	ownerAt  []int32 // per owner and owner handed from: last position where the case came back to it (see walk)
	ownerSet []int32 // the entries of ownerAt this case set, to reset them alone
	nOwners  int
	badAt    []int32 // per touchpoint: last position the case was brought back to it by an undesigned step
	stages   []stageScratch
	caseTr   pairSet // the transitions the case has taken
	path     []int32
	steps    []stepInfo
	entryIdx []int32       // entries, for the first step
	chCount  []int32       // per stage and designed channel: events of this case (only with consistency pairs)
	pending  []pendingCase // streaming: walked cases whose outcome waits for the log's end

	// Lifecycle folding (see fold).
	visits2 []cev       // the case's visits, when some of its events are folded
	begins  []int64     // per visit: when it began (its start, or its own time)
	open    []openVisit // per touchpoint: a visit begun (start, schedule...) but not completed yet
	opened  []int32     // touchpoints with an open visit
}

// openVisit is what the lifecycle events before a visit's complete say of
// it: when it started (noStart if no start was seen) and scores given.
type openVisit struct {
	start          int64
	csat, ces, nps int8
	has            bool
}

const noStart = math.MinInt64

type stageScratch struct {
	seen               bool
	first, last        int64
	steps, contacts    int64
	handoffs, switches int64
	chMask             uint64
	chOverflow         int64
	scores             Scores
	hasScores          bool
}

type stepInfo struct {
	kind             StepKind
	handoff, ownerCh bool
}

func newWalker(j *design.Index, r *Result, c *collector, tpChan []int16, opts Options) *walker {
	n := len(j.Touchpoints)
	w := &walker{
		j: j, r: r, timeout: int64(caseTimeout(j, opts)), logEnd: c.end, since: math.MinInt64, until: math.MaxInt64,
		tpChan: tpChan, ownerOf: make([]int32, n),
		visits: make([]int32, n), lastIdx: make([]int32, n), skipped: make([]bool, n), rework: make([]bool, n), bounced: make([]bool, n),
		stages: make([]stageScratch, j.NStages), caseTr: newPairSet(n),
		open: make([]openVisit, n), badAt: make([]int32, n),
	}
	if !opts.Since.IsZero() {
		w.since = opts.Since.UnixNano()
	}
	if !opts.Until.IsZero() {
		w.until = opts.Until.UnixNano()
	}
	owners := map[string]int32{}
	for i, t := range j.Touchpoints {
		o, ok := owners[t.Owner]
		if !ok {
			o = int32(len(owners))
			owners[t.Owner] = o
		}
		w.ownerOf[i] = o
		if t.Entry {
			w.entryIdx = append(w.entryIdx, int32(i))
		}
	}
	w.nOwners = len(owners)
	w.ownerAt = make([]int32, len(owners)*len(owners))
	for i := range w.ownerAt {
		w.ownerAt[i] = -1
	}
	if len(j.ConsIdx) > 0 {
		w.chCount = make([]int32, j.NStages*len(j.DchNames))
	}
	return w
}

// nearestEntry returns the entry with the shortest designed path to tp
// (lowest index on ties), or -1.
func (w *walker) nearestEntry(tp int32) int32 {
	best, bestD := int32(-1), int32(-1)
	for _, e := range w.entryIdx {
		d := w.j.Hops(e, tp)
		if d >= 0 && (bestD < 0 || d < bestD) {
			best, bestD = e, d
		}
	}
	return best
}

func (w *walker) markSkipped(from, to int32, includeFrom bool) int64 {
	// The path's hops are read from one row of the table, the target's.
	row := w.j.Next[int(to)*len(w.j.Touchpoints):][:len(w.j.Touchpoints)]
	var count int64
	cur := from
	if !includeFrom {
		cur = int32(row[from])
	}
	for cur != to {
		if !w.skipped[cur] && w.visits[cur] == 0 {
			w.touched = append(w.touched, cur)
		}
		w.skipped[cur] = true
		count++
		cur = int32(row[cur])
	}
	return count
}

// fold turns a case's events, in time order, into its visits: a visit is
// an event whose lifecycle is complete (or that has none); a start before
// it, at the same touchpoint, sets when the visit began; every other
// lifecycle event (schedule, assign, suspend, a start never completed) is
// folded away, its scores carried to the visit. It returns the visits and
// when each began, in w's scratch space (or evs itself when nothing is
// folded).
func (w *walker) fold(evs []cev) []cev {
	w.begins = w.begins[:0]
	folding := false
	for i := range evs {
		if evs[i].lc != lcVisit {
			folding = true
			break
		}
	}
	if !folding {
		for i := range evs {
			w.begins = append(w.begins, evs[i].t)
		}
		return evs
	}
	w.visits2 = w.visits2[:0]
	for _, e := range evs {
		o := &w.open[e.tp]
		if e.lc == lcVisit {
			begin := e.t
			if o.has {
				if o.start != noStart {
					begin = o.start
				}
				e.csat, e.ces, e.nps = cmp.Or(max(e.csat, 0), max(o.csat, 0), e.csat), cmp.Or(max(e.ces, 0), max(o.ces, 0), e.ces), cmpNPS(e.nps, o.nps)
				*o = openVisit{}
			}
			w.visits2 = append(w.visits2, e)
			w.begins = append(w.begins, begin)
			continue
		}
		if !o.has {
			*o = openVisit{start: noStart, csat: -1, ces: -1, nps: -1, has: true}
			w.opened = append(w.opened, e.tp)
		}
		if e.lc == lcStart && o.start == noStart {
			o.start = e.t
		}
		o.csat, o.ces, o.nps = max(o.csat, e.csat), max(o.ces, e.ces), max(o.nps, e.nps)
	}
	for _, tp := range w.opened {
		w.open[tp] = openVisit{}
	}
	w.opened = w.opened[:0]
	return w.visits2
}

// cmpNPS is the visit's own NPS, or else the one given before it.
func cmpNPS(own, before int8) int8 {
	if own >= 0 {
		return own
	}
	return before
}

// walk replays one case into w.r (and *keep, if not nil). It returns the
// case's pending entry if its outcome waits for the log's end.
func (w *walker) walk(cb *caseBuf, keep *Case) *pendingCase {
	r, j := w.r, w.j
	if len(cb.evs) == 0 {
		r.Cases.UnmatchedOnly++
		return nil
	}
	sortCase(cb.evs)
	if w.since != math.MinInt64 || w.until != math.MaxInt64 {
		// A period: the case is in it where its first event is, and is
		// seen as it stood at its end.
		if cb.evs[0].t < w.since {
			r.Events.Outside += int64(len(cb.evs))
			return nil
		}
		cut := len(cb.evs)
		for cut > 0 && cb.evs[cut-1].t >= w.until {
			cut--
		}
		r.Events.Outside += int64(len(cb.evs) - cut)
		if cut == 0 {
			return nil
		}
		cb.evs = cb.evs[:cut]
	}
	raw := cb.evs
	evs := w.fold(raw)
	r.Events.Folded += int64(len(raw) - len(evs))
	if len(evs) == 0 {
		r.Cases.NoVisit++
		return nil
	}
	begins := w.begins
	var cnt Counts
	w.path = w.path[:0]
	w.steps = w.steps[:0]
	w.caseTr.reset()
	// Only the entries the last case set are reset: a journey of many
	// owners would otherwise clear owners² entries a case.
	for _, k := range w.ownerSet {
		w.ownerAt[k] = -1
	}
	w.ownerSet = w.ownerSet[:0]
	var prev int32 = -1
	var prevCh int16
	lastBad := int32(-1) // the last step that is not conforming
	endAt := -1          // the last visit at a touchpoint with an outcome
	// Once a case reaches an outcome it is settled: what follows is
	// aftercare (paperwork after an approval, work items closed after a
	// decline), replayed and counted, but never rework or a bounce.
	settledAt := -1
	// The stage the customer is living: the furthest one reached so far
	// (stages are ordered as customers live them). A step's effort is
	// booked there, whatever stage its touchpoint was drawn in: a support
	// call made during installation is installation's effort.
	live, prevLive := int32(-1), int32(-1)
	endStage := int32(-1) // the stage lived at endAt
	for i := range evs {
		e := &evs[i]
		tp := e.tp
		live = max(live, j.StageOf[tp])
		if i > 0 && e.t == evs[i-1].t && tp == evs[i-1].tp {
			r.Events.Duplicates++
		}
		ch := e.ch
		if ch < 0 {
			ch = w.tpChan[tp]
		}
		st := stepInfo{kind: w.classify(prev, tp, &cnt)}
		cnt.Steps++
		if st.kind != Conforming {
			lastBad = int32(i)
		}
		// Rework: back at a touchpoint the case met before, where the
		// round trip since that visit took a step the design does not
		// draw, whichever step brought the customer back (a designed loop
		// is not rework).
		if settledAt < 0 && w.visits[tp] > 0 && lastBad > w.lastIdx[tp] {
			w.rework[tp] = true
		}
		if j.Touchpoints[tp].Outcome != "" {
			endAt, endStage = i, live
		}
		switch st.kind {
		case Conforming:
			cnt.Conforming++
		case Repeat:
			cnt.Repeats++
		case Deviation:
			cnt.Deviations++
		case OffJourney:
			cnt.OffJourney++
		}
		ts := &r.Touchpoints[tp]
		ts.Visits++
		ts.Scores.add(e.csat, e.ces, e.nps)
		if w.visits[tp] == 0 && !w.skipped[tp] {
			w.touched = append(w.touched, tp)
		}
		w.visits[tp]++
		sg := &w.stages[live]
		if !sg.seen {
			*sg = stageScratch{seen: true, first: begins[i]}
		}
		sg.last = e.t
		sg.steps++
		if w.chCount != nil {
			w.chCount[int(j.StageOf[tp])*len(j.DchNames)+int(j.Dch[tp])]++
		}
		if w.visits[tp] == 1 {
			sg.contacts++
		}
		if ch >= 0 && ch < 64 {
			sg.chMask |= 1 << ch
		} else if ch >= 64 {
			sg.chOverflow++
		}
		if e.csat >= 1 || e.ces >= 1 || e.nps >= 0 {
			sg.scores.add(e.csat, e.ces, e.nps)
			sg.hasScores = true
		}
		// A visit with a start dwells from its start to its complete (its
		// service time); one without dwells until the next visit begins.
		if begins[i] < e.t {
			ts.Dwell.Add(time.Duration(e.t - begins[i]))
		}
		if prev >= 0 {
			pe := &evs[i-1]
			wait := time.Duration(max(begins[i]-pe.t, 0)) // work done in parallel overlaps
			if begins[i-1] == pe.t {
				r.Touchpoints[prev].Dwell.Add(wait)
			}
			ownerChange := w.ownerOf[prev] != w.ownerOf[tp]
			chChange := ch != prevCh
			st.handoff = ownerChange || chChange
			st.ownerCh = ownerChange
			tr := r.transition(j, prev, tp)
			tr.Count++
			tr.Wait.Add(wait)
			tr.ScoresBefore.add(pe.csat, pe.ces, pe.nps)
			tr.ScoresAfter.add(e.csat, e.ces, e.nps)
			// A stage's effort counts the handoffs within it: the step into
			// the stage belongs to the boundary, and the first stage has none.
			within := prevLive == live
			if st.handoff {
				tr.Handoffs++
				cnt.Handoffs++
				if within {
					sg.handoffs++
				}
			}
			if chChange {
				tr.ChannelSwitches++
				cnt.ChannelSwitches++
				if within {
					sg.switches++
				}
			}
			if !w.caseTr.mark(prev, tp) {
				tr.Cases++
			}
		}
		// Being sent back means arriving by a step the design does not
		// draw: at a touchpoint (badAt), or at a team from another
		// (ownerAt). Moving on by a designed step, a loop the design draws
		// included, is progress.
		if settledAt < 0 && st.kind != Conforming {
			w.badAt[tp] = int32(i)
			if prev >= 0 && w.ownerOf[prev] != w.ownerOf[tp] {
				k := int32(int(w.ownerOf[tp])*w.nOwners + int(w.ownerOf[prev]))
				w.ownerAt[k] = int32(i)
				w.ownerSet = append(w.ownerSet, k)
			}
		}
		if settledAt < 0 || w.visits[tp] == 1 {
			w.lastIdx[tp] = int32(i)
		}
		if settledAt < 0 && j.Touchpoints[tp].Outcome != "" {
			settledAt = i
		}
		w.path = append(w.path, tp)
		w.steps = append(w.steps, st)
		prev, prevCh, prevLive = tp, ch, live
	}

	// The case's outcome. A case that did not end at a goal drops or is
	// still in progress depending on the log's end; streaming, that is not
	// known yet, and the case waits in w.pending until it is.
	first, last := &evs[0], &evs[len(evs)-1]
	start, end := raw[0].t, raw[len(raw)-1].t // lifecycle events included
	outcome, resolved, endedAs := w.outcome(evs, endAt, endStage, end)
	r.Cases.Total++
	r.Touchpoints[last.tp].Exits++
	r.Touchpoints[first.tp].Entries++
	var open *pendingCase
	if outcome == Completed {
		r.Cases.Completed++
	} else if outcome == InProgress {
		p := pendingCase{r: r, first: start, last: end, lastTP: last.tp, stage: live, before: -1, bounce: len(evs) == 1 && j.Touchpoints[last.tp].Entry, keep: -1}
		if n := len(evs); n > 1 {
			p.before = evs[n-2].tp
			p.lastWait = time.Duration(max(begins[n-1]-evs[n-2].t, 0))
		}
		if w.logEnd != openEnd {
			outcome = w.settle(&p, w.logEnd)
		} else {
			w.pending = append(w.pending, p)
			open = &w.pending[len(w.pending)-1]
		}
	}

	w.pingPong(settledAt)
	w.caseAggregates()
	if outcome == Completed {
		r.Resolution.Add(time.Duration(resolved - start))
	}

	w.flush(outcome)
	r.Counts.add(cnt)
	r.Durations.Add(time.Duration(end - start))
	if keep != nil {
		*keep = Case{
			ID: cb.id, Segment: cb.segment, Outcome: outcome, EndedAs: endedAs,
			Start: time.Unix(0, start).UTC(), End: time.Unix(0, end).UTC(),
			Path: append([]int32(nil), w.path...), Counts: cnt, Unmatched: cb.unmatched,
		}
	}
	return open
}

// classify names the step into tp from prev (-1 for a case's first
// step), counting into cnt the touchpoints a deviation skips: conforming
// along a designed transition (or at an entry, first); a repeat back to a
// touchpoint the case met, along no designed transition; a deviation
// where the design has a path; off the journey where it has none.
func (w *walker) classify(prev, tp int32, cnt *Counts) StepKind {
	j := w.j
	switch {
	case prev < 0 && j.Touchpoints[tp].Entry:
		return Conforming
	case prev < 0:
		if entry := w.nearestEntry(tp); entry >= 0 {
			cnt.Skipped += w.markSkipped(entry, tp, true)
			return Deviation
		}
		return OffJourney
	case j.IsDesigned(prev, tp):
		return Conforming
	case w.visits[tp] > 0:
		return Repeat
	case j.Hops(prev, tp) > 0:
		cnt.Skipped += w.markSkipped(prev, tp, false)
		return Deviation
	}
	return OffJourney
}

// outcome settles how the case ended, counting a designed end: the last
// outcome it reached settles it, a goal at its last visit, or the last
// touchpoint with an outcome (success completes it, any other word ends
// it by design). resolved is when it was settled; endedAs, the word of a
// designed end.
func (w *walker) outcome(evs []cev, endAt int, endStage int32, end int64) (o Outcome, resolved int64, endedAs string) {
	r, j := w.r, w.j
	last := &evs[len(evs)-1]
	switch lt := &j.Touchpoints[last.tp]; {
	case lt.Goal && lt.Outcome == "":
		return Completed, end, ""
	case endAt >= 0 && j.Touchpoints[evs[endAt].tp].Succeeds():
		return Completed, evs[endAt].t, ""
	case endAt >= 0:
		endedAs = j.Touchpoints[evs[endAt].tp].Outcome
		r.Touchpoints[evs[endAt].tp].Ended++
		r.Stages[endStage].Ended++
		if r.Cases.Ended == nil {
			r.Cases.Ended = map[string]int64{}
		}
		r.Cases.Ended[endedAs]++
		return Ended, end, endedAs
	}
	return InProgress, end, ""
}

// pingPong counts, per transition A -> B of the case's path, whether the
// case is sent back to A (or, for a change of owner, to A's team from
// B's) later, by a step the design does not draw. A round trip the design
// draws (a loop, or a flow that passes between teams) is not a bounce,
// nor is a detour elsewhere on the way, nor anything after the case was
// settled. Counted once per case and transition.
func (w *walker) pingPong(settledAt int) {
	r, j := w.r, w.j
	w.caseTr.reset()
	for i := 1; i < len(w.path); i++ {
		if settledAt >= 0 && i > settledAt {
			break // aftercare
		}
		a, b := w.path[i-1], w.path[i]
		if a == b || j.Touchpoints[b].Outcome != "" {
			continue // a designed end is where a case stops, not a team that bounces it
		}
		if w.caseTr.mark(a, b) {
			continue
		}
		tr := r.transition(j, a, b)
		back := w.badAt[a] > int32(i)
		// Back to A's team from B's: a bounce between the two teams, not
		// a return to A's team from some third one later on.
		ownerBack := w.steps[i].ownerCh && w.ownerAt[int(w.ownerOf[a])*w.nOwners+int(w.ownerOf[b])] > int32(i)
		if back {
			tr.PingPongCases++
		}
		if ownerBack {
			tr.OwnerPingPongCases++
		}
		if back || ownerBack {
			w.bounced[a], w.bounced[b] = true, true
		}
		// The first A -> B of a case decides (mark has recorded it): if A
		// does not come back after it, it does not come back after a later
		// one either.
	}
}

// caseAggregates counts what detectors need of whole cases: the pairs of
// touchpoints of one stage met together, and the main channel of each
// stage of a consistency pair.
func (w *walker) caseAggregates() {
	r, j := w.r, w.j
	for x, a := range w.touched {
		if w.visits[a] == 0 {
			continue
		}
		for _, b := range w.touched[x+1:] {
			if k := j.PairSlot(a, b); k >= 0 && w.visits[b] > 0 {
				r.together[k]++
			}
		}
	}
	if w.chCount == nil {
		return
	}
	nd := len(j.DchNames)
	for k, p := range j.ConsIdx {
		if !w.stages[p[0]].seen || !w.stages[p[1]].seen {
			continue
		}
		counts := w.chCount[int(p[0])*nd : int(p[0]+1)*nd]
		best := 0
		for c := range counts {
			if counts[c] > counts[best] {
				best = c
			}
		}
		r.consistency[k].both++
		r.consistency[k].main[best]++
	}
	for si := range w.stages {
		if w.stages[si].seen {
			clear(w.chCount[si*nd : (si+1)*nd])
		}
	}
}

// flush adds the case's per-touchpoint and per-stage counts, knowing its
// outcome, and resets the scratch state it touched.
func (w *walker) flush(outcome Outcome) {
	r := w.r
	for _, tp := range w.touched {
		ts := &r.Touchpoints[tp]
		if v := w.visits[tp]; v > 0 {
			ts.Cases++
			if v >= 2 {
				ts.RepeatCases++
				ts.ExtraVisits += int64(v - 1)
			}
			if w.bounced[tp] {
				ts.BouncedCases++
				if w.rework[tp] {
					ts.BouncedRework++
				}
				w.bounced[tp] = false
			}
			if w.rework[tp] {
				ts.ReworkCases++
				w.rework[tp] = false
			}
			if outcome == Completed {
				ts.Completed++
			}
		} else if w.skipped[tp] {
			ts.SkippedCases++
			if outcome == Completed {
				ts.SkippedCompleted++
			}
		}
		w.visits[tp] = 0
		w.skipped[tp] = false
		w.badAt[tp] = -1
	}
	w.touched = w.touched[:0]
	for si := range w.stages {
		sg := &w.stages[si]
		if !sg.seen {
			continue
		}
		ss := &r.Stages[si]
		ss.Cases++
		if outcome == Completed {
			ss.Completed++
		}
		ss.Steps += sg.steps
		ss.Contacts += sg.contacts
		ss.Channels += int64(bits.OnesCount64(sg.chMask)) + min(sg.chOverflow, 1)
		ss.Handoffs += sg.handoffs
		ss.Switches += sg.switches
		ss.Elapsed.Add(time.Duration(sg.last - sg.first))
		if sg.hasScores {
			ss.Scores.merge(&sg.scores)
		}
		sg.seen = false
	}
}

// openEnd is walker.logEnd while the log's end is not known yet.
const openEnd = math.MinInt64

// pendingCase is a case that did not end at a goal, whose outcome waits
// for the log's end: what settling it needs, and nothing else.
type pendingCase struct {
	r           *Result // the result (or segment) the case was walked into
	first, last int64
	lastTP      int32
	stage       int32         // the stage lived at the case's last event
	before      int32         // the touchpoint before the last, or -1
	lastWait    time.Duration // the wait of the step into the last touchpoint
	bounce      bool          // its only event was at an entry
	keep        int32         // its entry in the kept cases, or -1
}

// settle decides a pending case against the log's end and counts its
// outcome.
func (w *walker) settle(p *pendingCase, logEnd int64) Outcome {
	logEnd = min(logEnd, w.until) // a period is judged at its end
	r := p.r
	ts := &r.Touchpoints[p.lastTP]
	ss := &r.Stages[p.stage]
	if logEnd-p.last <= w.timeout {
		r.Cases.InProgress++
		ts.InProgress++
		ss.InProgress++
		return InProgress
	}
	r.Cases.Dropped++
	ts.Dropped++
	ss.Dropped++
	if p.bounce {
		ts.Bounces++
		ss.Bounces++
	}
	ts.TimeToDrop.Add(time.Duration(p.last - p.first))
	if p.before >= 0 {
		tr := r.transition(w.j, p.before, p.lastTP)
		tr.DropAfter++
		tr.DropWait.Add(p.lastWait)
	}
	if ts.DropPrev == nil {
		ts.DropPrev = map[int32]int64{}
	}
	ts.DropPrev[p.before]++
	return Dropped
}

// denseTouchpoints is the most touchpoints for which transitions are
// found in a dense table (touchpoints² entries) rather than a map.
const denseTouchpoints = 256

// pairSet is a set of transitions (from, to), emptied in O(1): a
// generation stamp per pair for journeys of up to denseTouchpoints
// touchpoints, a map past that.
type pairSet struct {
	n     int
	stamp []uint32
	gen   uint32
	m     map[[2]int32]bool
}

func newPairSet(n int) pairSet {
	if n > denseTouchpoints {
		return pairSet{n: n, m: map[[2]int32]bool{}}
	}
	return pairSet{n: n, stamp: make([]uint32, (n+1)*n), gen: 1}
}

// mark adds (from, to), from >= -1, and reports whether it was there.
func (p *pairSet) mark(from, to int32) bool {
	if p.m != nil {
		k := [2]int32{from, to}
		was := p.m[k]
		p.m[k] = true
		return was
	}
	i := int(from+1)*p.n + int(to)
	was := p.stamp[i] == p.gen
	p.stamp[i] = p.gen
	return was
}

func (p *pairSet) reset() {
	if p.m != nil {
		clear(p.m)
		return
	}
	if p.gen++; p.gen == 0 { // wrapped: stamps of 2^32 cases ago would match
		clear(p.stamp)
		p.gen = 1
	}
}
