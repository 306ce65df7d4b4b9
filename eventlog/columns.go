package eventlog

import (
	"bytes"
	"fmt"
	"io"
	"sync"

	"github.com/journeymap/journeymap/internal/numbering"
)

// Columns are the events of a block of a log, in file order, in compact
// form: a case id, a touchpoint name (as an index into the block's list
// of names) and a time each, which is what discovery needs, and the
// line, channel, lifecycle and scores that replay needs too.
//
// The case ids may share one buffer of the block's (they never change):
// clone those you keep for long, so that the block's memory can be freed.
type Columns struct {
	Case  []string // per event: its case id
	Names []string // the block's touchpoint names, in order of first appearance
	Name  []int32  // per event: its touchpoint name, an index into Names
	Time  []int64  // per event: Unix nanoseconds

	// What replay reads besides. Each is nil where the log has no such
	// column, or has one entry per event.
	Line []int64 // per event: its line (its row's first, for a row over several)
	// Values are the block's channels and lifecycle transitions,
	// lower-cased, and its segments (Options.SegmentCol) as written, each
	// once; Channel, Lifecycle and Segment are indexes into it, or -1
	// where the event has none.
	Values                      []string
	Channel, Lifecycle, Segment []int32
	CSAT, CES, NPS              []int8 // per event: its scores, or NoScore
}

// ColumnReader reads a log as Columns. A CSV reader does, parsing several
// blocks of the file at once on different cores; the events, the counts
// and the problems are the same as Read's, in the same order (in strict
// mode, the block with the first malformed row gives the same error as
// Read, instead of its events before that row).
type ColumnReader interface {
	// ReadColumns returns the next block's well-formed events, or io.EOF
	// after the last block. Do not mix it with Read. A reader that can
	// reuse a block's memory has a method Recycle(*Columns), to call
	// once done with the block.
	ReadColumns() (*Columns, error)
	Stats() Stats
}

// AsColumnReader returns r as a ColumnReader, if its format can be read so.
func AsColumnReader(r Reader) (ColumnReader, bool) {
	if c, ok := r.(closing); ok {
		r = c.Reader
	}
	cr, ok := r.(ColumnReader)
	return cr, ok
}

// columnBlock is how many bytes of a CSV file one worker parses at a time
// (a variable so that tests can cut files into many small blocks). Small
// blocks reach the consumer sooner, leave less for one core to finish at
// the end, and keep less memory in flight: on a 900k-event log, 256 KB
// blocks took 12.8k page faults where 1 MB took 14.7k, and 4 MB blocks
// took a fifth longer.
var columnBlock = 1 << 18

// columnEvents is how many events a block read a row at a time (after the
// first quote) holds.
const columnEvents = 1 << 16

// colPipe runs a CSV reader's column pipeline: a goroutine that cuts the
// file into blocks of whole lines, workers that parse blocks, and the
// blocks' results in file order.
type colPipe struct {
	order chan chan colResult
	done  chan struct{}
	once  sync.Once
	// Blocks' buffers, handed back by the workers once parsed: reading
	// into memory already touched costs a tenth of reading into new. It
	// has room for every buffer the pipeline can have (one being read, a
	// queue of one a worker, one a worker being parsed), so none is
	// dropped and made again; made counts them, for tests.
	free chan []byte
	made int
	// Blocks of Columns handed back by Recycle, for the workers to reuse:
	// room for the pipeline's and for a consumer's queues (discovery's
	// shards hold a few each).
	spare chan *Columns
	// Where the splitter stopped cutting (at the first quote, or a line
	// longer than a block): the bytes from there, and the lines before.
	rest     []byte
	restLine int64
	readErr  error
}

type colBlock struct {
	data  []byte // the start of a buffer, reused once the block is parsed
	line  int64  // lines before the block
	lines int    // lines in the block
	out   chan colResult
}

type colResult struct {
	cols            *Columns
	rows, malformed int64
	problems        []Problem
	err             error // strict mode: the first malformed row
}

// ReadColumns implements ColumnReader.
func (c *csvReader) ReadColumns() (*Columns, error) {
	if c.seq {
		return c.readColumnsByRow()
	}
	if c.pipe == nil {
		c.startColumns()
	}
	return c.rows.nextBlock(c.pipe, &c.lineReader, &c.seq, c.readColumnsByRow)
}

// readColumnsByRow reads rows with Read (quoted fields may span lines, so
// the file cannot be cut at any line) into a block.
func (c *csvReader) readColumnsByRow() (*Columns, error) {
	return readEventColumns(c.Read, c.opts, c.columnSet())
}

