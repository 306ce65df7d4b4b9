package replay

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/journeymap/journeymap/internal/arena"
	"github.com/journeymap/journeymap/internal/caseid"
)

// Event is what replay and discovery need of one row of a log. Package
// eventlog reads them from files; the root package journeymap connects the
// two, and tests can build events by hand.
type Event struct {
	Case       string
	Touchpoint string // the event name as logged; Lookup maps it to a touchpoint
	Time       time.Time
	Line       int64  // where the row came from, for messages
	Channel    string // the channel the customer used, or "" for the touchpoint's own
	// Lifecycle is the event's lifecycle transition, lower-cased, or ""
	// when the log records none. A visit to a touchpoint is one
	// "complete" (or an event without a lifecycle); the "start" before it
	// marks when the visit began; every other transition (schedule,
	// assign, suspend, resume...) is folded into the visit it belongs to.
	Lifecycle string
	// Scores given at this event, or -1: CSAT 1-5, CES 1-7, NPS 0-10.
	CSAT, CES, NPS int8
	Segment        string // the case's segment (a persona, region...), or ""
}

// Events is a stream of events in file order. Next returns io.EOF after the
// last one; any other error stops the replay.
type Events interface {
	Next() (Event, error)
}

// MalformedCounter is implemented by event sources that skip malformed rows,
// so that a Result can account for every row read.
type MalformedCounter interface {
	Malformed() int64
}

// SliceEvents returns a stream over evs, for tests and logs built in memory.
func SliceEvents(evs []Event) Events { return &sliceEvents{evs: evs} }

type sliceEvents struct {
	evs []Event
	i   int
}

func (s *sliceEvents) Next() (Event, error) {
	if s.i == len(s.evs) {
		return Event{}, io.EOF
	}
	s.i++
	return s.evs[s.i-1], nil
}

// cev is one event of a case, compactly, once its name is resolved.
type cev struct {
	t              int64 // Unix nanoseconds
	tp             int32 // touchpoint index (replay) or name index (discovery)
	ci             int32 // the case's number, while collecting (it fits the padding)
	ch             int16 // channel index, -1 for the touchpoint's own
	csat, ces, nps int8
	lc             lifecycle
}

// lifecycle is what replay makes of an event's lifecycle transition.
type lifecycle uint8

const (
	lcVisit lifecycle = iota // complete, or none: a visit
	lcStart                  // start: when the visit that follows began
	lcOther                  // schedule, assign, suspend...: folded into the visit
)

// lifecycleOf classifies a lower-cased lifecycle transition.
func lifecycleOf(s string) lifecycle {
	switch s {
	case "", "complete":
		return lcVisit
	case "start":
		return lcStart
	}
	if strings.EqualFold(s, "complete") {
		return lcVisit
	}
	if strings.EqualFold(s, "start") {
		return lcStart
	}
	return lcOther
}

type caseBuf struct {
	id        string
	segment   string
	evs       []cev // set by group: this case's events, in file order
	unmatched int64
}

// caseInfo is what the collector holds of a case besides its events: no
// pointers, so that the garbage collector need not look at the cases; the
// id is in the case table (caseid.Table.ID).
type caseInfo struct {
	segment int32 // in collector.segNames; 0 is ""
	// unmatched counts the events that matched no touchpoint, up to
	// unmatchedCap; collector.moreUnmatched counts the rest.
	unmatched uint32
}

// unmatchedCap is the most unmatched events caseInfo counts (a variable
// so that a test can reach it).
var unmatchedCap uint32 = math.MaxUint32

