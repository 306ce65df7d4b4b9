package live

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// Event is one event as a service sees it happen: the keys of a log row
// (contract 2). Its zero scores mean "not answered".
type Event struct {
	Case       string
	Touchpoint string // the event name; the journey maps it to a touchpoint
	Time       time.Time
	Channel    string // the channel the customer used, or "" for the touchpoint's own
	Lifecycle  string // start, complete... or ""
	Segment    string // the case's segment (persona, region...), or ""
	// Scores given at this event: CSAT 1-5, CES 1-7, NPS 0-10; the zero
	// Score is not answered (see Answer).
	CSAT, CES, NPS Score
}

// Score is a survey answer, or its absence: the zero value is "not
// answered", Answer(n) the answer n.
type Score int8

// Answer is the Score of an answer n.
func Answer(n int) Score { return Score(n + 1) }

// Value returns the answer, and whether there is one.
func (s Score) Value() (int, bool) { return int(s) - 1, s != 0 }

func (s Score) journey() int8 { return int8(s) - 1 }

// FromLog is the Event of a row read by an eventlog reader, its segment
// read from the attribute named segment (if any).
func FromLog(e eventlog.Event, segment string) Event {
	ev := Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Channel: e.Channel, Lifecycle: e.Lifecycle,
		CSAT: Score(e.CSAT + 1), CES: Score(e.CES + 1), NPS: Score(e.NPS + 1)}
	if segment != "" {
		if v, ok := e.Attr(segment); ok {
			ev.Segment = v
		} else if v, ok := e.Attr("case:" + segment); ok {
			ev.Segment = v
		}
	}
	return ev
}

// ErrLate is the cause of the error for an event older than the lateness
// bound allows: the latest event time less Options.Lateness.
var ErrLate = errors.New("the event is later than the lateness bound allows")

// Options tune a Replayer. The zero value takes events in time order,
// closes cases after the journey's case_timeout, and does not alert.
type Options struct {
	// Lateness is how far behind the latest event time an event may
	// arrive and still be replayed as if it had come in order.
	Lateness time.Duration
	// Horizon is how long a case may idle before it closes, and a later
	// event of its customer begins a new case (default, and at least,
	// the journey's case_timeout, or CaseTimeout).
	Horizon time.Duration
	// CaseTimeout overrides the journey's case_timeout.
	CaseTimeout time.Duration
	// BySegment also replays each segment (Event.Segment).
	BySegment bool
	// Friction tunes the reports (and the alerts' findings).
	Friction friction.Options

	// Window, if set, is the length of the windows of event time that
	// are judged for alerts, from the Unix epoch (UTC midnights, for
	// days). Baseline is how many earlier windows a window is set
	// against (default 4; for windows of a day, the same weekday of the
	// weeks before). OnAlert is called with each alert, from the
	// goroutine whose Add closed the window; it must not call the
	// Replayer.
	Window   time.Duration
	Baseline int
	OnAlert  func(Alert)
}

// Stats count what a Replayer was given: Added events were accepted,
// Late ones refused with ErrLate.
type Stats struct {
	Added, Late int64
	// Open and Held are the cases in flight and the events they hold
	// (with those waiting for the lateness bound).
	Open, Held int
}

// A Replayer is a live replay of one journey. It is safe for concurrent
// use: Add, AddBatch, Snapshot, Report and Stats may be called from any
// number of goroutines.
type Replayer struct {
	j       *journey.Journey
	opts    Options
	horizon time.Duration
	timeout time.Duration

	mu       sync.Mutex
	waiting  eventHeap // accepted events not yet past the lateness bound, by time
	seq      int64
	any      bool
	minSeen  time.Time
	maxSeen  time.Time
	clock    time.Time // the latest time released to the cases
	open     map[string]*openCase
	nextCase int64
	closing  []*openCase // closed, not yet replayed into closed
	closed   *replay.Result
	stats    Stats
	sweptAt  time.Time
	windows  *windows // nil without Options.Window
}

// openCase is a case in flight: its events in time order and the latest
// of their times.
type openCase struct {
	id   string
	evs  []replay.Event
	last time.Time
	seq  int64
}

// farFuture is the log end closed cases are replayed to: they are idle
// past the horizon, so past the case timeout, whatever the log does next.
var farFuture = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC) // within what a time in nanoseconds can hold

// New returns a live replay of j.
func New(j *journey.Journey, opts Options) (*Replayer, error) {
	if opts.Lateness < 0 || opts.Horizon < 0 || opts.Window < 0 {
		return nil, fmt.Errorf("live: Lateness, Horizon and Window must not be negative")
	}
	timeout := j.Settings().CaseTimeout
	if opts.CaseTimeout > 0 {
		timeout = opts.CaseTimeout
	}
	r := &Replayer{j: j, opts: opts, timeout: timeout, horizon: max(opts.Horizon, timeout), open: map[string]*openCase{}}
	empty, err := r.replay(nil, farFuture, time.Time{})
	if err != nil {
		return nil, err
	}
	r.closed = empty
	if opts.Window > 0 {
		r.windows = newWindows(r)
	}
	return r, nil
}

