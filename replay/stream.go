package replay

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/journey"
)

// ErrNotGrouped is the cause of an *OrderError when a log replayed with
// Options.Grouped is not sorted by case.
var ErrNotGrouped = errors.New("the log is not sorted by case")

// ErrNotTimeOrdered is the cause of an *OrderError when a log replayed
// with Options.Horizon is not in time order.
var ErrNotTimeOrdered = errors.New("the log is not in time order")

// ErrCaseNotInTimeOrder is the cause of an *OrderError when a log
// discovered with discover.Options.InTimeOrder has a case whose events are
// not in time order.
var ErrCaseNotInTimeOrder = errors.New("a case's events are not in time order")

// OrderError says where a log breaks the order a streaming replay or
// discovery relies on. errors.Is(err, ErrNotGrouped), (err,
// ErrNotTimeOrdered) or (err, ErrCaseNotInTimeOrder) tells which.
//
// Its message names the line, never the case ids, which are customer data
// (Case and Prev hold them for a program that needs them).
type OrderError struct {
	Err  error  // ErrNotGrouped, ErrNotTimeOrdered or ErrCaseNotInTimeOrder
	Line int64  // the event's line, or 0 when the source gives none
	Case string // the event's case
	Prev string // ErrNotGrouped: the case read before it
	// Behind is how far the event is older than the latest time read
	// (ErrNotTimeOrdered) or than the event before it in its case
	// (ErrCaseNotInTimeOrder).
	Behind time.Duration
	// Horizon is Options.Horizon; for ErrNotTimeOrdered, the event
	// lies Behind the latest time read, more than Horizon.
	Horizon time.Duration
}

func (e *OrderError) Error() string {
	where := ""
	if e.Line > 0 {
		where = fmt.Sprintf("line %d: ", e.Line)
	}
	if errors.Is(e.Err, ErrCaseNotInTimeOrder) {
		return fmt.Sprintf("%sthe event is %s older than the one before it in its case: %v; discover the log without InTimeOrder",
			where, journey.FormatDuration(e.Behind), e.Err)
	}
	if errors.Is(e.Err, ErrNotTimeOrdered) {
		return fmt.Sprintf("%sthe event is %s older than an event before it, more than the horizon (%s): %v; sort it by time, or replay it without a horizon",
			where, journey.FormatDuration(e.Behind), journey.FormatDuration(e.Horizon), e.Err)
	}
	return fmt.Sprintf("%sits case comes after one that sorts after it: %v, so it cannot be replayed a case at a time; sort it by case, or replay it without Grouped",
		where, e.Err)
}

func (e *OrderError) Unwrap() error { return e.Err }

// Streaming hands finished cases to the workers in batches of about this
// many events.
const streamBatchEvents = 8192

// streamBatch is a run of finished cases, their events laid out one case
// after another.
type streamBatch struct {
	cases []caseBuf
	offs  []int // where each case's events start in arena, then len(arena)
	seqs  []int64
	arena []cev
	clock int64 // the latest time read when the batch was handed over
}

func (b *streamBatch) reset() {
	b.cases, b.offs, b.seqs, b.arena = b.cases[:0], b.offs[:0], b.seqs[:0], b.arena[:0]
}

// streamShard is one worker's share of a streaming replay.
type streamShard struct {
	w       *walker
	r       *Result
	kept    []Case
	keptSeq []int64
	scanAt  int // settle the pending cases once there are this many
}