// collector groups a stream of events by case, in order of first appearance.
type collector struct {
	resolve       func(name string) (int32, bool) // -1 = unmatched; true = met loosely
	loose         map[string]int32                // names met loosely -> touchpoint
	byCase        *caseid.Table
	hs            []uint64 // the block's case ids' hashes, reused
	cases         []caseInfo
	n             []int32         // per case, its matched events, while collecting (apart from cases, so that counting one touches 4 bytes)
	moreUnmatched map[int32]int64 // per case, its unmatched events past caseInfo's count
	segments      map[string]int32
	segNames      []string
	read          int64
	unmatched     map[string]int64
	hasTime       bool
	start, end    int64
	channels      map[string]int16
	chNames       []string
	// While collecting, every matched event goes to an arena with its
	// case number in it (instead of a growing slice per case); group then
	// lays each case's events out contiguously.
	arena arena.Arena[cev]
	// blockCases is, per arena block, the lowest and highest case number
	// in it, so that laying out a batch of cases skips the blocks without
	// one: in a log in time order, most of them.
	blockCases [][2]int32

	budget  int64 // Options.MemoryBudget; 0 for none
	idBytes int64 // the case ids' bytes held
}

// What a replay holds, in bytes: an event in the arena (its compact form,
// case number included), and a case (its 8-byte record, its event count,
// and its share of the case table: 21 to 43 bytes of slots, and where its
// id's bytes past the eighth begin; those bytes come on top), plus the
// block being read. Measured on the 64-bit runtime; the garbage collector
// may take as much again as headroom (GOGC=100).
const (
	HeldEventBytes = 24
	HeldCaseBytes  = 64
)

// EventError is Run's error for an event no log reader would give (a
// score out of its range): a program's mistake, stopped rather than
// counted. Readers in package eventlog count such rows as malformed.
type EventError struct {
	Line   int64
	Reason string
}

func (e *EventError) Error() string {
	return fmt.Sprintf("event at line %d: %s", e.Line, e.Reason)
}

// MemoryError is Run's error when a log, in the order it comes, needs
// more memory than Options.MemoryBudget allows.
type MemoryError struct {
	Events, Cases int64 // held when the budget was reached
	Bytes, Budget int64
	Line          int64 // the line being read, or 0
}

func (e *MemoryError) Error() string {
	where := ""
	if e.Line > 0 {
		where = fmt.Sprintf(" by line %d", e.Line)
	}
	return fmt.Sprintf("replaying this log holds %d events of %d cases%s, about %d MiB, past the memory budget of %d MiB: a log sorted by case (ORDER BY case, time) is replayed a case at a time, a log in time order with a horizon holds only the active customers; or raise the budget",
		e.Events, e.Cases, where, e.Bytes>>20, e.Budget>>20)
}

// over is a *MemoryError when events and cases held pass the budget.
func (c *collector) over(events, cases, line int64) error {
	if c.budget <= 0 {
		return nil
	}
	b := events*HeldEventBytes + cases*HeldCaseBytes + c.idBytes
	if b <= c.budget {
		return nil
	}
	return &MemoryError{Events: events, Cases: cases, Bytes: b, Budget: c.budget, Line: line}
}

func (c *collector) keep(e cev, ci int32) {
	e.ci = ci
	if b := c.arena.Len() / arena.BlockLen; b == len(c.blockCases) {
		c.blockCases = append(c.blockCases, [2]int32{ci, ci})
	} else {
		r := &c.blockCases[b]
		r[0], r[1] = min(r[0], ci), max(r[1], ci)
	}
	c.arena.Add(e)
}

func newCollector(resolve func(string) (int32, bool)) *collector {
	return &collector{resolve: resolve, byCase: caseid.New(rand.Uint64()), segments: map[string]int32{}, unmatched: map[string]int64{}, channels: map[string]int16{}}
}

func (c *collector) channel(name string) int16 {
	if name == "" {
		return -1
	}
	if i, ok := c.channels[name]; ok {
		return i
	}
	if len(c.chNames) >= 1<<15-1 {
		return -1 // more channels than anyone has; treat the rest as the touchpoint's own
	}
	i := int16(len(c.chNames))
	c.channels[name] = i
	c.chNames = append(c.chNames, name)
	return i
}

// checkScores is an *EventError for an event whose scores no reader
// would give.
func checkScores(ev *Event) error {
	if ev.CSAT > 5 || ev.CES > 7 || ev.NPS > 10 {
		return &EventError{Line: ev.Line, Reason: fmt.Sprintf("a score out of range (CSAT %d of 1-5, CES %d of 1-7, NPS %d of 0-10; -1 for none)", ev.CSAT, ev.CES, ev.NPS)}
	}
	return nil
}

