package live

import (
	"maps"
	"math"
	"slices"
	"time"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/replay"
)

// Alert says that a finding appeared, regressed or resolved in a window
// of event time, against the windows before it (contract 8).
type Alert struct {
	Window   Span          `json:"window"`
	Change   string        `json:"change"` // new, regressed or resolved
	Finding  FindingRef    `json:"finding"`
	Summary  string        `json:"summary"`
	Evidence AlertEvidence `json:"evidence"`
}

// Span is a window of event time, [Start, End).
type Span struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// FindingRef names a finding: what friction.Finding.Key is made of.
type FindingRef struct {
	Kind        friction.Kind   `json:"kind"`
	Reason      friction.Reason `json:"reason"`
	Touchpoints []string        `json:"touchpoints"`
	Stage       string          `json:"stage,omitempty"`
}

// AlertEvidence is the test behind an alert: the rate behind the finding
// in the baseline and in the window, the customers of each, and the
// p-value before Holm's correction (the change passed it at 95% across
// the window's findings).
type AlertEvidence struct {
	Key             string  `json:"key"`
	RateBaseline    float64 `json:"rate_baseline"`
	RateWindow      float64 `json:"rate_window"`
	CasesBaseline   int64   `json:"cases_baseline"`
	CasesWindow     int64   `json:"cases_window"`
	P               float64 `json:"p"`
	BaselineWindows int     `json:"baseline_windows"`
}

// The changes an alert reports.
const (
	ChangeNew       = "new"
	ChangeRegressed = "regressed"
	ChangeResolved  = "resolved"
)

// windows holds what continuous listening needs: per window of event
// time not yet judged, the replay of its closed cases; per judged window
// kept for baselines, its replay; and the findings alerted on and not
// yet resolved.
type windows struct {
	r        *Replayer
	size     time.Duration
	baseline int
	pending  map[int64]*replay.Result // window -> its closed cases, replayed as of its judgment
	judged   map[int64]*replay.Result // window -> its replay, when it had enough cases
	next     int64                    // the first window not yet judged
	started  bool
	active   map[string]*friction.Report // finding keys alerted on as new or regressed, with the report of the window alerted on
}

func newWindows(r *Replayer) *windows {
	b := r.opts.Baseline
	if b <= 0 {
		b = 4
	}
	return &windows{r: r, size: r.opts.Window, baseline: b, pending: map[int64]*replay.Result{}, judged: map[int64]*replay.Result{}, active: map[string]*friction.Report{}}
}

// begin starts the windows at the first event released (the earliest:
// they are released in time order).
func (w *windows) begin(t time.Time) {
	if !w.started {
		w.next, w.started = w.of(t), true
	}
}

// of is the window an instant falls in.
func (w *windows) of(t time.Time) int64 {
	n := t.UnixNano()
	k := n / int64(w.size)
	if n < 0 && n%int64(w.size) != 0 {
		k--
	}
	return k
}

func (w *windows) span(k int64) Span {
	start := time.Unix(0, k*int64(w.size)).UTC()
	return Span{Start: start, End: start.Add(w.size)}
}

// judgeAt is when window k is judged: its end plus the case timeout, so
// that a customer who began in it has had time to finish or to drop.
func (w *windows) judgeAt(k int64) time.Time { return w.span(k).End.Add(w.r.timeout) }

