package friction

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/journeymap/journeymap/internal/prose"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// WhatIf is what fixing a finding is worth (contract 4.6): an estimate,
// with the assumption it rests on.
//
// It is computed on the replayed journey as an absorbing Markov chain:
// each touchpoint's observed steps to the next touchpoints, and its
// customers' ends there (completed, dropped, still in progress or ended
// by design), as probabilities; customers start where they started. The
// finding's friction is moved to its target (a drop rate to the rate the
// journey allows or its typical rate, a bounce or a loop's return to
// none, its customers going on as the others at that touchpoint do), and
// the chain is solved again: the difference in completions, steps and
// time, times the customers, is the estimate. The interval is the 2.5th
// and 97.5th percentiles of the same difference over a Bayesian bootstrap
// of the observed steps (each touchpoint's counts drawn from their
// Dirichlet posterior). A chain of steps cannot see customers who would
// have left anyway for another reason, a change in who comes, or the
// season; the estimate says what the observed journey implies.
type WhatIf struct {
	// Completed is how many more customers would complete, and Low and
	// High its 95% interval.
	Completed float64 `json:"completed"`
	Low       float64 `json:"low"`
	High      float64 `json:"high"`
	// StepsSaved and HoursSaved are the steps and hours customers would
	// no longer spend, in all.
	StepsSaved float64 `json:"steps_saved"`
	HoursSaved float64 `json:"hours_saved"`
	// Assumes says what the estimate assumes is fixed.
	Assumes string `json:"assumes"`
}

// Worth reports whether the what-if gains anything to say: a customer
// completing, a step or an hour saved.
func (w *WhatIf) Worth() bool {
	return w != nil && (w.Completed >= 1 || w.StepsSaved >= 1 || w.HoursSaved >= 1)
}

// Sentence is the what-if in words, labelled an estimate.
func (w *WhatIf) Sentence() string {
	gains := w.gains()
	if gains == "" {
		gains = "change little that the steps show"
	}
	return fmt.Sprintf("Estimate: fixing this would %s, if %s.", gains, w.Assumes)
}

// gains is what the fix brings, in words: customers completing, steps and
// hours saved ("" where nothing reaches one).
func (w *WhatIf) gains() string {
	var gains []string
	if w.Completed >= 1 {
		gains = append(gains, fmt.Sprintf("bring about %s more customers to completion (%s–%s)", count(w.Completed), count(w.Low), count(w.High)))
	}
	if w.StepsSaved >= 1 {
		gains = append(gains, fmt.Sprintf("save about %s steps", count(w.StepsSaved)))
	}
	if w.HoursSaved >= 1 {
		gains = append(gains, fmt.Sprintf("save customers about %s hours", count(w.HoursSaved)))
	}
	return andWords(gains)
}

// count writes a number of customers, steps or hours: 1,340.
func count(x float64) string {
	n := int64(math.Round(x))
	neg := n < 0
	if neg {
		n = -n
	}
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		s = "-" + s
	}
	return s
}

