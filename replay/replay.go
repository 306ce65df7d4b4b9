package replay

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/journey"
)

// StepKind classifies one step of a case: arriving at a touchpoint.
type StepKind uint8

const (
	// Conforming: along a designed transition (or, for a case's first
	// step, at an entry).
	Conforming StepKind = iota
	// Repeat: back to a touchpoint the case has already met, along no
	// designed transition: rework.
	Repeat
	// Deviation: along no designed transition, to a touchpoint the design
	// reaches from the previous one; the touchpoints on the shortest such
	// path were skipped.
	Deviation
	// OffJourney: along no designed transition and no designed path.
	OffJourney
)

func (k StepKind) String() string {
	return [...]string{"conforming", "repeat", "deviation", "off_journey"}[k]
}

// Outcome is how a case ended.
type Outcome uint8

const (
	InProgress Outcome = iota // last event at a non-goal, not idle past the case timeout
	Completed                 // last event at a goal, or a success outcome reached
	Dropped                   // last event at a non-goal, idle past the case timeout before the log's end
	Ended                     // a designed end (outcome: declined, cancelled...) reached: neither completed nor dropped
)

func (o Outcome) String() string {
	return [...]string{"in_progress", "completed", "dropped", "ended"}[o]
}

// Options tunes a replay. The zero value uses the journey's settings
// and every core.
type Options struct {
	// CaseTimeout overrides the journey's settings.case_timeout.
	CaseTimeout time.Duration
	// Workers is how many goroutines replay cases (default GOMAXPROCS).
	// The result does not depend on it.
	Workers int
	// LogEnd is the instant a case's idle time is measured to (default: the
	// latest timestamp read). Replaying a log in shards, give every shard
	// the whole log's end, or cases will drop differently.
	LogEnd time.Time
	// Since and Until replay one period of the log: the cases whose first
	// event is at or after Since, as they stood at Until (their events
	// from Until on are left out, and Until is the end their idle time is
	// measured to). The events left out are counted in
	// Result.Events.Outside. Zero values leave either side open.
	Since, Until time.Time
	// BySegment also replays each segment (Event.Segment; cases without
	// one form the segment "") into Result.Segments.
	BySegment bool
	// KeepCases keeps every case's summary and path in Result.CaseList.
	// Without it a replay's memory is the aggregates only, once events are
	// grouped.
	KeepCases bool

	// Grouped says the log is sorted by case, as XES traces and most
	// exports sorted by case id are: Run then walks each case as soon
	// as the next begins, and holds only the case being read (and the
	// cases idle for less than the case timeout, whose outcome waits for
	// the log's end). Case ids must come in increasing order, by bytes or
	// with numbers compared by value ("c2" before "c10"); otherwise Run
	// stops with an *OrderError for ErrNotGrouped, and the log must be
	// replayed without Grouped. The result is the same either way.
	Grouped bool
	// Horizon, for a log in time order, ends a case once the log has moved
	// on this long past its last event: Run then holds only the cases
	// active within the horizon. A later event of the same case id begins
	// a new case, so the result differs from an unbounded replay only for
	// customers idle longer than the horizon (make it well above the case
	// timeout). An event older than the latest time read by more than the
	// horizon stops Run with an *OrderError for ErrNotTimeOrdered.
	// Zero (the default) never ends a case before the log does. Grouped
	// takes precedence.
	Horizon time.Duration
	// MemoryBudget, if positive, is how many bytes the events and cases
	// a replay holds may take (HeldEventBytes an event, HeldCaseBytes a
	// case and its id). Past it, Run stops with a *MemoryError that says
	// how to replay the log in less, before the runtime runs out of memory.
	MemoryBudget int64
}

// Case is the replay of one customer's journey.
type Case struct {
	ID         string
	Segment    string
	Outcome    Outcome
	EndedAs    string // with Outcome Ended, the word of the designed end (declined, cancelled...)
	Start, End time.Time
	Path       []int32 // touchpoint indexes, in time order
	Counts
	Unmatched int64 // events of this case that matched no touchpoint
}

// Duration is End - Start.
func (c *Case) Duration() time.Duration { return c.End.Sub(c.Start) }

// Counts are the step counters of a case, or summed over many.
type Counts struct {
	Steps, Conforming, Repeats, Deviations, OffJourney int64
	Skipped                                            int64 // touchpoints skipped by deviations
	Handoffs                                           int64 // steps whose owner or channel changes
	ChannelSwitches                                    int64 // steps whose channel changes
}