// closed replays closed cases into the windows they began in, as those
// windows will be judged; a window already judged has them already.
func (w *windows) closed(cases []*openCase) {
	byWindow := map[int64][]*openCase{}
	for _, c := range cases {
		if k := w.of(c.evs[0].Time); k >= w.next {
			byWindow[k] = append(byWindow[k], c)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(byWindow)) {
		res, err := w.r.replay(byWindow[k], farFuture, w.judgeAt(k))
		if err != nil {
			continue
		}
		if p := w.pending[k]; p != nil {
			_ = p.Merge(res)
		} else {
			w.pending[k] = res
		}
	}
}

// judge judges, in order, every window whose judgment time the events
// have passed: its closed cases and its cases still open, as they stood
// then. It runs with r.mu held.
func (w *windows) judge(clock time.Time) {
	if !w.started {
		return
	}
	for !clock.Before(w.judgeAt(w.next)) {
		k := w.next
		w.r.flush()
		var open []*openCase
		for _, c := range w.r.open {
			if w.of(c.evs[0].Time) == k {
				open = append(open, c)
			}
		}
		slices.SortFunc(open, func(a, b *openCase) int { return int(a.seq - b.seq) })
		res := w.pending[k]
		delete(w.pending, k)
		if now, err := w.r.replay(open, farFuture, w.judgeAt(k)); err == nil {
			if res == nil {
				res = now
			} else {
				_ = res.Merge(now)
			}
		}
		w.next++
		if res == nil {
			continue
		}
		w.assess(k, res)
	}
}

// assess sets window k against its baseline and alerts on the changes.
func (w *windows) assess(k int64, res *replay.Result) {
	opts := w.r.opts.Friction
	rep := friction.Analyze(w.r.j, res, opts)
	if res.Cases.Total < int64(rep.Thresholds.MinCases) {
		return // too few customers to judge: not judged, and no baseline
	}
	w.judged[k] = res
	// The baseline: the windows before (the same weekday, for days).
	step := int64(1)
	if w.size == 24*time.Hour {
		step = 7
	}
	var base *replay.Result
	used := 0
	for b := k - step; used < w.baseline && b >= k-step*int64(4*w.baseline); b -= step {
		if p := w.judged[b]; p != nil {
			if base == nil {
				base = p.Clone()
			} else {
				_ = base.Merge(p)
			}
			used++
		}
	}
	// Forget what no baseline will need again.
	for b := range w.judged {
		if b < k-step*int64(4*w.baseline) {
			delete(w.judged, b)
		}
	}
	if base == nil {
		return // the first windows make the baseline
	}
	if 2*res.Cases.Total*int64(used) < base.Cases.Total {
		return // under half the customers of a baseline window: a window the traffic has not filled
	}
	before := friction.Analyze(w.r.j, base, opts)
	c := friction.Compare(before, rep)
	span := w.span(k)
	alert := func(change string, f friction.Finding, d *friction.FindingDelta) {
		a := Alert{Window: span, Change: change, Summary: f.Summary,
			Finding:  FindingRef{Kind: f.Kind, Reason: f.Reason, Touchpoints: f.Touchpoints, Stage: f.Stage},
			Evidence: AlertEvidence{Key: f.Key(), BaselineWindows: used}}
		if d != nil {
			a.Evidence.RateBaseline, a.Evidence.RateWindow, a.Evidence.CasesBaseline, a.Evidence.CasesWindow, a.Evidence.P = d.RateBefore, d.RateAfter, d.CasesBefore, d.CasesAfter, d.P
			if a.Summary == "" {
				a.Summary = d.Summary
			}
		} else {
			// A new finding: the rates behind it, from the two reports'
			// measures.
			key := f.Key()
			mb, mw := before.Measures[key], rep.Measures[key]
			a.Evidence.RateBaseline, a.Evidence.RateWindow = rate(mb), rate(mw)
			a.Evidence.CasesBaseline, a.Evidence.CasesWindow = mb.N, mw.N
			a.Evidence.P = twoSidedP(mb, mw)
		}
		if w.r.opts.OnAlert != nil {
			w.r.opts.OnAlert(a)
		}
	}
	deltas := map[string]*friction.FindingDelta{}
	for _, list := range [][]friction.FindingDelta{c.Regressed, c.Improved, c.Unchanged} {
		for i := range list {
			deltas[list[i].Key] = &list[i]
		}
	}
	byKey := map[string]friction.Finding{}
	for _, f := range rep.Findings {
		byKey[f.Key()] = f
	}
	for _, f := range before.Findings {
		if _, ok := byKey[f.Key()]; !ok {
			byKey[f.Key()] = f
		}
	}
	c.Appeared = slices.DeleteFunc(c.Appeared, func(f friction.Finding) bool { return !alertable[f.Reason] })
	c.Regressed = slices.DeleteFunc(c.Regressed, func(d friction.FindingDelta) bool { return !alertable[byKey[d.Key].Reason] })
	for _, f := range c.Appeared {
		// Only a change the test can see: a finding the baseline had too
		// few customers to weigh is not new, only unknown.
		if _, ok := before.Measures[f.Key()]; !ok {
			continue
		}
		if _, ok := rep.Measures[f.Key()]; !ok {
			continue
		}
		if w.active[f.Key()] == nil {
			w.active[f.Key()] = rep
			alert(ChangeNew, f, deltas[f.Key()])
		}
	}
	for i := range c.Regressed {
		d := &c.Regressed[i]
		if w.active[d.Key] == nil {
			w.active[d.Key] = rep
			alert(ChangeRegressed, byKey[d.Key], d)
		}
	}
	// Resolved: the rate behind a finding alerted on is surely lower than
	// in the window it was alerted on (the same test, against that
	// window): it disappeared, or, where the journey always had some of
	// it, it is back down.
	for _, key := range slices.Sorted(maps.Keys(w.active)) {
		then := w.active[key]
		if then == rep {
			continue
		}
		since := friction.Compare(then, rep)
		for _, f := range since.Disappeared {
			if f.Key() == key {
				delete(w.active, key)
				alert(ChangeResolved, f, nil)
			}
		}
		for i := range since.Improved {
			if d := &since.Improved[i]; d.Key == key {
				f, _ := findingIn(then, key)
				delete(w.active, key)
				alert(ChangeResolved, f, d)
			}
		}
	}
}

// alertable are the findings whose rate is a harm customers feel, that
// a window can regress on: those lost, bounced, kept waiting, made to
// redo or repeat. A bypassable or pass-through step's rate, a stage's
// effort and the journey's structure are read off whole reports, not
// alerted on.
var alertable = map[friction.Reason]bool{
	friction.AboveExpected: true, friction.Outlier: true, friction.DropAfterHandoff: true,
	friction.Repeated: true, friction.PingPong: true, friction.SlowHandoff: true,
	friction.SlowTouchpoint: true, friction.SlowStage: true,
	friction.ScoreDrop: true, friction.Undesigned: true, friction.DuplicateChannel: true,
}

func findingIn(rep *friction.Report, key string) (friction.Finding, bool) {
	for _, f := range rep.Findings {
		if f.Key() == key {
			return f, true
		}
	}
	return friction.Finding{}, false
}

func rate(m friction.Measure) float64 {
	if m.N == 0 {
		return 0
	}
	return math.Round(float64(m.K)/float64(m.N)*1e4) / 1e4
}

// twoSidedP is the two-proportion z-test's p-value (before correction).
func twoSidedP(a, b friction.Measure) float64 {
	if a.N == 0 || b.N == 0 {
		return 1
	}
	p1, p2 := float64(a.K)/float64(a.N), float64(b.K)/float64(b.N)
	pool := float64(a.K+b.K) / float64(a.N+b.N)
	se := math.Sqrt(pool * (1 - pool) * (1/float64(a.N) + 1/float64(b.N)))
	if se == 0 {
		return 1
	}
	z := math.Abs(p2-p1) / se
	return math.Round(math.Erfc(z/math.Sqrt2)*1e6) / 1e6
}