func andWords(words []string) string {
	if len(words) <= 1 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// option is one way out of a touchpoint in the chain: a step to another
// touchpoint, or an end.
type option struct {
	to   int32   // a touchpoint, or one of the ends below
	n    float64 // how many took it (a weight, once edited)
	wait float64 // mean seconds of a step
}

const (
	toCompleted = -1 - iota
	toDropped
	toStays // in progress, or ended by design: neither completed nor a drop
)

// chain is the observed journey as counts: per touchpoint, its options,
// and where customers start. Touchpoints with a success outcome complete
// on arrival; other designed ends end there.
type chain struct {
	start  []float64
	rows   [][]option
	settle []int32 // per touchpoint: an end reached on arrival, or 0
	cases  float64
	owned  []bool    // for a clone: the rows it copied, to edit
	pred   [][]int32 // per touchpoint: the touchpoints with a step to it
}

// newChain reads the chain off a replay, its transitions in keys order
// (the detector's index). O(T + R).
func newChain(j *journey.Journey, res *replay.Result, keys [][2]int32) *chain {
	n := j.Len()
	c := &chain{start: make([]float64, n), rows: make([][]option, n), settle: make([]int32, n), cases: float64(res.Cases.Total)}
	for i := range n {
		t := j.At(i)
		s := &res.Touchpoints[i]
		c.start[i] = float64(s.Entries)
		switch {
		case t.Outcome == "success":
			c.settle[i] = toCompleted
			continue
		case t.Outcome != "":
			c.settle[i] = toStays
			continue
		}
		if t.Goal {
			c.rows[i] = append(c.rows[i], option{to: toCompleted, n: float64(s.Exits)})
			continue
		}
		c.rows[i] = append(c.rows[i], option{to: toDropped, n: float64(s.Dropped)}, option{to: toStays, n: float64(max(s.Exits-s.Dropped, 0))})
	}
	for _, k := range keys {
		tr := res.Transitions[k]
		if c.settle[tr.From] != 0 || tr.Count == 0 {
			continue // aftercare: the case is settled
		}
		c.rows[tr.From] = append(c.rows[tr.From], option{to: tr.To, n: float64(tr.Count), wait: tr.Wait.Mean().Seconds()})
	}
	c.pred = make([][]int32, n)
	for i, r := range c.rows {
		for _, o := range r {
			if o.to >= 0 && !slices.Contains(c.pred[o.to], int32(i)) {
				c.pred[o.to] = append(c.pred[o.to], int32(i))
			}
		}
	}
	return c
}

// clone returns a chain that shares c's rows until an edit owns them
// (see own): a fix edits a few rows of thousands.
func (c *chain) clone() *chain {
	return &chain{start: c.start, rows: slices.Clone(c.rows), owned: make([]bool, len(c.rows)), settle: c.settle, cases: c.cases, pred: c.pred}
}

// own makes row i the chain's own to edit.
func (c *chain) own(i int) {
	if c.owned != nil && !c.owned[i] {
		c.rows[i] = slices.Clone(c.rows[i])
		c.owned[i] = true
	}
}

// outcome is what the chain implies per customer: the share completing,
// and the steps and seconds a customer takes.
type outcome struct{ completed, steps, secs float64 }

// solution is, per touchpoint, the chance to complete from it and the
// steps and seconds to the end.
type solution struct {
	h, v, t []float64
	sweeps  int // how many sweeps it took
}

// solve finds the chain's solution by Gauss-Seidel sweeps (latest
// touchpoints first, as journeys mostly flow forward), starting from warm
// (a nearby chain's solution, or nil), and averages it over where
// customers start. O(sweeps × (T + R)); from a nearby solution, a few
// sweeps.
func (c *chain) solve(warm *solution) (outcome, *solution) {
	n := len(c.rows)
	sol := &solution{h: make([]float64, n), v: make([]float64, n), t: make([]float64, n)}
	if warm != nil {
		copy(sol.h, warm.h)
		copy(sol.v, warm.v)
		copy(sol.t, warm.t)
	}
	for sweep := 0; sweep < 5000; sweep++ {
		delta := 0.0
		for i := n - 1; i >= 0; i-- {
			delta = max(delta, c.update(sol, i))
		}
		sol.sweeps++
		if delta < solveTolerance {
			break
		}
	}
	return c.average(sol), sol
}

// solveTolerance is the largest change in a touchpoint's chance to
// complete (or relative change in its steps) at which a solution stands:
// a millionth, far below a customer in any log.
const solveTolerance = 1e-6

// update sets touchpoint i's chance to complete, steps and seconds from
// its options and its successors', and returns how much they changed.
func (c *chain) update(sol *solution, i int) float64 {
	h, v, t := sol.h, sol.v, sol.t
	switch {
	case c.settle[i] == toCompleted:
		h[i], v[i], t[i] = 1, 1, 0
		return 0
	case c.settle[i] != 0:
		h[i], v[i], t[i] = 0, 1, 0
		return 0
	}
	var tot float64
	for _, o := range c.rows[i] {
		tot += o.n
	}
	if tot == 0 {
		h[i], v[i], t[i] = 0, 1, 0
		return 0
	}
	var hi, vi, ti float64
	for _, o := range c.rows[i] {
		p := o.n / tot
		switch {
		case o.to == toCompleted:
			hi += p
		case o.to >= 0:
			hi += p * h[o.to]
			vi += p * v[o.to]
			ti += p * (o.wait + t[o.to])
		}
	}
	vi++
	delta := max(math.Abs(hi-h[i]), math.Abs(vi-v[i])/vi)
	h[i], v[i], t[i] = hi, vi, ti
	return delta
}

// average is a solution averaged over where customers start.
func (c *chain) average(sol *solution) outcome {
	var out outcome
	var all float64
	for i, s := range c.start {
		all += s
		out.completed += s * sol.h[i]
		out.steps += s * sol.v[i]
		out.secs += s * sol.t[i]
	}
	if all > 0 {
		out.completed, out.steps, out.secs = out.completed/all, out.steps/all, out.secs/all
	}
	return out
}

// resolve is solve for a clone of the chain base was solved for, with a
// few rows edited: from base, Gauss-Seidel sweeps over only the
// touchpoints upstream of the edited rows (those whose values can
// change), latest first. O(sweeps × their options).
func (c *chain) resolve(base *solution, upstream []int32) outcome {
	sol := &solution{h: slices.Clone(base.h), v: slices.Clone(base.v), t: slices.Clone(base.t)}
	for sweep := 0; sweep < 5000; sweep++ {
		delta := 0.0
		for _, i := range upstream {
			delta = max(delta, c.update(sol, int(i)))
		}
		if delta < solveTolerance {
			break
		}
	}
	return c.average(sol)
}

// upstream lists the touchpoints from which one of the rows a clone owns
// can be reached (those rows included), latest first. O(T + R).
func (c *chain) upstream() []int32 {
	seen := make([]bool, len(c.rows))
	var work, out []int32
	for i, own := range c.owned {
		if own {
			seen[i] = true
			work = append(work, int32(i))
		}
	}
	for len(work) > 0 {
		i := work[len(work)-1]
		work = work[:len(work)-1]
		out = append(out, i)
		for _, p := range c.pred[i] {
			if !seen[p] {
				seen[p] = true
				work = append(work, p)
			}
		}
	}
	slices.Sort(out)
	slices.Reverse(out)
	return out
}

// redistribute moves weight w off row i's option k onto the row's options
// keep accepts, in proportion to their weights (nothing moves where none
// is accepted).
func (c *chain) redistribute(i int, k int, w float64, keep func(option) bool) {
	var room float64
	for x, o := range c.rows[i] {
		if x != k && keep(o) {
			room += o.n
		}
	}
	if room <= 0 || w <= 0 {
		return
	}
	c.own(i)
	c.rows[i][k].n -= w
	for x := range c.rows[i] {
		if o := c.rows[i][x]; x != k && keep(o) {
			c.rows[i][x].n += w * o.n / room
		}
	}
}

// goesOn accepts the options of customers who do not drop: a step, or
// completing.
func goesOn(o option) bool { return o.to >= 0 || o.to == toCompleted }

// scaleDrops keeps a share m of touchpoint i's drops; the others go on as
// the customers there who do not drop.
func (c *chain) scaleDrops(i int, m float64) {
	for k, o := range c.rows[i] {
		if o.to == toDropped {
			c.redistribute(i, k, o.n*(1-m), goesOn)
		}
	}
}

// cutStep removes the steps from a to b; their customers go on as the
// others at a do by the journey's design (or, where a has no designed
// step on, as the others at a who go on).
func (c *chain) cutStep(j *journey.Journey, a, b int) {
	for k, o := range c.rows[a] {
		if o.to != int32(b) {
			continue
		}
		designed := func(x option) bool { return x.to >= 0 && x.to != int32(b) && j.IsDesignedIndex(a, int(x.to)) }
		if !slices.ContainsFunc(c.rows[a], designed) {
			designed = func(x option) bool { return goesOn(x) && x.to != int32(b) }
		}
		c.redistribute(a, k, o.n, designed)
	}
}

// cmpStep orders steps by from, then to.
func cmpStep(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

// fix is one finding's friction moved to its target: an edit of the
// chain, or savings read directly off the replay; and what it assumes.
type fix struct {
	edit        func(*chain)
	steps, secs float64 // saved directly (not through the chain)
	assumes     string
}

// fixOf returns the fix a finding's what-if is computed with, or false
// where none can be computed (a structural finding, an effort the steps
// do not show).
func (d *detector) fixOf(f *Finding) (fix, bool) {
	j, res := d.j, d.res
	idx := func(id string) int { return j.Index(id) }
	switch f.Reason {
	case AboveExpected, Outlier:
		if f.Evidence["scope"] == "stage" {
			return fix{}, false
		}
		i := idx(f.Touchpoints[0])
		r, _ := f.Evidence["rate"].(float64)
		target, what := 0.0, ""
		if lim, ok := f.Evidence["expected_max"].(float64); ok {
			target, what = lim, fmt.Sprintf("the %s the journey allows", prose.Percent(lim))
		} else if rest, ok := f.Evidence["rest_of_journey_rate"].(float64); ok {
			target, what = rest, fmt.Sprintf("the journey's typical %s", prose.Percent(rest))
		}
		if r <= 0 || target >= r {
			return fix{}, false
		}
		m := target / r
		return fix{edit: func(c *chain) { c.scaleDrops(i, m) },
			assumes: fmt.Sprintf("the drop rate at %q fell from %s to %s", d.name(i), prose.Percent(r), what)}, true
	case DropAfterHandoff:
		a, b := idx(f.Touchpoints[0]), idx(f.Touchpoints[1])
		other, _ := f.Evidence["other_routes_rate"].(float64)
		tr := res.Transitions[[2]int32{int32(a), int32(b)}]
		s := &res.Touchpoints[b]
		if tr == nil || s.Dropped == 0 {
			return fix{}, false
		}
		excess := float64(tr.DropAfter) - float64(tr.Cases)*other
		if excess <= 0 {
			return fix{}, false
		}
		m := max(0, 1-excess/float64(s.Dropped))
		return fix{edit: func(c *chain) { c.scaleDrops(b, m) },
			assumes: fmt.Sprintf("customers handed from %q to %q gave up there no more often than those arriving another way (%s)", d.name(a), d.name(b), prose.Percent(other))}, true
	case PingPong:
		a, b := idx(f.Touchpoints[0]), idx(f.Touchpoints[1])
		// The steps back: from B to A; for a bounce between teams, every
		// undesigned step from B (and from the other touchpoints of the
		// pairs it lists) back to a touchpoint of A's team.
		var back [][2]int
		if !j.IsDesignedIndex(b, a) {
			back = append(back, [2]int{b, a})
		}
		if f.Evidence["level"] == "owner" {
			froms := []int{b}
			if also, ok := f.Evidence["also_between"].([][2]string); ok {
				for _, p := range also {
					froms = append(froms, idx(p[1]))
				}
			}
			owner := j.At(a).Owner
			for _, from := range froms {
				for _, tr := range d.stepsOut[from] {
					if !tr.Designed && j.At(int(tr.To)).Owner == owner && !slices.Contains(back, [2]int{int(tr.From), int(tr.To)}) {
						back = append(back, [2]int{int(tr.From), int(tr.To)})
					}
				}
			}
			slices.SortFunc(back, cmpStep) // cut in (from, to) order, as the chain lists them
		}
		if len(back) == 0 {
			return fix{}, false // the way back is designed: the chain cannot tell a bounce from it
		}
		who := fmt.Sprintf("%q", d.name(a))
		if f.Evidence["level"] == "owner" && j.At(a).Owner != "" {
			who = j.At(a).Owner
		}
		return fix{edit: func(c *chain) {
			for _, s := range back {
				c.cutStep(j, s[0], s[1])
			}
		},
			assumes: fmt.Sprintf("no customer were sent back from %q to %s, going on by the journey's design instead", d.name(b), who)}, true
	case Repeated:
		var loop []int
		for _, id := range f.Touchpoints {
			loop = append(loop, idx(id))
		}
		var back [][2]int
		for _, to := range slices.Compact(slices.Sorted(slices.Values(loop))) {
			for _, tr := range d.stepsIn[to] {
				// A step back: to a touchpoint of the loop from itself, or
				// from one it leads to by design.
				from := int(tr.From)
				if !tr.Designed && (from == to || slices.ContainsFunc(loop, func(x int) bool { return j.Distance(x, from) > 0 })) {
					back = append(back, [2]int{from, to})
				}
			}
		}
		slices.SortFunc(back, cmpStep) // cut in (from, to) order, as the chain lists them
		if len(back) == 0 {
			return fix{}, false
		}
		where := fmt.Sprintf("%q", d.name(loop[0]))
		if len(loop) > 1 {
			where = "the loop through " + where
		}
		return fix{edit: func(c *chain) {
			for _, s := range back {
				c.cutStep(j, s[0], s[1])
			}
		}, assumes: fmt.Sprintf("no customer came back to %s along a step the journey does not design", where)}, true
	case SlowHandoff:
		a, b := idx(f.Touchpoints[0]), idx(f.Touchpoints[1])
		tr := res.Transitions[[2]int32{int32(a), int32(b)}]
		lim, _ := f.Evidence["max_wait_s"].(float64)
		if tr == nil || lim <= 0 {
			return fix{}, false
		}
		limit := time.Duration(lim * float64(time.Second))
		return fix{secs: tr.Wait.ExcessOver(limit).Seconds(),
			assumes: fmt.Sprintf("no wait from %q to %q were longer than the %s allowed", d.name(a), d.name(b), journey.FormatDuration(limit))}, true
	case SlowTouchpoint:
		i := idx(f.Touchpoints[0])
		lim, _ := f.Evidence["max_dwell_s"].(float64)
		if lim <= 0 {
			return fix{}, false
		}
		limit := time.Duration(lim * float64(time.Second))
		return fix{secs: res.Touchpoints[i].Dwell.ExcessOver(limit).Seconds(),
			assumes: fmt.Sprintf("no visit to %q lasted longer than the %s allowed", d.name(i), journey.FormatDuration(limit))}, true
	case SlowStage:
		si := d.j.StageIndex(f.Stage)
		lim, _ := f.Evidence["max_duration_s"].(float64)
		if si < 0 || lim <= 0 {
			return fix{}, false
		}
		limit := time.Duration(lim * float64(time.Second))
		st, _ := d.j.Stage(f.Stage)
		return fix{secs: res.Stages[si].Elapsed.ExcessOver(limit).Seconds(),
			assumes: fmt.Sprintf("no customer took longer over %q than the %s allowed", st.DisplayName(), journey.FormatDuration(limit))}, true
	case Bypassable:
		i := idx(f.Touchpoints[0])
		s := &res.Touchpoints[i]
		return fix{steps: float64(s.Visits), secs: float64(s.Dwell.Count()) * s.Dwell.Mean().Seconds(),
			assumes: fmt.Sprintf("customers no longer went through %q, as %d already skip it without completing less often", d.name(i), s.SkippedCases)}, true
	}
	return fix{}, false
}

// whatIfs sets each finding's WhatIf where one can be computed, and
// returns the headline: every fix at once, so that customers two findings
// share count once. The bootstrap's draws are as many as keep its cost
// near 3×10⁷ option visits (at least 10, at most 100), from fixed seeds:
// the same input gives the same interval.
func (d *detector) whatIfs(fs []Finding) *WhatIf {
	base := newChain(d.j, d.res, d.keys)
	if base.cases == 0 {
		return nil
	}
	var fixes []fix
	var at []int
	for i := range fs {
		if fx, ok := d.fixOf(&fs[i]); ok {
			fixes = append(fixes, fx)
			at = append(at, i)
		}
	}
	if len(fixes) == 0 {
		return nil
	}
	all := fix{assumes: "every finding above were fixed as its own estimate assumes"}
	parts := slices.Clone(fixes)
	all.edit = func(c *chain) {
		for _, fx := range parts {
			if fx.edit != nil {
				fx.edit(c)
			}
		}
	}
	for _, fx := range fixes {
		all.steps += fx.steps
		all.secs += fx.secs
	}
	fixes = append(fixes, all)

	size := len(base.start)
	for _, r := range base.rows {
		size += len(r)
	}
	edits := 1
	for _, fx := range fixes {
		if fx.edit != nil {
			edits++
		}
	}
	point, sol, up := estimate(base, fixes, nil, nil)
	// As many draws as keep the bootstrap near 3×10⁷ option visits (tens
	// of milliseconds), from 10 to 100.
	draws := int(min(100, max(10, 3e7/(float64(edits)*float64(size)*float64(max(sol.sweeps, 1))))))
	// The draws run on every core, each from a seed of its own: the
	// same input gives the same interval, whatever the cores.
	gains := make([][]outcome, draws)
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), draws) {
		wg.Go(func() {
			for b := range next {
				rng := rand.New(rand.NewPCG(0x6a6d, uint64(b)))
				gains[b], _, _ = estimate(base.resample(rng), fixes, sol, up)
			}
		})
	}
	for b := range draws {
		next <- b
	}
	close(next)
	wg.Wait()
	samples := make([][]float64, len(fixes))
	for _, dlts := range gains {
		for k, dlt := range dlts {
			samples[k] = append(samples[k], dlt.completed)
		}
	}
	out := make([]*WhatIf, len(fixes))
	for k, fx := range fixes {
		w := &WhatIf{Assumes: fx.assumes, StepsSaved: round(point[k].steps+fx.steps, 0), HoursSaved: round((point[k].secs+fx.secs)/3600, 0)}
		if fx.edit != nil { // only a fix of the chain changes completions
			slices.Sort(samples[k])
			w.Completed = round(point[k].completed, 0)
			w.Low = round(quantileSorted(samples[k], 0.025), 0)
			w.High = round(quantileSorted(samples[k], 0.975), 0)
			w.Low, w.High = min(w.Low, w.Completed), max(w.High, w.Completed)
		}
		out[k] = w
	}
	for n, i := range at {
		fs[i].WhatIf = out[n]
	}
	return out[len(out)-1]
}