func (c *Counts) add(o Counts) {
	c.Steps += o.Steps
	c.Conforming += o.Conforming
	c.Repeats += o.Repeats
	c.Deviations += o.Deviations
	c.OffJourney += o.OffJourney
	c.Skipped += o.Skipped
	c.Handoffs += o.Handoffs
	c.ChannelSwitches += o.ChannelSwitches
}

// Fitness is conforming steps / all steps (1 when there are none).
func (c Counts) Fitness() float64 {
	if c.Steps == 0 {
		return 1
	}
	return float64(c.Conforming) / float64(c.Steps)
}

// Scores counts the answers given, by value: CSAT[v-1] for v in 1..5,
// CES[v-1] for 1..7, NPS[v] for 0..10.
type Scores struct {
	CSAT [5]int64
	CES  [7]int64
	NPS  [11]int64
}

func (s *Scores) add(csat, ces, nps int8) {
	if csat >= 1 {
		s.CSAT[csat-1]++
	}
	if ces >= 1 {
		s.CES[ces-1]++
	}
	if nps >= 0 {
		s.NPS[nps]++
	}
}

func (s *Scores) merge(o *Scores) {
	for i := range s.CSAT {
		s.CSAT[i] += o.CSAT[i]
	}
	for i := range s.CES {
		s.CES[i] += o.CES[i]
	}
	for i := range s.NPS {
		s.NPS[i] += o.NPS[i]
	}
}

// TouchpointStats aggregates the replay at one touchpoint.
type TouchpointStats struct {
	Visits      int64 // events here
	Cases       int64 // cases that met it at least once
	Entries     int64 // cases that started here
	Exits       int64 // cases whose last event is here
	Completed   int64 // cases that met it and completed
	Ended       int64 // cases whose designed end (an outcome other than success) was reached here
	Dropped     int64 // cases that dropped here (last event here, idle past the timeout)
	Bounces     int64 // of Dropped: cases whose only event was here, at an entry
	InProgress  int64 // cases whose last event is here, still in progress
	RepeatCases int64 // cases that met it twice or more
	ReworkCases int64 // cases that came back to it along no designed transition (a Repeat step)
	ExtraVisits int64 // visits beyond each case's first
	// Cases that were bounced (touchpoint or owner ping-pong) across a
	// transition with this touchpoint as one end, and of those, the cases
	// with rework here: whether rework and a bounce are the same customers.
	BouncedCases, BouncedRework int64
	// Cases that skipped it (it lay on the shortest designed path of a
	// deviation) without ever meeting it, and how many of them completed.
	SkippedCases, SkippedCompleted int64
	Dwell                          Durations       // from an event here to the case's next event
	TimeToDrop                     Durations       // for cases dropped here: from the case's start to its last event
	DropPrev                       map[int32]int64 // for cases dropped here: the touchpoint just before (-1: none)
	Scores                         Scores
}

// TransitionStats aggregates the observed steps from one touchpoint to another.
type TransitionStats struct {
	From, To        int32
	Designed        bool
	Count           int64 // steps
	Cases           int64 // cases with at least one such step
	Handoffs        int64 // steps that changed owner or channel
	ChannelSwitches int64
	Wait            Durations
	// Cases whose last step this was and which dropped at To, and the
	// waits of those last steps (so that drops after a slow step can be
	// told from drops after a quick one).
	DropAfter int64
	DropWait  Durations
	// Cases that, after this step, came back to From (touchpoint ping-pong)
	// or, the step being a change of owner, to From's owner (owner
	// ping-pong), where some step of the round trip, from this one to the
	// return, is off the design. A round trip the design draws is not a
	// bounce.
	PingPongCases, OwnerPingPongCases int64
	ScoresBefore, ScoresAfter         Scores // at the From and To events of these steps
}

// StageStats aggregates the replay over the touchpoints of one stage; the
// effort sums divided by Cases give the mean effort per case in the stage.
type StageStats struct {
	Cases      int64 // cases that met a touchpoint of the stage
	Completed  int64 // of those, cases that completed
	Ended      int64 // cases whose designed end was reached at a touchpoint of this stage
	Dropped    int64 // cases that dropped at a touchpoint of this stage
	Bounces    int64 // of Dropped: cases whose only event was at an entry of this stage
	InProgress int64
	Steps      int64     // events in the stage
	Contacts   int64     // distinct touchpoints met in the stage, summed over cases
	Channels   int64     // distinct channels used in the stage, summed over cases
	Handoffs   int64     // steps within the stage (from one of its touchpoints to another) that changed owner or channel
	Switches   int64     // steps within the stage that changed channel
	Elapsed    Durations // per case: from its first to its last event in the stage
	Scores     Scores
}

