package replay

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/internal/numbering"
	"github.com/journeymap/journeymap/journey"
)

// Columns are a block of a log's events in compact form, as package
// eventlog's CSV and JSON Lines readers parse them (the one type, named
// here too): per event a case id, a touchpoint name as an index into the
// block's Names, and a time in Unix nanoseconds. That is all discovery
// reads. Replay reads the rest too, where it is set: each other column is
// either nil (no event has it) or has one entry per event. CheckColumns
// says whether a block holds together.
type Columns = eventlog.Columns

// ColumnSource hands over a log's events a block at a time, in file order.
type ColumnSource interface {
	// NextColumns returns the next block, or io.EOF after the last. The
	// block is not changed after it has been handed over (until it is
	// handed back, to a Recycler).
	NextColumns() (*Columns, error)
}

// A Recycler is a ColumnSource that can reuse a block's memory: replay
// and discovery hand each block back once they are done with it, keeping
// none of its slices (only strings). Recycle is called on the goroutine
// that calls NextColumns, between two calls.
type Recycler interface {
	Recycle(*Columns)
}

// RunColumns is Run for a log read in blocks of Columns, which a
// reader can parse on several cores at once: the result is the same.
// If src implements MalformedCounter, the result accounts for its
// malformed rows.
func RunColumns(ctx context.Context, jr *journey.Journey, src ColumnSource, opts Options) (*Result, error) {
	j, err := indexOf(jr)
	if err != nil {
		return nil, err
	}
	var res *Result
	if opts.Grouped || opts.Horizon > 0 {
		res, err = replayStream(ctx, j, src, opts)
	} else {
		c := newCollector(func(name string) (int32, bool) { return resolveName(j, name) })
		c.budget = opts.MemoryBudget
		tpChan := designedChannels(j, c)
		if err = c.collect(ctx, src); err == nil {
			res, err = replayCollected(ctx, j, c, tpChan, opts)
		}
	}
	if err != nil {
		return nil, err
	}
	if err := noMatch(j, res); err != nil {
		return nil, err
	}
	if m, ok := src.(MalformedCounter); ok {
		res.Events.Malformed = m.Malformed()
		res.Events.Read += res.Events.Malformed
	}
	return res, nil
}

// CheckColumns says what is wrong with a block, if anything: columns of
// different lengths, an index out of range, a score out of its scale.
func CheckColumns(c *Columns) error {
	n := len(c.Case)
	if len(c.Name) != n || len(c.Time) != n {
		return fmt.Errorf("journey: a block of Columns has %d case ids, %d names and %d times: give each event one of each", n, len(c.Name), len(c.Time))
	}
	for k, v := range c.Name {
		if v < 0 || int(v) >= len(c.Names) {
			return fmt.Errorf("journey: event %d of a block of Columns has name %d, and the block has %d names", k, v, len(c.Names))
		}
	}
	for _, col := range [...]struct {
		name string
		v    []int32
	}{{"Channel", c.Channel}, {"Lifecycle", c.Lifecycle}, {"Segment", c.Segment}} {
		if col.v == nil {
			continue
		}
		if len(col.v) != n {
			return fmt.Errorf("journey: a block of Columns has %d events and %d of %s: give each event one, or leave it nil", n, len(col.v), col.name)
		}
		for k, v := range col.v {
			if v < -1 || int(v) >= len(c.Values) {
				return fmt.Errorf("journey: event %d of a block of Columns has %s %d, and the block has %d values", k, col.name, v, len(c.Values))
			}
		}
	}
	if c.Line != nil && len(c.Line) != n {
		return fmt.Errorf("journey: a block of Columns has %d events and %d lines: give each event one, or leave Line nil", n, len(c.Line))
	}
	for _, sc := range [...]struct {
		name   string
		v      []int8
		lo, hi int8
	}{{"CSAT", c.CSAT, 1, 5}, {"CES", c.CES, 1, 7}, {"NPS", c.NPS, 0, 10}} {
		if sc.v == nil {
			continue
		}
		if len(sc.v) != n {
			return fmt.Errorf("journey: a block of Columns has %d events and %d %s scores: give each event one (-1 for none), or leave it nil", n, len(sc.v), sc.name)
		}
		for k, v := range sc.v {
			if v != -1 && (v < sc.lo || v > sc.hi) {
				return &EventError{Line: lineOf(c, k), Reason: fmt.Sprintf("a score out of range (%s %d of %d-%d; -1 for none)", sc.name, v, sc.lo, sc.hi)}
			}
		}
	}
	return nil
}

func lineOf(c *Columns, k int) int64 {
	if c.Line == nil {
		return 0
	}
	return c.Line[k]
}

// value is event k's entry of col (Channel, Lifecycle or Segment), or "".
func valueOf(c *Columns, col []int32, k int) string {
	if col == nil || col[k] < 0 {
		return ""
	}
	return c.Values[col[k]]
}

// colRows is a block as the collector reads it: its names resolved to
// touchpoints, and its values to channels and lifecycles, once a block
// (values as they are first used, so that a lifecycle or a segment never
// becomes a channel).
type colRows struct {
	*Columns
	tp []int32     // per name: its touchpoint, or -1
	ch []int16     // per value: its channel, or unresolved
	lc []lifecycle // per value: its lifecycle, or unresolved
}