// match resolves an event at time t (Unix nanoseconds) to its compact
// form, or counts it as unmatched and returns false.
func (c *collector) match(ev *Event, t int64) (cev, bool) {
	tp := c.lookup(ev.Touchpoint)
	if tp < 0 {
		c.unmatched[ev.Touchpoint]++
		return cev{}, false
	}
	return cev{t: t, tp: tp, ch: c.channel(ev.Channel), csat: ev.CSAT, ces: ev.CES, nps: ev.NPS, lc: lifecycleOf(ev.Lifecycle)}, true
}

// lookup resolves an event name, noting a name met only loosely.
func (c *collector) lookup(name string) int32 {
	tp, loose := c.resolve(name)
	if loose {
		if c.loose == nil {
			c.loose = map[string]int32{}
		}
		if _, ok := c.loose[name]; !ok && len(c.loose) < maxLooseNames {
			c.loose[name] = tp
		}
	}
	return tp
}

// maxLooseNames bounds the names met loosely that a result lists.
const maxLooseNames = 1000

// collect reads src to the end.
func (c *collector) collect(ctx context.Context, src ColumnSource) error {
	last, lastID := int32(-1), ""
	var r colRows
	for {
		err := c.nextBlock(ctx, src, &r)
		if err == io.EOF {
			// Checked every 65,536 events on the way; once more at the
			// end, so that a small log is held to the budget too.
			return c.over(int64(c.arena.Len()), int64(len(c.cases)), 0)
		}
		if err != nil {
			return err
		}
		// Every id hashed first, so that the case table's slots can be
		// asked for (caseid.Table.Prefetch) a group of events ahead: in a
		// log in time order each event's slot is a cache miss.
		c.hs = c.hs[:0]
		for _, id := range r.Case {
			c.hs = append(c.hs, c.byCase.Hash(id))
		}
		hs := c.hs
		for k, id := range r.Case {
			if k%prefetchAhead == 0 {
				c.byCase.Prefetch(hs[min(k+prefetchAhead, len(hs)):min(k+2*prefetchAhead, len(hs))])
			}
			c.clock(r.Time[k])
			ci := last
			if ci < 0 || lastID != id {
				if ci = c.byCase.Number(id, hs[k]); int(ci) == len(c.cases) {
					c.cases = append(c.cases, caseInfo{})
					c.n = append(c.n, 0)
					c.idBytes += int64(max(len(id)-8, 0))
				}
				last, lastID = ci, id
			}
			if r.Segment != nil && c.cases[ci].segment == 0 {
				if s := valueOf(r.Columns, r.Segment, k); s != "" {
					c.cases[ci].segment = c.segment(s)
				}
			}
			e, ok := r.event(c, k)
			if !ok {
				if c.cases[ci].unmatched == unmatchedCap {
					if c.moreUnmatched == nil {
						c.moreUnmatched = map[int32]int64{}
					}
					c.moreUnmatched[ci]++
				} else {
					c.cases[ci].unmatched++
				}
				continue
			}
			c.keep(e, ci)
			c.n[ci]++
			if c.arena.Len()&0xffff == 0 {
				if err := c.over(int64(c.arena.Len()), int64(len(c.cases)), lineOf(r.Columns, k)); err != nil {
					return err
				}
			}
		}
	}
}

// prefetchAhead is how many events ahead collect asks for their slots in
// the case table, a group at a time.
const prefetchAhead = 8

// clock widens the log's time span to take in t (Unix nanoseconds).
func (c *collector) clock(t int64) {
	if !c.hasTime || t < c.start {
		c.start = t
	}
	if !c.hasTime || t > c.end {
		c.end = t
	}
	c.hasTime = true
}

// A collected log is laid out case by case in batches of at least
// layoutBatch events and at most layoutPasses batches (past
// layoutBatch*layoutPasses events, batches grow with the log), so that
// what is held beyond the arena is a batch, not a second copy of every
// event. (Variables so that tests can make batches small.)
var layoutBatch, layoutPasses = 1 << 20, 8