// Horizon is the idle time after which a case closes: Options.Horizon,
// or the case timeout where that is longer. A batch replay with this
// horizon gives what Snapshot gives.
func (r *Replayer) Horizon() time.Duration { return r.horizon }

// Add replays one event. It returns ctx's error if ctx is done, an error
// wrapping ErrLate for an event older than the lateness bound, and a
// *replay.EventError for a score out of range; the event is then not
// replayed (a late one is counted in Stats).
func (r *Replayer) Add(ctx context.Context, ev Event) error {
	return r.AddBatch(ctx, []Event{ev})
}

// AddBatch replays events in order, as Add does, stopping at the first
// that is refused: the events before it are replayed, the rest are not.
func (r *Replayer) AddBatch(ctx context.Context, evs []Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for i := range evs {
		if err := checkScores(&evs[i]); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := range evs {
		if err := r.add(&evs[i]); err != nil {
			return err
		}
	}
	r.release()
	return nil
}

func checkScores(ev *Event) error {
	if ev.CSAT < 0 || ev.CSAT > Answer(5) || ev.CES < 0 || ev.CES > Answer(7) || ev.NPS < 0 || ev.NPS > Answer(10) {
		return &replay.EventError{Reason: fmt.Sprintf("a score out of range (CSAT %d of 1-5, CES %d of 1-7, NPS %d of 0-10)", ev.CSAT.journey(), ev.CES.journey(), ev.NPS.journey())}
	}
	return nil
}

func (r *Replayer) add(ev *Event) error {
	if r.any && ev.Time.Before(r.maxSeen.Add(-r.opts.Lateness)) {
		r.stats.Late++
		return fmt.Errorf("live: an event at %s, %s behind the latest (%s): %w (Options.Lateness %s)",
			ev.Time.UTC().Format(time.RFC3339), journey.FormatDuration(r.maxSeen.Sub(ev.Time)), r.maxSeen.UTC().Format(time.RFC3339), ErrLate, journey.FormatDuration(r.opts.Lateness))
	}
	if !r.any || ev.Time.Before(r.minSeen) {
		r.minSeen = ev.Time
	}
	if !r.any || ev.Time.After(r.maxSeen) {
		r.maxSeen = ev.Time
	}
	r.any = true
	r.stats.Added++
	heap.Push(&r.waiting, waitingEvent{ev: toJourney(ev), seq: r.seq})
	r.seq++
	return nil
}

func toJourney(ev *Event) replay.Event {
	return replay.Event{Case: ev.Case, Touchpoint: ev.Touchpoint, Time: ev.Time, Channel: ev.Channel, Lifecycle: ev.Lifecycle,
		CSAT: ev.CSAT.journey(), CES: ev.CES.journey(), NPS: ev.NPS.journey(), Segment: ev.Segment}
}

// release hands the events the lateness bound has passed to their cases,
// in time order (arrival order between equal times), closes the cases
// idle past the horizon, and judges the windows the events have left.
func (r *Replayer) release() {
	mark := r.maxSeen.Add(-r.opts.Lateness)
	for r.waiting.Len() > 0 && !r.waiting[0].ev.Time.After(mark) {
		w := heap.Pop(&r.waiting).(waitingEvent)
		if r.windows != nil {
			r.windows.begin(w.ev.Time)
		}
		feed(r.open, &r.nextCase, &r.clock, w.ev, r.horizon, func(c *openCase) { r.closing = append(r.closing, c) })
	}
	if r.clock.Sub(r.sweptAt) > r.horizon/8 {
		r.sweptAt = r.clock
		for _, c := range sweep(r.open, r.clock, r.horizon) {
			r.closing = append(r.closing, c)
		}
	}
	if len(r.closing) >= 1024 {
		r.flush()
	}
	if r.windows != nil {
		r.windows.judge(r.clock)
	}
}

// feed gives an event, in time order, to its case: a new one where its
// customer has none open, or has idled past the horizon (that case then
// closes). It is the batch replay's rule for a log in time order.
func feed(open map[string]*openCase, next *int64, clock *time.Time, ev replay.Event, horizon time.Duration, closed func(*openCase)) {
	if ev.Time.After(*clock) {
		*clock = ev.Time
	}
	c := open[ev.Case]
	if c != nil && clock.Sub(c.last) > horizon {
		delete(open, ev.Case)
		closed(c)
		c = nil
	}
	if c == nil {
		c = &openCase{id: ev.Case, last: ev.Time, seq: *next}
		*next++
		open[ev.Case] = c
	}
	c.evs = append(c.evs, ev)
	if ev.Time.After(c.last) {
		c.last = ev.Time
	}
}

// sweep closes, in order of first appearance, the cases idle past the
// horizon at clock.
func sweep(open map[string]*openCase, clock time.Time, horizon time.Duration) []*openCase {
	var done []*openCase
	for id, c := range open {
		if clock.Sub(c.last) > horizon {
			done = append(done, c)
			delete(open, id)
		}
	}
	slices.SortFunc(done, func(a, b *openCase) int { return int(a.seq - b.seq) })
	return done
}

// flush replays the closed cases into the closed aggregate (and their
// windows').
func (r *Replayer) flush() {
	if len(r.closing) == 0 {
		return
	}
	res, err := r.replay(r.closing, farFuture, time.Time{})
	if err == nil { // the events were checked as they came
		_ = r.closed.Merge(res)
	}
	if r.windows != nil {
		r.windows.closed(r.closing)
	}
	r.closing = r.closing[:0]
}

// replay replays cases into a new result, judged at logEnd, their events
// from until on left out (until zero: none).
func (r *Replayer) replay(cases []*openCase, logEnd, until time.Time) (*replay.Result, error) {
	cr, err := replay.NewCaseReplayer(r.j, replay.Options{LogEnd: logEnd, Until: until, CaseTimeout: r.timeout, BySegment: r.opts.BySegment})
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		if err := cr.Replay(c.id, c.evs); err != nil {
			return nil, err
		}
	}
	return cr.Result(), nil
}