// estimate is, for each fix, what it changes for all the chain's
// customers: completions gained, steps and seconds saved. The chain is
// solved from warm; each fix is solved again from that solution over the
// touchpoints upstream of what it edits (up, once known, is reused: a
// resampled chain has the same steps).
func estimate(c *chain, fixes []fix, warm *solution, up [][]int32) ([]outcome, *solution, [][]int32) {
	b, sol := c.solve(warm)
	out := make([]outcome, len(fixes))
	if up == nil {
		up = make([][]int32, len(fixes))
	}
	for k, fx := range fixes {
		if fx.edit == nil {
			continue
		}
		m := c.clone()
		fx.edit(m)
		if up[k] == nil {
			// Known from the point estimate's edit before any draw runs,
			// so that draws on other goroutines only read it.
			u := m.upstream()
			if u == nil {
				u = []int32{}
			}
			up[k] = u
		}
		a := m.resolve(sol, up[k])
		out[k] = outcome{completed: c.cases * (a.completed - b.completed), steps: c.cases * (b.steps - a.steps), secs: c.cases * (b.secs - a.secs)}
	}
	return out, sol, up
}

// resample draws a chain from the Dirichlet posterior of each row's
// counts (and of where customers start): a Bayesian bootstrap.
func (c *chain) resample(rng *rand.Rand) *chain {
	d := &chain{start: slices.Clone(c.start), rows: make([][]option, len(c.rows)), settle: c.settle, cases: c.cases, pred: c.pred}
	for i, r := range c.rows {
		d.rows[i] = slices.Clone(r)
	}
	for i := range d.start {
		if d.start[i] > 0 {
			d.start[i] = gamma(rng, d.start[i])
		}
	}
	for _, r := range d.rows {
		for k := range r {
			if r[k].n > 0 {
				r[k].n = gamma(rng, r[k].n)
			}
		}
	}
	return d
}

// gamma draws from Gamma(a, 1) by Marsaglia and Tsang's method.
func gamma(rng *rand.Rand, a float64) float64 {
	if a < 1 {
		return gamma(rng, a+1) * math.Pow(rng.Float64(), 1/a)
	}
	dd := a - 1.0/3
	cc := 1 / math.Sqrt(9*dd)
	for {
		x := rng.NormFloat64()
		v := 1 + cc*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+dd*(1-v+math.Log(v)) {
			return dd * v
		}
	}
}

// quantileSorted is the q-quantile of sorted xs, interpolated.
func quantileSorted(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	pos := q * float64(len(xs)-1)
	lo := int(math.Floor(pos))
	hi := min(lo+1, len(xs)-1)
	return xs[lo] + (pos-float64(lo))*(xs[hi]-xs[lo])
}

// RecoverableSentence is the report's headline what-if: what fixing every
// finding at once would bring, customers two findings share counted once;
// "" where it gains nothing.
func (r *Report) RecoverableSentence() string {
	w := r.Recoverable
	if !w.Worth() {
		return ""
	}
	return fmt.Sprintf("Estimate: fixing every finding below would %s, customers that findings share counted once.", w.gains())
}