// Result is a replay of a log through a journey. Results of shards of a log
// (split by case) merge into exactly the single-pass result.
type Result struct {
	Events struct {
		Read, Replayed, Unmatched, Malformed int64
		// Duplicates counts replayed events identical in case, touchpoint
		// and time to the one before them: usually a double export. They
		// are replayed (each is a row) and counted so they can be fixed.
		Duplicates int64
		// Folded counts replayed events that are lifecycle transitions
		// other than complete (schedule, start, suspend...): each is
		// folded into the visit it belongs to rather than made a step.
		Folded int64
		// Outside counts the events left out of a period
		// (Options.Since, Until): Read = Replayed + Unmatched +
		// Malformed + Outside.
		Outside int64
	}
	Cases struct {
		Total, Completed, Dropped, InProgress int64
		// Ended counts, by word, the cases that reached a designed end
		// other than success (declined, cancelled...); they are in Total
		// but neither completed nor dropped.
		Ended map[string]int64
		// NoVisit counts cases whose matched events are all lifecycle
		// transitions other than complete (work scheduled or started,
		// never completed); they are not in Total.
		NoVisit int64
		// UnmatchedOnly counts cases none of whose events matched a
		// touchpoint; they are not in Total.
		UnmatchedOnly int64
	}
	Counts                             // summed over cases
	LogStart, LogEnd time.Time         // first and last timestamps read
	Touchpoints      []TouchpointStats // by touchpoint index
	Transitions      map[[2]int32]*TransitionStats
	Stages           []StageStats // by stage index
	UnmatchedNames   map[string]int64
	// LooseNames maps each event name that met a touchpoint only loosely
	// (see LooseName) to the touchpoint's id.
	LooseNames map[string]string
	Channels   []string // channel names seen in the log, by index
	CaseList   []Case   // with Options.KeepCases, in order of first appearance
	// Segments holds, with Options.BySegment, the result of each
	// segment's cases (without Events, UnmatchedNames or CaseList).
	Segments  map[string]*Result
	Durations Durations // of every case: from its first to its last event
	// Resolution holds the durations of the completed cases: the time to
	// resolution.
	Resolution Durations

	// Per-case aggregates that need the journey to read: MetBoth and
	// ChannelConsistency.
	j           *design.Index
	together    []int64 // by Journey.pairIdx
	consistency []consistencyCount
	trIdx       []*TransitionStats // Transitions by (from+1)*touchpoints+to, filled as they are met (journeys of up to denseTouchpoints)
}

// transition returns the stats of the step from -> to (from -1 for a
// case's start), creating them.
func (r *Result) transition(j *design.Index, from, to int32) *TransitionStats {
	n := len(j.Touchpoints)
	i := int(from+1)*n + int(to)
	if n <= denseTouchpoints {
		if r.trIdx == nil {
			r.trIdx = make([]*TransitionStats, (n+1)*n)
		}
		if tr := r.trIdx[i]; tr != nil {
			return tr
		}
	}
	key := [2]int32{from, to}
	tr := r.Transitions[key]
	if tr == nil {
		tr = &TransitionStats{From: from, To: to, Designed: j.IsDesigned(from, to)}
		r.Transitions[key] = tr
	}
	if n <= denseTouchpoints {
		r.trIdx[i] = tr
	}
	return tr
}

type consistencyCount struct {
	both int64
	main []int64 // by Journey.dchNames
}

// MetBoth is the number of cases that met both touchpoints a and b
// (indexes), which must share a stage; it is 0 for touchpoints of
// different stages, which are not counted.
func (r *Result) MetBoth(a, b int) int64 {
	if r.j == nil || a == b || a < 0 || b < 0 || a >= len(r.j.Touchpoints) || b >= len(r.j.Touchpoints) || r.together == nil {
		return 0
	}
	if k := r.j.PairSlot(int32(a), int32(b)); k >= 0 {
		return r.together[k]
	}
	return 0
}

// ChannelConsistency describes the k-th pair of the journey's Consistency():
// how many cases met both stages and, by channel, how many of them did the
// earlier stage mostly on it. A case's main channel is the designed
// channel of the touchpoints it met most often in the stage (ties go to the
// channel first by name; "" is a touchpoint without one).
func (r *Result) ChannelConsistency(k int) (both int64, mainChannel map[string]int64) {
	mainChannel = map[string]int64{}
	if k < 0 || k >= len(r.consistency) {
		return 0, mainChannel
	}
	c := &r.consistency[k]
	for i, n := range c.main {
		if n > 0 {
			mainChannel[r.j.DchNames[i]] = n
		}
	}
	return c.both, mainChannel
}