// columnSet says which of replay's optional columns the log has.
func (c *csvReader) columnSet() columnSet {
	var set columnSet
	for i, h := range c.header {
		if c.special[i] {
			set.channel = set.channel || h == "channel"
			set.lifecycle = set.lifecycle || h == "lifecycle" || h == "lifecycle:transition"
			set.scores = set.scores || !neverMalformed(h)
		}
	}
	set.segment = c.segmentCol() >= 0
	return set
}

// segmentCol is the index of Options.SegmentCol among the columns kept
// as attributes (or of "case:" and it), or -1.
func (c *csvReader) segmentCol() int {
	if c.opts.SegmentCol == "" {
		return -1
	}
	for _, name := range []string{c.opts.SegmentCol, "case:" + c.opts.SegmentCol} {
		for i, h := range c.header {
			if h == name && i != c.caseCol && i != c.tpCol && i != c.timeCol && !c.special[i] {
				return i
			}
		}
	}
	return -1
}

// readEventColumns reads events with read into a block of at most
// columnEvents, with the columns set names (of those opts ask for).
func readEventColumns(read func() (Event, error), opts Options, set columnSet) (*Columns, error) {
	var b eventColumns
	b.reset(newColumns(0, set), opts)
	for len(b.cols.Case) < columnEvents {
		ev, err := read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		b.add(&ev)
	}
	if len(b.cols.Case) == 0 {
		return nil, io.EOF
	}
	return b.cols, nil
}

// eventColumns fills a block of Columns with events as Read gives them.
type eventColumns struct {
	cols          *Columns
	names, values numbering.Strings
	segment       string // Options.SegmentCol
}

// reset starts filling cols (empty), with only what discovery reads when
// opts ask for it.
func (b *eventColumns) reset(cols *Columns, opts Options) {
	if opts.ColumnsForDiscovery {
		cols.Line, cols.Channel, cols.Lifecycle, cols.CSAT, cols.CES, cols.NPS, cols.Segment = nil, nil, nil, nil, nil, nil, nil
	}
	b.segment = opts.SegmentCol
	b.names.Reset()
	b.values.Reset()
	b.cols = cols
}

// add appends ev. Read's case id stays the same string while the case
// does, and its names and values are interned: they are kept as they are.
func (b *eventColumns) add(ev *Event) {
	cols := b.cols
	cols.Case = append(cols.Case, ev.Case)
	cols.Name = append(cols.Name, b.names.Number(&cols.Names, ev.Touchpoint))
	cols.Time = append(cols.Time, ev.Time.UnixNano())
	if cols.Line == nil {
		return // ColumnsForDiscovery
	}
	value := func(s string) int32 {
		if s == "" {
			return -1
		}
		return b.values.Number(&cols.Values, s)
	}
	cols.Line = append(cols.Line, ev.Line)
	if cols.Channel != nil {
		cols.Channel = append(cols.Channel, value(ev.Channel))
	}
	if cols.Lifecycle != nil {
		cols.Lifecycle = append(cols.Lifecycle, value(ev.Lifecycle))
	}
	if cols.CSAT != nil {
		cols.CSAT, cols.CES, cols.NPS = append(cols.CSAT, ev.CSAT), append(cols.CES, ev.CES), append(cols.NPS, ev.NPS)
	}
	if cols.Segment != nil {
		seg, ok := ev.Attr(b.segment)
		if !ok {
			seg, _ = ev.Attr("case:" + b.segment)
		}
		cols.Segment = append(cols.Segment, value(seg))
	}
}

// Recycle hands back a block its caller is done with (it keeps none of
// its slices; the strings it holds may be kept), so that a later block
// reuses its memory instead of making garbage. Calling it is optional.
func (c *csvReader) Recycle(cols *Columns) { c.pipe.recycle(cols) }

// reuse empties a recycled block, with room for n events in each of its
// columns.
func (cols *Columns) reuse(n int) {
	clear(cols.Case) // let the old ids go
	cols.Case, cols.Names, cols.Values = grow(cols.Case, n), cols.Names[:0], cols.Values[:0]
	cols.Name, cols.Time = grow(cols.Name, n), grow(cols.Time, n)
	if cols.Line != nil {
		cols.Line = grow(cols.Line, n)
	}
	if cols.Channel != nil {
		cols.Channel = grow(cols.Channel, n)
	}
	if cols.Lifecycle != nil {
		cols.Lifecycle = grow(cols.Lifecycle, n)
	}
	if cols.CSAT != nil {
		cols.CSAT, cols.CES, cols.NPS = grow(cols.CSAT, n), grow(cols.CES, n), grow(cols.NPS, n)
	}
	if cols.Segment != nil {
		cols.Segment = grow(cols.Segment, n)
	}
}