// replayStream replays a log whose order lets each case be walked as soon
// as it is whole: sorted by case (opts.Grouped), or in time order with a
// horizon (opts.Horizon). It holds the cases being read, the cases walked
// whose outcome waits for the log's end (those idle for less than the case
// timeout at the latest time read), and the aggregates.
func replayStream(ctx context.Context, j *design.Index, src ColumnSource, opts Options) (*Result, error) {
	c := newCollector(func(name string) (int32, bool) { return resolveName(j, name) })
	c.budget = opts.MemoryBudget
	tpChan := designedChannels(j, c)
	workers := opts.workers()
	logEnd := int64(openEnd)
	if !opts.LogEnd.IsZero() {
		logEnd = opts.LogEnd.UnixNano()
	}

	todo := make(chan *streamBatch, workers)
	free := make(chan *streamBatch, 2*workers+2)
	shards := make([]*streamShard, workers)
	var wg sync.WaitGroup
	for i := range shards {
		r := newResult(j, c)
		w := newWalker(j, r, c, tpChan, opts)
		w.logEnd = logEnd
		sh := &streamShard{w: w, r: r, scanAt: 1024}
		shards[i] = sh
		wg.Go(func() {
			for b := range todo {
				sh.walkBatch(j, b, opts)
				b.reset()
				select {
				case free <- b:
				default:
				}
			}
		})
	}
	getBatch := func() *streamBatch {
		select {
		case b := <-free:
			return b
		default:
			return &streamBatch{}
		}
	}
	b := getBatch()
	send := func() {
		b.offs = append(b.offs, len(b.arena))
		b.clock = c.end
		todo <- b
		b = getBatch()
	}
	// add appends one case, whose events follow, to the batch.
	add := func(id, segment string, unmatched, seq int64) {
		b.cases = append(b.cases, caseBuf{id: id, segment: segment, unmatched: unmatched})
		b.offs = append(b.offs, len(b.arena))
		b.seqs = append(b.seqs, seq)
	}

	var err error
	if opts.Grouped {
		err = c.streamGrouped(ctx, src, &b, add, send)
	} else {
		err = c.streamByTime(ctx, src, opts.Horizon, &b, add, send)
	}
	if err == nil && len(b.cases) > 0 {
		send()
	}
	close(todo)
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, err
	}

	// The log's end is known: settle the cases still waiting for it.
	end := logEnd
	if end == openEnd {
		end = c.end
	}
	c.end = end
	res := shards[0].r
	var kept []Case
	var keptSeq []int64
	for _, sh := range shards {
		for k := range sh.w.pending {
			p := &sh.w.pending[k]
			out := sh.w.settle(p, end)
			if p.keep >= 0 {
				sh.kept[p.keep].Outcome = out
			}
		}
		sh.w.pending = nil
		if sh != shards[0] {
			res.Merge(sh.r)
		}
		kept = append(kept, sh.kept...)
		keptSeq = append(keptSeq, sh.keptSeq...)
	}
	if opts.KeepCases {
		order := make([]int, len(kept))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return int(keptSeq[a] - keptSeq[b]) })
		res.CaseList = make([]Case, 0, len(kept))
		for _, i := range order {
			res.CaseList = append(res.CaseList, kept[i])
		}
	}
	finishResult(j, res, c, opts)
	return res, nil
}

// walkBatch walks a batch's cases into the shard, then settles the pending
// cases the log has left behind: the log ends no earlier than the latest
// time read, so a case idle past the timeout then has dropped.
func (sh *streamShard) walkBatch(j *design.Index, b *streamBatch, opts Options) {
	w := sh.w
	for i := range b.cases {
		cb := &b.cases[i]
		cb.evs = b.arena[b.offs[i]:b.offs[i+1]:b.offs[i+1]]
		w.r = sh.r
		if opts.BySegment {
			w.r = sh.r.segment(j, cb.segment)
		}
		var keep *Case
		if opts.KeepCases {
			sh.kept = append(sh.kept, Case{})
			sh.keptSeq = append(sh.keptSeq, b.seqs[i])
			keep = &sh.kept[len(sh.kept)-1]
		}
		if p := w.walk(cb, keep); p != nil && keep != nil {
			p.keep = int32(len(sh.kept) - 1)
		}
	}
	if w.logEnd != openEnd || len(w.pending) < sh.scanAt {
		return
	}
	still := w.pending[:0]
	for _, p := range w.pending {
		if b.clock-p.last <= w.timeout {
			still = append(still, p)
			continue
		}
		out := w.settle(&p, b.clock)
		if p.keep >= 0 {
			sh.kept[p.keep].Outcome = out
		}
	}
	clear(w.pending[len(still):])
	w.pending = still
	sh.scanAt = 2*len(still) + 1024
}

// MaxSegments is the most segments a replay by segment holds (each is a
// result of its own): the cases of any further segment are replayed into
// OverflowSegment, so that a segment column of ids (a value a case)
// cannot take a result a case.
const MaxSegments = 1000

// OverflowSegment holds the cases of the segments past MaxSegments.
const OverflowSegment = "(more segments)"

// segment returns r's result for the named segment, creating it.
func (r *Result) segment(j *design.Index, name string) *Result {
	seg := r.Segments[name]
	if seg == nil {
		if len(r.Segments) >= MaxSegments {
			name = OverflowSegment
			if seg = r.Segments[name]; seg != nil {
				return seg
			}
		}
		seg = newResult(j, nil)
		r.Segments[name] = seg
	}
	return seg
}