// Fitness of the log: conforming steps / all steps.
func (r *Result) Fitness() float64 { return r.Counts.Fitness() }

// Run groups the events of src by case, orders each case by time (file
// order breaking ties), and walks every case through the journey. It
// returns when src is exhausted, or ctx is done, or src fails. A log of
// which events were read but none matched a touchpoint is a
// *NoMatchError, not an empty result.
//
// By default Run holds the events of a log (HeldEventBytes each, and
// HeldCaseBytes a case; an eighth more while they are laid out by case,
// a batch at a time) until it has read them all,
// since a case may appear anywhere in the file. A log sorted by case
// (opts.Grouped) or in time order (opts.Horizon) is replayed as it is
// read, holding only the cases in flight.
func Run(ctx context.Context, j *journey.Journey, src Events, opts Options) (*Result, error) {
	return RunColumns(ctx, j, &eventBlocks{src: src, full: true}, opts)
}

// resolveName finds the touchpoint an event name means: by its id or a
// match name, else by its loose form (loose reports which).
func resolveName(j *design.Index, name string) (i int32, loose bool) {
	if i, ok := j.ByName[name]; ok {
		return i, false
	}
	if i, ok := j.ByLoose[journey.LooseName(name)]; ok {
		return i, true
	}
	return -1, false
}

// workers is Options.Workers, or every core.
func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func caseTimeout(j *design.Index, opts Options) time.Duration {
	if opts.CaseTimeout > 0 {
		return opts.CaseTimeout
	}
	return j.CaseTimeout
}

// designedChannels numbers the touchpoints' designed channels first, so
// that workers can share c's numbering read-only.
func designedChannels(j *design.Index, c *collector) []int16 {
	tpChan := make([]int16, len(j.Touchpoints))
	for i, t := range j.Touchpoints {
		tpChan[i] = c.channel(t.Channel)
	}
	return tpChan
}

func replayCollected(ctx context.Context, j *design.Index, c *collector, tpChan []int16, opts Options) (*Result, error) {
	workers := max(1, min(opts.workers(), len(c.cases)/64+1))
	if !opts.LogEnd.IsZero() {
		c.end = opts.LogEnd.UnixNano()
	}
	shards := make([]*Result, workers)
	walkers := make([]*walker, workers)
	for w := range workers {
		shards[w] = newResult(j, c)
		walkers[w] = newWalker(j, shards[w], c, tpChan, opts)
	}
	var caseList []Case
	if opts.KeepCases {
		caseList = make([]Case, len(c.cases))
		c.byCase.Index() // so that walkers can rebuild ids at once
	}
	// The cases are laid out a batch at a time, and each batch is walked
	// on every core.
	size := max(layoutBatch, c.arena.Len()/layoutPasses)
	// Room for the largest batch at once: batches differ in size, and a
	// buffer grown for the second would be held with the first.
	laid := make([]cev, 0, min(size, c.arena.Len()))
	var starts []int32
	for lo := 0; lo < len(c.cases) && ctx.Err() == nil; {
		hi, _ := c.batchEnd(lo, size)
		laid, starts = c.lay(lo, hi, laid, starts)
		var wg sync.WaitGroup
		chunk := (hi - lo + workers - 1) / workers
		for w := range workers {
			a, b := min(lo+w*chunk, hi), min(lo+(w+1)*chunk, hi)
			wg.Go(func() {
				wk, r := walkers[w], shards[w]
				for i := a; i < b; i++ {
					if i&255 == 0 && ctx.Err() != nil {
						return
					}
					var keep *Case
					if caseList != nil {
						keep = &caseList[i]
					}
					cb := c.caseBuf(i, laid[starts[i-lo]:starts[i-lo+1]:starts[i-lo+1]], keep != nil)
					if opts.BySegment {
						wk.r = r.segment(j, cb.segment)
					}
					wk.walk(&cb, keep)
				}
			})
		}
		wg.Wait()
		lo = hi
	}
	c.arena.Reset()
	c.blockCases = nil
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := shards[0]
	for _, s := range shards[1:] {
		res.Merge(s)
	}
	res.CaseList = caseList
	finishResult(j, res, c, opts)
	return res, nil
}