// grow is s emptied, with room for n.
func grow[E any](s []E, n int) []E {
	if cap(s) < n {
		return make([]E, 0, n)
	}
	return s[:0]
}

// newColumns makes a block with room for n events, and the columns set
// names.
func newColumns(n int, set columnSet) *Columns {
	cols := &Columns{Case: make([]string, 0, n), Name: make([]int32, 0, n), Time: make([]int64, 0, n), Line: make([]int64, 0, n)}
	if set.channel {
		cols.Channel = make([]int32, 0, n)
	}
	if set.lifecycle {
		cols.Lifecycle = make([]int32, 0, n)
	}
	if set.scores {
		cols.CSAT, cols.CES, cols.NPS = make([]int8, 0, n), make([]int8, 0, n), make([]int8, 0, n)
	}
	if set.segment {
		cols.Segment = make([]int32, 0, n)
	}
	return cols
}

func (c *csvReader) startColumns() {
	c.pipe = startPipe(&c.lineReader, c.line, true, func(spare chan *Columns) blockParser {
		w := &colParser{spare: spare, set: c.columnSet(), rows: newRows(c.file, c.opts), header: c.header, caseCol: c.caseCol, tpCol: c.tpCol, timeCol: c.timeCol, chCol: -1, lcCol: -1, segCol: c.segmentCol()}
		for i, h := range c.header {
			switch {
			case !c.special[i]:
			case h == "channel":
				w.chCol = i
			case h == "lifecycle" || h == "lifecycle:transition":
				w.lcCol = i // the last, as Read takes it
			default:
				w.scores = append(w.scores, i)
			}
		}
		return w
	})
}

// stopColumns ends the pipeline's goroutines (they finish the read or
// block they are in).
func (c *csvReader) stopColumns() { c.pipe.stop() }

// colParser parses blocks of whole lines without quotes, with the checks
// and messages of csvReader.Read.
type colParser struct {
	_ [64]byte // see the end
	rows
	spare                   chan *Columns // blocks to reuse
	set                     columnSet     // the columns it fills
	header                  []string
	caseCol, tpCol, timeCol int
	scores                  []int      // the columns whose values are checked (CSAT, CES, NPS)
	chCol, lcCol, segCol    int        // the channel, lifecycle and segment columns, or -1
	index                   blockIndex // where the block's commas and line breaks are
	ends                    []int32    // where each field of the line ends
	days                    dayCache
	ev                      Event
	names, values           numbering.Strings // the block's, reset (not reallocated) for each
	// The block's case ids, one after another (a case's id once while it
	// repeats), and where each event's is (its start<<32 | its end: one
	// word, made in a register; a pair of int32s was written as two
	// halves and read back whole, which the processor cannot forward):
	// parse's, kept for the next block.
	ids     []byte
	idSpans []uint64
	id, tp  []byte // the case id and touchpoint of the line row checked last

	// The workers' parsers are made one after another, and each is written
	// on every row by its own goroutine: a cache line either side keeps
	// one's writes off the line that holds the next one's first fields
	// (perf put 7% of discover's CPU on one load that shared a line).
	_ [64]byte
}