// streamGrouped reads a log sorted by case, handing each case over when
// the next begins.
func (c *collector) streamGrouped(ctx context.Context, src ColumnSource, bp **streamBatch, add func(id, segment string, unmatched, seq int64), send func()) error {
	var (
		cur          string
		open         bool
		seq          int64
		lexOK, natOK = true, true
		r            colRows
	)
	for {
		err := c.nextBlock(ctx, src, &r)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		for k, id := range r.Case {
			t := r.Time[k]
			c.clock(t)
			b := *bp
			if !open || id != cur {
				if open {
					lexOK = lexOK && id > cur
					natOK = natOK && naturalCompare(cur, id) < 0
					if !lexOK && !natOK {
						return &OrderError{Err: ErrNotGrouped, Line: lineOf(r.Columns, k), Case: id, Prev: cur}
					}
					if len(b.arena) >= streamBatchEvents {
						send()
						b = *bp
					}
				}
				cur, open = id, true
				add(id, "", 0, seq)
				seq++
			}
			cb := &b.cases[len(b.cases)-1]
			if cb.segment == "" && r.Segment != nil {
				cb.segment = valueOf(r.Columns, r.Segment, k)
			}
			if e, ok := r.event(c, k); ok {
				b.arena = append(b.arena, e)
				if len(b.arena)&0xffff == 0 {
					// What the batch's slice holds, grown by doubling: its capacity.
					if err := c.over(int64(cap(b.arena)), int64(len(b.cases)), lineOf(r.Columns, k)); err != nil {
						return err
					}
				}
			} else {
				cb.unmatched++
			}
		}
	}
}

// openCase is a case being read from a log in time order.
type openCase struct {
	id, segment string
	evs         []cev
	unmatched   int64
	last, seq   int64
}

// streamByTime reads a log in time order, handing a case over once the
// log has moved on past its last event by more than horizon (positive).
func (c *collector) streamByTime(ctx context.Context, src ColumnSource, horizon time.Duration, bp **streamBatch, add func(id, segment string, unmatched, seq int64), send func()) error {
	open := map[string]int32{}
	var slots []openCase
	var spare []int32
	var seq int64
	hand := func(k int32) {
		s := &slots[k]
		add(s.id, s.segment, s.unmatched, s.seq)
		b := *bp
		b.arena = append(b.arena, s.evs...)
		if len(b.arena) >= streamBatchEvents {
			send()
		}
		delete(open, s.id)
		evs := s.evs[:0]
		if cap(evs) > 64 {
			evs = nil // a long case's room is not kept for the short ones after it
		}
		*s = openCase{evs: evs}
		spare = append(spare, k)
	}
	// sweep hands over every case idle past the horizon, in order of
	// first appearance.
	sweep := func(all bool) {
		var done []int32
		for _, k := range open {
			if all || c.end-slots[k].last > int64(horizon) {
				done = append(done, k)
			}
		}
		slices.SortFunc(done, func(a, b int32) int { return int(slots[a].seq - slots[b].seq) })
		for _, k := range done {
			hand(k)
		}
	}
	lastSweep := int64(0)
	var r colRows
	for {
		err := c.nextBlock(ctx, src, &r)
		if err == io.EOF {
			sweep(true)
			return nil
		}
		if err != nil {
			return err
		}
		for k, id := range r.Case {
			t := r.Time[k]
			if c.hasTime && c.end-t > int64(horizon) {
				return &OrderError{Err: ErrNotTimeOrdered, Line: lineOf(r.Columns, k), Case: id, Behind: time.Duration(c.end - t), Horizon: horizon}
			}
			c.clock(t)
			slot, ok := open[id]
			if ok && c.end-slots[slot].last > int64(horizon) {
				// The case ended before this event (a sweep may not have
				// handed it over yet): this event begins a new one.
				hand(slot)
				ok = false
			}
			if !ok {
				if n := len(spare); n > 0 {
					slot, spare = spare[n-1], spare[:n-1]
				} else {
					slot = int32(len(slots))
					slots = append(slots, openCase{})
				}
				// The id is copied: the block's ids are kept while one of
				// its cases is open otherwise.
				id = strings.Clone(id)
				slots[slot].id, slots[slot].seq, slots[slot].last = id, seq, t
				seq++
				open[id] = slot
			}
			s := &slots[slot]
			if s.segment == "" && r.Segment != nil {
				s.segment = valueOf(r.Columns, r.Segment, k)
			}
			s.last = max(s.last, t)
			if e, ok := r.event(c, k); ok {
				s.evs = append(s.evs, e)
			} else {
				s.unmatched++
			}
			// Every 1024 events read (c.read counts the block already),
			// if the clock has moved on enough, hand over the idle cases.
			read := c.read - int64(len(r.Case)) + int64(k) + 1
			if read&1023 == 0 && c.end-lastSweep > int64(horizon)/16 {
				sweep(false)
				lastSweep = c.end
			}
		}
	}
}

// naturalCompare orders strings with their runs of digits compared by
// value ("c2" before "c10"), the order of a log sorted by a numeric case id.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := trimZeros(a[:da]), trimZeros(b[:db])
			if len(na) != len(nb) {
				return cmp.Compare(len(na), len(nb))
			}
			if na != nb {
				if na < nb {
					return -1
				}
				return 1
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(int(a[0]), int(b[0]))
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

func trimZeros(s string) string {
	for len(s) > 1 && s[0] == '0' {
		s = s[1:]
	}
	return s
}