// finishResult completes a merged result with what the collector counted.
func finishResult(j *design.Index, res *Result, c *collector, opts Options) {
	if opts.KeepCases {
		res.CaseList = slices.DeleteFunc(res.CaseList, func(cs Case) bool { return len(cs.Path) == 0 })
	}
	if opts.BySegment { // the total is the sum of the segments
		for _, seg := range res.Segments {
			res.Merge(seg)
			seg.Channels = c.chNames
		}
	}
	res.Channels = c.chNames
	res.Events.Read = c.read
	for _, n := range c.unmatched {
		res.Events.Unmatched += n
	}
	res.Events.Replayed = res.Events.Read - res.Events.Unmatched - res.Events.Outside
	res.UnmatchedNames = maps.Clone(c.unmatched)
	for name, tp := range c.loose {
		if res.LooseNames == nil {
			res.LooseNames = map[string]string{}
		}
		res.LooseNames[name] = j.Touchpoints[tp].ID
	}
	if c.hasTime {
		res.LogStart, res.LogEnd = time.Unix(0, c.start).UTC(), time.Unix(0, c.end).UTC()
	}
}

func subslice(s []Case, lo, hi int) []Case {
	if s == nil {
		return nil
	}
	return s[lo:hi]
}

func newResult(j *design.Index, c *collector) *Result {
	var channels []string
	if c != nil {
		channels = c.chNames
	}
	cons := make([]consistencyCount, len(j.ConsIdx))
	for k := range cons {
		cons[k].main = make([]int64, len(j.DchNames))
	}
	return &Result{
		j:           j,
		together:    make([]int64, j.NPairs),
		consistency: cons,
		Segments:    map[string]*Result{},
		Touchpoints: make([]TouchpointStats, len(j.Touchpoints)),
		Transitions: map[[2]int32]*TransitionStats{},
		Stages:      make([]StageStats, j.NStages),
		Channels:    channels,
	}
}

// Merge adds the replay of other cases (another shard of the same log,
// replayed through the same journey) to r. Event and case counts, the
// aggregates and the unmatched names add up; the log's time span widens.
//
// Either may be a zero Result: merging into one takes o's shape, and
// merging one in adds nothing. Results replayed through journeys of other
// shapes or ids do not merge: Merge returns an error and leaves r as it
// was. Merging a result into itself adds it twice.
//
// Merge is not safe for concurrent use with any other use of r or o.
func (r *Result) Merge(o *Result) error {
	if o == nil {
		return nil
	}
	if err := r.mergeable(o); err != nil {
		return err
	}
	if o == r {
		o = r.Clone()
	}
	r.merge(o)
	return nil
}

// mergeable is the error for results that do not add up: replayed
// through journeys of other ids or shapes.
func (r *Result) mergeable(o *Result) error {
	if r.Touchpoints == nil || o.Touchpoints == nil {
		return nil // a zero Result takes the other's shape, or adds nothing
	}
	same := len(r.Touchpoints) == len(o.Touchpoints) && len(r.Stages) == len(o.Stages) &&
		(len(r.together) == 0 || len(o.together) == 0 || len(r.together) == len(o.together)) &&
		(len(r.consistency) == 0 || len(o.consistency) == 0 || len(r.consistency) == len(o.consistency))
	if same && r.j != nil && o.j != nil {
		same = r.j.ID == o.j.ID
	}
	if !same {
		id := func(x *Result) string {
			if x.j == nil {
				return "a journey"
			}
			return strconv.Quote(x.j.ID)
		}
		return fmt.Errorf("journey: a result of %s (%d touchpoints, %d stages) cannot merge into one of %s (%d, %d): results merge only when replayed through the same journey", id(o), len(o.Touchpoints), len(o.Stages), id(r), len(r.Touchpoints), len(r.Stages))
	}
	return nil
}

// Check returns an error where r cannot be read as a replay through j: a
// nil or zero Result, or one replayed through a journey of another id or
// shape.
func (r *Result) Check(jr *journey.Journey) error {
	j, err := indexOf(jr)
	if err != nil {
		return err
	}
	switch {
	case r == nil:
		return fmt.Errorf("journey: no result (nil): replay a log through %q first", j.ID)
	case len(r.Touchpoints) != len(j.Touchpoints) || len(r.Stages) != j.NStages:
		return fmt.Errorf("journey: the result has %d touchpoints and %d stages, %q has %d and %d: replay the log through this journey (a zero Result is none)", len(r.Touchpoints), len(r.Stages), j.ID, len(j.Touchpoints), j.NStages)
	case r.j != nil && r.j != j && r.j.ID != j.ID:
		return fmt.Errorf("journey: the result was replayed through %q, not %q", r.j.ID, j.ID)
	}
	return nil
}