const (
	chUnresolved = -2
	lcUnresolved = lifecycle(255)
)

// next reads src's next block, checks it and resolves it into r, and
// counts its events, checking ctx first; it returns io.EOF at the end.
func (c *collector) nextBlock(ctx context.Context, src ColumnSource, r *colRows) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if rc, ok := src.(Recycler); ok && r.Columns != nil {
		rc.Recycle(r.Columns)
		r.Columns = nil
	}
	cols, err := src.NextColumns()
	if err != nil {
		return err
	}
	if err := CheckColumns(cols); err != nil {
		return err
	}
	r.Columns = cols
	r.tp = r.tp[:0]
	for _, name := range cols.Names {
		r.tp = append(r.tp, c.lookup(name))
	}
	r.ch, r.lc = r.ch[:0], r.lc[:0]
	for range cols.Values {
		r.ch = append(r.ch, chUnresolved)
		r.lc = append(r.lc, lcUnresolved)
	}
	c.read += int64(len(cols.Case))
	return nil
}

// event is event k of the block in compact form at time t, or false when
// it matches no touchpoint (and is then counted as unmatched).
func (r *colRows) event(c *collector, k int) (cev, bool) {
	tp := r.tp[r.Name[k]]
	if tp < 0 {
		c.unmatched[r.Names[r.Name[k]]]++
		return cev{}, false
	}
	e := cev{t: r.Time[k], tp: tp, ch: -1, csat: -1, ces: -1, nps: -1}
	if r.Channel != nil {
		if v := r.Channel[k]; v >= 0 {
			if r.ch[v] == chUnresolved {
				r.ch[v] = c.channel(r.Values[v])
			}
			e.ch = r.ch[v]
		}
	}
	if r.Lifecycle != nil {
		if v := r.Lifecycle[k]; v >= 0 {
			if r.lc[v] == lcUnresolved {
				r.lc[v] = lifecycleOf(r.Values[v])
			}
			e.lc = r.lc[v]
		}
	}
	if r.CSAT != nil {
		e.csat = r.CSAT[k]
	}
	if r.CES != nil {
		e.ces = r.CES[k]
	}
	if r.NPS != nil {
		e.nps = r.NPS[k]
	}
	return e, true
}

// eventBlocks cuts a stream of events into blocks of Columns: only what
// discovery reads, or (full) everything replay reads too.
type eventBlocks struct {
	src           Events
	full          bool
	names, values numbering.Strings
	spare         *Columns // handed back by Recycle, to fill again
}

// Recycle keeps a block handed back, to fill it again.
func (b *eventBlocks) Recycle(cols *Columns) { b.spare = cols }

// eventBlock is how many events a block of eventBlocks holds.
const eventBlock = 1 << 12

func (b *eventBlocks) NextColumns() (*Columns, error) {
	b.names.Reset()
	b.values.Reset()
	cols := b.spare
	b.spare = nil
	if cols == nil {
		cols = &Columns{}
	}
	clear(cols.Case) // let the old ids go
	*cols = Columns{Case: cols.Case[:0], Names: cols.Names[:0], Name: cols.Name[:0], Time: cols.Time[:0], Line: cols.Line[:0],
		Values: cols.Values[:0], Channel: cols.Channel[:0], Lifecycle: cols.Lifecycle[:0], Segment: cols.Segment[:0],
		CSAT: cols.CSAT[:0], CES: cols.CES[:0], NPS: cols.NPS[:0]}
	last := ""
	value := func(s string) int32 {
		if s == "" {
			return -1
		}
		return b.values.Number(&cols.Values, s)
	}
	for len(cols.Case) < eventBlock {
		ev, err := b.src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		// A case id is copied (the event's may be a reader's buffer) when
		// it differs from the event before's: once a case in a log
		// grouped by case, as XES always is.
		if ev.Case != last {
			last = strings.Clone(ev.Case)
		}
		cols.Case = append(cols.Case, last)
		cols.Name = append(cols.Name, b.names.Number(&cols.Names, ev.Touchpoint))
		cols.Time = append(cols.Time, ev.Time.UnixNano())
		if !b.full {
			continue
		}
		if err := checkScores(&ev); err != nil {
			return nil, err
		}
		cols.Line = append(cols.Line, ev.Line)
		cols.Channel = append(cols.Channel, value(ev.Channel))
		cols.Lifecycle = append(cols.Lifecycle, value(ev.Lifecycle))
		cols.Segment = append(cols.Segment, value(ev.Segment))
		cols.CSAT = append(cols.CSAT, ev.CSAT)
		cols.CES = append(cols.CES, ev.CES)
		cols.NPS = append(cols.NPS, ev.NPS)
	}
	if len(cols.Case) == 0 {
		return nil, io.EOF
	}
	return cols, nil
}

// Malformed passes on the malformed rows of the events' source, if it
// counts them.
func (b *eventBlocks) Malformed() int64 {
	if m, ok := b.src.(MalformedCounter); ok {
		return m.Malformed()
	}
	return 0
}

// TimeBlocks cuts a stream of events into blocks of Columns holding only
// each event's case, name and time: what discovery reads.
func TimeBlocks(src Events) ColumnSource { return &eventBlocks{src: src} }