// layParallel is the fewest events a batch has for it to be laid out on
// several cores.
var layParallel = 1 << 16

// batchEnd returns the end of the batch of cases that starts at lo: as
// many cases as fit in size events (one at least), and their events.
func (c *collector) batchEnd(lo, size int) (hi, events int) {
	hi = lo
	for hi < len(c.cases) && (hi == lo || events+int(c.n[hi]) <= size) {
		events += int(c.n[hi])
		hi++
	}
	return hi, events
}

// lay lays out the events of cases lo to hi (a counting sort over the
// arena, file order kept within a case) into buf, grown if need be; case
// i's events are buf[starts[i-lo]:starts[i-lo+1]]. When the batch is
// every case, each arena block is freed once it is read, and the arena is
// emptied.
func (c *collector) lay(lo, hi int, buf []cev, starts []int32) ([]cev, []int32) {
	size := 0
	for _, n := range c.n[lo:hi] {
		size += int(n)
	}
	if cap(buf) < size {
		buf = make([]cev, size)
	}
	buf = buf[:size]
	starts = starts[:0]
	var off int32
	for i := lo; i < hi; i++ {
		starts = append(starts, off)
		off += c.n[i]
	}
	starts = append(starts, off)
	// On several cores, each lays out a part of the cases, reading the
	// whole arena: the reads are shared memory bandwidth, the writes and
	// the tests are split. On one, each block is freed once it is read
	// when the batch is every case.
	parts := 1
	if size >= layParallel {
		parts = min(runtime.GOMAXPROCS(0), hi-lo, 8)
	}
	whole := lo == 0 && hi == len(c.cases) && parts == 1
	blocks := c.arena.Blocks()
	layPart := func(a, b int) {
		next := slices.Clone(starts[a-lo : b-lo])
		first, span := int32(a), uint32(b-a)
		for bi, block := range blocks {
			if r := c.blockCases[bi]; r[1] < first || r[0] >= first+int32(span) {
				continue // no case of this part here
			}
			for _, e := range block {
				if k := uint32(e.ci - first); k < span {
					buf[next[k]] = e
					next[k]++
				}
			}
			if whole {
				blocks[bi] = nil // free each block once it is laid out
			}
		}
	}
	if parts == 1 {
		layPart(lo, hi)
	} else {
		var wg sync.WaitGroup
		per := (hi - lo + parts - 1) / parts
		for a := lo; a < hi; a += per {
			wg.Go(func() { layPart(a, min(a+per, hi)) })
		}
		wg.Wait()
	}
	if lo == 0 && hi == len(c.cases) {
		c.arena.Reset()
		c.blockCases = nil
	}
	return buf, starts
}

// segment numbers a segment's name.
func (c *collector) segment(name string) int32 {
	if k, ok := c.segments[name]; ok {
		return k
	}
	if c.segNames == nil {
		c.segNames = []string{""}
	}
	k := int32(len(c.segNames))
	name = strings.Clone(name)
	c.segments[name] = k
	c.segNames = append(c.segNames, name)
	return k
}

// caseBuf is case i (of the batch laid out in evs) as the walker takes
// it; its id only when keepID asks (rebuilding it costs an allocation).
func (c *collector) caseBuf(i int, evs []cev, keepID bool) caseBuf {
	cb := caseBuf{evs: evs, unmatched: int64(c.cases[i].unmatched) + c.moreUnmatched[int32(i)]}
	if s := c.cases[i].segment; s > 0 {
		cb.segment = c.segNames[s]
	}
	if keepID {
		cb.id = c.byCase.ID(int32(i))
	}
	return cb
}

// sortCase orders a case's events by time, keeping file order for ties.
func sortCase(evs []cev) {
	if slices.IsSortedFunc(evs, cevByTime) {
		return
	}
	slices.SortStableFunc(evs, cevByTime)
}

// cevByTime orders events by their time.
func cevByTime(a, b cev) int { return cmp.Compare(a.t, b.t) }