func (p *colParser) parse(b colBlock) (res colResult) {
	n := b.lines + 1 // the last line may have no line break
	cols := spareColumns(p.spare, n, p.opts, p.set)
	res = colResult{cols: cols}
	p.names.Reset()
	p.values.Reset()
	// Kept in locals while the block is read, and handed back at the end.
	ids, spans, lastID := p.ids[:0], p.idSpans[:0], 0
	nameCol, timeCol := cols.Name, cols.Time
	defer func() {
		p.ids, p.idSpans = ids, spans
		cols.Name, cols.Time = nameCol, timeCol
		all := string(ids) // one copy of the block's case ids
		for _, sp := range spans {
			cols.Case = append(cols.Case, all[sp>>32:uint32(sp)])
		}
	}()
	data, line := b.data, b.line
	p.index.build(data)
	for off := 0; off < len(data); {
		start := off
		var raw []byte
		if nl := p.index.nextBreak(off); nl >= 0 {
			raw, off = data[start:nl+1], nl+1
		} else {
			raw, off = data[start:], len(data)
		}
		line++
		ln := trimEOL(raw)
		if bytes.HasPrefix(ln, utf8BOM) {
			// A file pasted after another keeps its mark: it is not part
			// of the row's first field.
			ln, start = ln[len(utf8BOM):], start+len(utf8BOM)
		}
		reason := ""
		switch {
		case len(raw) > MaxLineBytes:
			reason = fmt.Sprintf("line longer than %d bytes", MaxLineBytes)
		case len(ln) == 0:
			continue // blank line: not a row
		}
		res.rows++
		var t int64
		if reason == "" {
			t, reason = p.row(ln, start)
		}
		if reason == "" {
			// The block's bytes are reused once it is parsed: names are
			// copied, and case ids gathered to be copied at once.
			if id := p.id; !bytes.Equal(id, ids[lastID:]) {
				lastID = len(ids)
				ids = append(ids, id...)
			}
			spans = append(spans, uint64(lastID)<<32|uint64(len(ids)))
			nameCol = append(nameCol, p.name(cols, p.tp))
			timeCol = append(timeCol, t)
			if cols.Line == nil {
				continue // ColumnsForDiscovery
			}
			cols.Line = append(cols.Line, line)
			if p.chCol >= 0 {
				cols.Channel = append(cols.Channel, p.value(cols, p.field(ln, p.chCol)))
			}
			if p.lcCol >= 0 {
				cols.Lifecycle = append(cols.Lifecycle, p.value(cols, p.field(ln, p.lcCol)))
			}
			if cols.CSAT != nil {
				cols.CSAT, cols.CES, cols.NPS = append(cols.CSAT, p.ev.CSAT), append(cols.CES, p.ev.CES), append(cols.NPS, p.ev.NPS)
			}
			if p.segCol >= 0 {
				cols.Segment = append(cols.Segment, p.segment(cols, p.field(ln, p.segCol)))
			}
			continue
		}
		res.malformed++
		prob := Problem{File: p.file, Line: line, Reason: reason}
		if len(res.problems) < p.opts.MaxProblems {
			res.problems = append(res.problems, prob)
		}
		if p.opts.Strict {
			res.err = &RowError{prob}
			return res
		}
	}
	return res
}

// name returns the index of a touchpoint name in the block's names,
// adding a copy if it is new.
func (p *colParser) name(cols *Columns, b []byte) int32 {
	return p.names.Number(&cols.Names, unsafeString(b))
}

// value returns the index of a channel or lifecycle value, lower-cased,
// in the block's values, adding it if it is new, or -1 for none.
func (p *colParser) value(cols *Columns, b []byte) int32 {
	if len(b) == 0 {
		return -1
	}
	v := p.rows.lower(unsafeString(b))
	if v == "" {
		return -1
	}
	return p.values.Number(&cols.Values, v)
}

// segment returns the index of a segment, as it is written, in the
// block's values, adding a copy if it is new, or -1 for none.
func (p *colParser) segment(cols *Columns, b []byte) int32 {
	if len(b) == 0 {
		return -1
	}
	return p.values.Number(&cols.Values, unsafeString(b))
}

// row checks a line, at start in the block, as csvReader.event does,
// leaving where its fields end in p.ends, and returns its time in Unix
// nanoseconds.
func (p *colParser) row(ln []byte, start int) (int64, string) {
	p.ends = p.index.fieldEnds(start, start+len(ln), p.ends[:0])
	if len(p.ends) != len(p.header) {
		return 0, fmt.Sprintf("%d fields, the header has %d", len(p.ends), len(p.header))
	}
	// Views of the block's bytes, only looked at (and kept in p for the
	// caller).
	p.id, p.tp = p.field(ln, p.caseCol), p.field(ln, p.tpCol)
	caseID, name, ts := unsafeString(p.id), unsafeString(p.tp), unsafeString(p.field(ln, p.timeCol))
	if reason := required(caseID, name, ts); reason != "" {
		return 0, reason
	}
	var t int64
	var ok bool
	if p.layout != "" {
		t, ok = parseLayout(p.layout, ts, p.opts.Location)
	} else {
		t, ok = p.days.unixNano(ts, p.opts.Location)
	}
	if !ok {
		return 0, p.badTimestamp(ts)
	}
	p.ev.CSAT, p.ev.CES, p.ev.NPS = NoScore, NoScore, NoScore
	for _, i := range p.scores {
		if f := p.field(ln, i); len(f) > 0 {
			if _, reason := p.rows.special(&p.ev, p.header[i], unsafeString(f)); reason != "" {
				return 0, reason
			}
		}
	}
	return t, ""
}

// trimEOL is a line without its line break and carriage return.
func trimEOL(raw []byte) []byte {
	if n := len(raw); n > 0 && raw[n-1] == '\n' {
		raw = raw[:n-1]
	}
	if n := len(raw); n > 0 && raw[n-1] == '\r' {
		raw = raw[:n-1]
	}
	return raw
}

// field is the line's field i, once row has found where they end.
func (p *colParser) field(ln []byte, i int) []byte {
	start := int32(0)
	if i > 0 {
		start = p.ends[i-1] + 1
	}
	return ln[start:p.ends[i]]
}