// Clone returns a copy of r that shares nothing with it.
func (r *Result) Clone() *Result {
	c := &Result{j: r.j}
	c.merge(r)
	for i := range c.CaseList {
		c.CaseList[i].Path = slices.Clone(c.CaseList[i].Path)
	}
	if r.Channels != nil && c.Channels == nil {
		c.Channels = []string{}
	}
	return c
}

func (r *Result) merge(o *Result) {
	if r.Touchpoints == nil && o.Touchpoints != nil {
		r.Touchpoints = make([]TouchpointStats, len(o.Touchpoints))
		r.Stages = make([]StageStats, len(o.Stages))
	}
	if r.Transitions == nil {
		r.Transitions = map[[2]int32]*TransitionStats{}
	}
	if r.Segments == nil {
		r.Segments = map[string]*Result{}
	}
	for _, ch := range o.Channels { // results replayed apart number channels apart
		if !slices.Contains(r.Channels, ch) {
			r.Channels = append(slices.Clip(r.Channels), ch) // never into a slice another result shares
		}
	}
	sameShape := len(r.Touchpoints) == len(o.Touchpoints) && len(r.Stages) == len(o.Stages)
	addAll(&r.Events, &o.Events)
	addAll(&r.Cases, &o.Cases)
	addAll(&r.Counts, &o.Counts)
	r.Durations.Merge(&o.Durations)
	r.Resolution.Merge(&o.Resolution)
	if r.j == nil {
		r.j = o.j
	}
	if len(o.together) > 0 {
		if r.together == nil {
			r.together = make([]int64, len(o.together))
		}
		for i, n := range o.together {
			r.together[i] += n
		}
	}
	if len(o.consistency) > 0 && r.consistency == nil {
		r.consistency = make([]consistencyCount, len(o.consistency))
	}
	for k := range o.consistency {
		a, b := &r.consistency[k], &o.consistency[k]
		a.both += b.both
		if a.main == nil {
			a.main = make([]int64, len(b.main))
		}
		for i, n := range b.main {
			a.main[i] += n
		}
	}
	if !o.LogStart.IsZero() && (r.LogStart.IsZero() || o.LogStart.Before(r.LogStart)) {
		r.LogStart = o.LogStart
	}
	if o.LogEnd.After(r.LogEnd) {
		r.LogEnd = o.LogEnd
	}
	if sameShape {
		for i := range r.Touchpoints {
			addAll(&r.Touchpoints[i], &o.Touchpoints[i])
		}
		for i := range r.Stages {
			addAll(&r.Stages[i], &o.Stages[i])
		}
	}
	for k, b := range o.Transitions {
		a := r.Transitions[k]
		if a == nil {
			a = &TransitionStats{From: b.From, To: b.To, Designed: b.Designed}
			r.Transitions[k] = a
		}
		addAll(a, b)
	}
	for k, v := range o.LooseNames {
		if r.LooseNames == nil {
			r.LooseNames = map[string]string{}
		}
		r.LooseNames[k] = v
	}
	for k, v := range o.UnmatchedNames {
		if r.UnmatchedNames == nil {
			r.UnmatchedNames = map[string]int64{}
		}
		r.UnmatchedNames[k] += v
	}
	r.CaseList = append(slices.Clip(r.CaseList), o.CaseList...)
	for name, seg := range o.Segments {
		if mine := r.Segments[name]; mine != nil {
			mine.merge(seg)
		} else if r.Segments != nil {
			cp := &Result{j: seg.j, Segments: map[string]*Result{}, Touchpoints: make([]TouchpointStats, len(seg.Touchpoints)), Stages: make([]StageStats, len(seg.Stages)), Transitions: map[[2]int32]*TransitionStats{}, Channels: slices.Clone(seg.Channels)}
			cp.merge(seg)
			r.Segments[name] = cp
		}
	}
}

// indexOf is the frozen index of a loaded journey, or an error for a nil
// or zero *journey.Journey.
func indexOf(j *journey.Journey) (*design.Index, error) {
	if j == nil {
		return nil, errors.New("journey: no journey (nil): load one with journey.Load or journey.Parse")
	}
	x := design.Of(j)
	if x == nil {
		return nil, errors.New("journey: a zero journey.Journey has no touchpoints: load one with journey.Load or journey.Parse")
	}
	return x, nil
}