// Snapshot returns the replay of every event accepted so far: the batch
// replay of the same events in time order with Horizon (see Horizon),
// the log ending at the latest event time. The Replayer goes on.
func (r *Replayer) Snapshot(ctx context.Context) (*replay.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.flush()
	res := r.closed.Clone()
	// The cases in flight, and the events waiting for the lateness
	// bound, are replayed as the log's end would: copies, released in
	// time order, split as the horizon says.
	open := make(map[string]*openCase, len(r.open))
	for id, c := range r.open {
		open[id] = &openCase{id: c.id, evs: slices.Clone(c.evs), last: c.last, seq: c.seq}
	}
	waiting := slices.Clone(r.waiting)
	next, clock := r.nextCase, r.clock
	minSeen, maxSeen, any := r.minSeen, r.maxSeen, r.any
	r.mu.Unlock()

	slices.SortFunc(waiting, func(a, b waitingEvent) int { return a.compare(b) })
	var closedNow []*openCase
	for _, w := range waiting {
		feed(open, &next, &clock, w.ev, r.horizon, func(c *openCase) { closedNow = append(closedNow, c) })
	}
	still := make([]*openCase, 0, len(open))
	for _, c := range open {
		still = append(still, c)
	}
	slices.SortFunc(still, func(a, b *openCase) int { return int(a.seq - b.seq) })
	for _, part := range []struct {
		cases []*openCase
		end   time.Time
	}{{closedNow, farFuture}, {still, maxSeen}} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, err := r.replay(part.cases, part.end, time.Time{})
		if err != nil {
			return nil, err
		}
		if err := res.Merge(p); err != nil {
			return nil, err
		}
	}
	if any {
		res.LogStart, res.LogEnd = minSeen.UTC(), maxSeen.UTC()
	} else {
		res.LogStart, res.LogEnd = time.Time{}, time.Time{}
	}
	return res, nil
}

// Report returns the friction report of Snapshot: the batch report of
// the same events, byte for byte.
func (r *Replayer) Report(ctx context.Context) (*friction.Report, error) {
	res, err := r.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	return friction.AnalyzeContext(ctx, r.j, res, r.opts.Friction)
}

// Stats returns the counts so far.
func (r *Replayer) Stats() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats
	s.Open = len(r.open)
	s.Held = r.waiting.Len()
	for _, c := range r.open {
		s.Held += len(c.evs)
	}
	return s
}

// waitingEvent is an accepted event waiting for the lateness bound, with
// its arrival number (the order between equal times).
type waitingEvent struct {
	ev  replay.Event
	seq int64
}

func (a waitingEvent) compare(b waitingEvent) int {
	if c := a.ev.Time.Compare(b.ev.Time); c != 0 {
		return c
	}
	return int(a.seq - b.seq)
}

type eventHeap []waitingEvent

func (h eventHeap) Len() int           { return len(h) }
func (h eventHeap) Less(i, j int) bool { return h[i].compare(h[j]) < 0 }
func (h eventHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *eventHeap) Push(x any)        { *h = append(*h, x.(waitingEvent)) }
func (h *eventHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
