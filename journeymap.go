package journeymap

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// Options configure the one-call functions. The zero value reads logs with
// the contract's column names and replays with the journey's settings.
type Options struct {
	Events   eventlog.Options // column names, zone, strict mode
	Segment  string           // attribute that segments cases (e.g. "persona"); "" for none
	Replay   replay.Options   // workers, case timeout
	Friction friction.Options // detector thresholds
	// CompleteOnly makes Discover keep only completions: rows whose
	// lifecycle is complete, or that have none. By default discovery
	// keeps every row, as PM4Py does, so that its figures equal PM4Py's.
	// (Replay always folds lifecycle events into visits.)
	CompleteOnly bool
	// DB and Query, if DB is set, read the events from Query's rows on DB
	// (any database/sql driver; eventlog.NewSQLReader) instead of a file;
	// the events path then only names the source in messages. A query
	// ordered by case (ORDER BY case_id, timestamp) is read once, a case
	// at a time; any other is run again, to hold every event, if its
	// first rows are not in case order.
	DB    *sql.DB
	Query string
	// Progress, if set, is called with the number of rows read so far
	// after each batch of events is parsed (a few thousand rows), the last
	// time with the whole file's count (for a progress line).
	Progress func(rows int64)
}

// Replay loads the journey at journeyPath, reads the event log at
// eventsPath (CSV, JSON Lines or XES, by its name; gzip by its content) and
// replays it. The returned stats list the log's first malformed rows;
// res.Events accounts for every row.
//
// Unless opts.Replay asks for Grouped or a Horizon, Replay first reads the
// log as sorted by case, holding one case at a time; at the first case
// out of order it reads the file again, holding every case to the end
// (replay.Options describes both). A log in time order is found
// out within its first cases; the result is the same either way.
func Replay(ctx context.Context, journeyPath, eventsPath string, opts Options) (*journey.Journey, *replay.Result, eventlog.Stats, error) {
	j, err := journey.Load(journeyPath)
	if err != nil {
		return nil, nil, eventlog.Stats{}, err
	}
	ro := opts.Replay
	// A regular file may be read twice: first a case at a time, and again
	// whole if it is not sorted by case. A pipe, a FIFO or a device is
	// read once, whole.
	first, canReread := snapshot(eventsPath, opts)
	auto := !ro.Grouped && ro.Horizon == 0 && canReread
	ro.Grouped = ro.Grouped || auto
	whole := ro
	whole.Grouped = ro.Grouped && !auto
	res, stats, err := streamThenWhole(eventsPath, first, auto, replay.ErrNotGrouped,
		func() (*replay.Result, eventlog.Stats, error) { return replayFile(ctx, j, eventsPath, opts, ro) },
		func() (*replay.Result, eventlog.Stats, error) { return replayFile(ctx, j, eventsPath, opts, whole) })
	if err != nil {
		return nil, nil, stats, err
	}
	return j, res, stats, nil
}

func replayFile(ctx context.Context, j *journey.Journey, eventsPath string, opts Options, ro replay.Options) (*replay.Result, eventlog.Stats, error) {
	r, err := openLog(ctx, eventsPath, opts)
	if err != nil {
		return nil, eventlog.Stats{}, err
	}
	defer r.Close()
	var res *replay.Result
	var stats func() eventlog.Stats
	// A log that can be read in blocks is, on every core.
	if cr, ok := eventlog.AsColumnReader(r); ok {
		res, err = replay.RunColumns(ctx, j, columnSource(cr, opts.Progress), ro)
		stats = cr.Stats
	} else {
		src := NewEventSource(r, opts.Segment)
		src.progress = opts.Progress
		res, err = replay.Run(ctx, j, src, ro)
		src.Stop()
		stats = src.Stats
	}
	if err != nil {
		if errors.As(err, new(*replay.OrderError)) {
			err = fmt.Errorf("%s: %w", eventsPath, err)
		}
		return nil, stats(), err
	}
	if err := checkQuality(eventsPath, stats()); err != nil {
		return nil, stats(), err
	}
	if opts.Segment != "" && !segmented(res) {
		return nil, stats(), noSegment(eventsPath, opts.Segment, r)
	}
	if n := len(res.Segments); opts.Segment != "" && n > MaxSegments {
		count := fmt.Sprint(n)
		if _, ok := res.Segments[replay.OverflowSegment]; ok {
			count = fmt.Sprintf("more than %d", replay.MaxSegments) // the replay stopped counting them
		}
		return nil, stats(), fmt.Errorf("%s: %q has %s values: a segment is a group of customers (a persona, a region, a plan), not an id; segment by a column with at most %d values", eventsPath, opts.Segment, count, MaxSegments)
	}
	return res, stats(), nil
}

// segmented reports whether some case of res has a segment.
func segmented(res *replay.Result) bool {
	for name := range res.Segments {
		if name != "" {
			return true
		}
	}
	return res.Cases.Total == 0
}

// MaxSegments is the most values a segment column may have: more are ids,
// not groups, and would make a report many times the log.
const MaxSegments = 100

// noSegment is the error for a segment attribute that no event has,
// naming the columns the log has where its reader knows them.
func noSegment(path, segment string, r eventlog.Reader) error {
	msg := fmt.Sprintf("%s: no event has a %q column or attribute to segment by", path, segment)
	if c, ok := r.(interface{ Columns() []string }); ok && slices.ContainsFunc(c.Columns(), func(col string) bool { return eventlog.LooseName(col) == eventlog.LooseName(segment) }) {
		return fmt.Errorf("%s: %q is the column of the case id, the touchpoint or the time, not an attribute of customers to segment by: a segment is a group (a persona, a region, a plan)", path, segment)
	}
	if c, ok := r.(interface{ Columns() []string }); ok {
		cols := c.Columns()
		if len(cols) > 12 {
			cols = append(cols[:12], "...")
		}
		msg += fmt.Sprintf("; the log's columns are %s", strings.Join(cols, ", "))
	}
	return errors.New(msg)
}

// Analyze is the one call: it loads the journey, replays the log through
// it and returns the friction report, with the log's first malformed rows
// in it. With opts.Segment set, the report also breaks every metric and
// finding down by that attribute.
func Analyze(ctx context.Context, journeyPath, eventsPath string, opts Options) (*friction.Report, error) {
	ro := opts.Replay
	ro.KeepCases = ro.KeepCases || opts.Friction.ExampleCases > 0 // only example cases need the case list
	ro.BySegment = ro.BySegment || opts.Segment != ""
	opts.Replay = ro
	j, res, stats, err := Replay(ctx, journeyPath, eventsPath, opts)
	if err != nil {
		if opts.Friction.Pseudonymize != nil {
			err = withheld(err)
		}
		return nil, err
	}
	rep, err := friction.AnalyzeContext(ctx, j, res, opts.Friction)
	if err != nil {
		return nil, err
	}
	for _, p := range stats.Problems {
		rep.Malformed = append(rep.Malformed, friction.RowProblem{Line: p.Line, Reason: p.Reason})
	}
	rep.Warnings = append(rep.Warnings, ReportWarnings(rep)...)
	if w := horizonWarning(j, ro); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	return rep, nil
}

// horizonWarning is the warning for a horizon shorter than the time a case
// may idle: a customer who pauses between the two is split into two cases
// (the first counted as dropped, the second starting mid-journey).
func horizonWarning(j *journey.Journey, ro replay.Options) string {
	timeout := j.Settings().CaseTimeout
	if ro.CaseTimeout > 0 {
		timeout = ro.CaseTimeout
	}
	if ro.Horizon <= 0 || ro.Horizon >= timeout {
		return ""
	}
	return fmt.Sprintf("The horizon (%s) is shorter than the journey's case_timeout (%s): a customer who pauses between the two is split into two cases, the first counted as a drop-off. Make the horizon at least %s.",
		journey.FormatDuration(ro.Horizon), journey.FormatDuration(timeout), journey.FormatDuration(timeout))
}

// Discover reads the event log at eventsPath and returns its as-is journey.
// Malformed rows are skipped (and listed in the stats) unless
// opts.Events.Strict is set.
//
// A CSV log is parsed a block at a time on every core
// (eventlog.ColumnReader); other formats are read event by event. Discover
// first reads the log as one whose cases are each in time order (as logs
// sorted by time or by case are), following each case's path; at the
// first event out of order it reads the file again, keeping every event
// (discover.Options describes both). The result is the same
// either way.
func Discover(ctx context.Context, eventsPath string, opts Options) (*discover.Discovery, eventlog.Stats, error) {
	first, canReread := snapshot(eventsPath, opts) // a pipe is read once, keeping every event
	return streamThenWhole(eventsPath, first, canReread, replay.ErrCaseNotInTimeOrder,
		func() (*discover.Discovery, eventlog.Stats, error) {
			return discoverFile(ctx, eventsPath, opts, discover.Options{InTimeOrder: true})
		},
		func() (*discover.Discovery, eventlog.Stats, error) {
			return discoverFile(ctx, eventsPath, opts, discover.Options{})
		})
}

// streamThenWhole reads a log the cheap way first, when it may (a log
// that can be read twice): stream holds little, but stops with an
// *replay.OrderError for errOrder where the log's order does not allow
// it. The log is then read again the general way, whole, if the file has
// not changed since the first read began (first). A log that cannot be
// read twice is read the general way at once.
func streamThenWhole[T any](path string, first os.FileInfo, mayStream bool, errOrder error, stream, whole func() (T, eventlog.Stats, error)) (T, eventlog.Stats, error) {
	read := whole
	if mayStream {
		read = func() (T, eventlog.Stats, error) {
			v, stats, err := stream()
			if errors.Is(err, errOrder) {
				if err = unchanged(path, first); err == nil {
					return whole()
				}
			}
			return v, stats, err
		}
	}
	v, stats, err := read()
	// A regular file that changed while it was read (truncated, or
	// written to) gives no report: it would describe neither version.
	if err == nil && first != nil && first.Mode().IsRegular() {
		err = unchanged(path, first)
	}
	return v, stats, err
}

// Rereadable reports whether the log can be read more than once: a
// regular file or opts' query can; standard input ("-"), a pipe, a FIFO
// or a device cannot, and is read once, holding every event.
// DraftAttributes and a picture of a discovered journey need a second
// read.
func Rereadable(eventsPath string, opts Options) bool {
	_, ok := snapshot(eventsPath, opts)
	return ok
}

// snapshot returns what a second read of path must find unchanged (nil
// for a query, which is run again), and whether the log can be read
// twice at all.
func snapshot(path string, opts Options) (os.FileInfo, bool) {
	if opts.DB != nil {
		return nil, true
	}
	st, err := os.Stat(path)
	return st, err == nil && st.Mode().IsRegular()
}

// unchanged is an error if the file at path is not the one first read
// (its size or modification time moved), so that a report never mixes
// data from two versions of a log. A query (first is nil) is run again;
// order it by case to run it once.
func unchanged(path string, first os.FileInfo) error {
	if first == nil {
		return nil
	}
	now, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: cannot read the log again: %w", path, err)
	}
	if now.Size() != first.Size() || !now.ModTime().Equal(first.ModTime()) {
		return fmt.Errorf("%s: the file changed while it was read: a report would describe neither version; analyse a copy that does not change (a log still being written: copy it first, or stream it to journeymap watch)", path)
	}
	return nil
}

func discoverFile(ctx context.Context, eventsPath string, opts Options, do discover.Options) (*discover.Discovery, eventlog.Stats, error) {
	opts.Events.ColumnsForDiscovery = true
	r, err := openLog(ctx, eventsPath, opts)
	if err != nil {
		return nil, eventlog.Stats{}, err
	}
	defer r.Close()
	var d *discover.Discovery
	var stats func() eventlog.Stats
	if cr, ok := eventlog.AsColumnReader(r); ok && !opts.CompleteOnly {
		d, err = discover.RunColumns(ctx, columnSource(cr, opts.Progress), do)
		stats = cr.Stats
	} else {
		src := NewEventSource(r, "")
		src.progress = opts.Progress
		var events replay.Events = src
		if opts.CompleteOnly {
			events = completions{src}
		}
		d, err = discover.Run(ctx, events, do)
		src.Stop()
		stats = src.Stats
	}
	if err == nil {
		err = allMalformed(eventsPath, stats())
	}
	return d, stats(), err
}

// completions passes on the events that are visits: a complete, or an
// event without a lifecycle.
type completions struct{ src replay.Events }

func (c completions) Next() (replay.Event, error) {
	for {
		ev, err := c.src.Next()
		if err != nil || ev.Lifecycle == "" || strings.EqualFold(ev.Lifecycle, "complete") {
			return ev, err
		}
	}
}

// ColumnSource reads an eventlog.ColumnReader (a CSV or JSON Lines log,
// parsed in blocks on every core) as the replay.ColumnSource that
// replay.RunColumns and discover.RunColumns consume: the fast way
// to replay a log of those formats in a program. It hands the blocks
// replay is done with back to the reader, and counts the reader's
// malformed rows so that a result accounts for every row.
type ColumnSource struct {
	r        eventlog.ColumnReader
	progress func(rows int64)
}

// NewColumnSource adapts r.
func NewColumnSource(r eventlog.ColumnReader) *ColumnSource { return &ColumnSource{r: r} }

// columnSource is NewColumnSource with a progress callback.
func columnSource(r eventlog.ColumnReader, progress func(rows int64)) *ColumnSource {
	return &ColumnSource{r: r, progress: progress}
}

// NextColumns returns the next block, or io.EOF after the last.
func (s *ColumnSource) NextColumns() (*replay.Columns, error) {
	cols, err := s.r.ReadColumns()
	if s.progress != nil && (err == nil || err == io.EOF) {
		s.progress(s.r.Stats().Rows)
	}
	return cols, err
}

// Recycle hands a block back to the reader, if it reuses them.
func (s *ColumnSource) Recycle(cols *replay.Columns) {
	if rc, ok := s.r.(interface{ Recycle(*eventlog.Columns) }); ok {
		rc.Recycle(cols)
	}
}

// Malformed is the number of malformed rows read so far.
func (s *ColumnSource) Malformed() int64 { return s.r.Stats().Malformed }

// Stats are the reader's counts and first problems so far.
func (s *ColumnSource) Stats() eventlog.Stats { return s.r.Stats() }

// ErrNoEvents is the cause of the error for a log of which rows were read
// but none was an event.
var ErrNoEvents = errors.New("no row is an event")

// ErrEmptyLog is the cause of the error for a log with no rows at all (a
// header alone, or nothing). It is an ErrNoEvents too.
var ErrEmptyLog error = emptyLog{}

type emptyLog struct{}

func (emptyLog) Error() string { return "the log has no events: it has no rows" }
func (emptyLog) Unwrap() error { return ErrNoEvents }

// allMalformed is an error when rows were read but none was an event:
// almost always the wrong file, format or column names, not a log to
// report on.
func allMalformed(path string, st eventlog.Stats) error {
	if st.Rows == 0 || st.Malformed < st.Rows {
		return nil
	}
	var first []string
	for _, p := range st.Problems[:min(3, len(st.Problems))] {
		first = append(first, fmt.Sprintf("line %d: %s", p.Line, p.Reason))
	}
	return fmt.Errorf("%s: none of its %d rows is an event (%s); is it the right file, format and columns? %w", path, st.Rows, strings.Join(first, "; "), ErrNoEvents)
}

// openLog opens the log: the file at path, or opts.Query on opts.DB.
func openLog(ctx context.Context, path string, opts Options) (eventlog.Reader, error) {
	return openLogWith(ctx, path, opts, readOptions(opts))
}

// openLogWith is openLog reading with eo.
func openLogWith(ctx context.Context, path string, opts Options, eo eventlog.Options) (eventlog.Reader, error) {
	if opts.DB == nil {
		return eventlog.Open(path, eo)
	}
	rows, err := opts.DB.QueryContext(ctx, opts.Query)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, &eventlog.QueryError{Err: err})
	}
	return eventlog.NewSQLReader(rows, path, eo)
}

// readOptions are opts.Events, keeping only the attributes replay uses.
func readOptions(opts Options) eventlog.Options {
	eo := opts.Events
	eo.SegmentCol = opts.Segment
	if opts.Segment != "" && eo.Attrs == nil {
		eo.Attrs = []string{opts.Segment, "case:" + opts.Segment}
	} else if eo.Attrs == nil {
		eo.Attrs = []string{} // keep no attributes: replay does not use them
	}
	return eo
}

// DraftColumns name the log columns a draft journey takes its touchpoints'
// owners, channels and stages from (discover.DraftOptions). An empty name
// means none; DraftAttributes tries the usual ones.
type DraftColumns struct{ Owner, Channel, Stage string }

// DraftAttributes reads the log at eventsPath once more and returns, by
// event name, the most frequent value of each column cols names: the
// owner (default org:group, else org:role), the channel (default the
// channel column) and the stage (none by default), for
// discover.DraftOptions. Ties go to the value first by name. A log that
// cannot be read again (Rereadable) proposes none: nil maps, no error.
func DraftAttributes(ctx context.Context, eventsPath string, opts Options, cols DraftColumns) (owner, channel, stage map[string]string, err error) {
	if !Rereadable(eventsPath, opts) {
		return nil, nil, nil, nil
	}
	ownerCols := []string{"org:group", "org:role"}
	if cols.Owner != "" {
		ownerCols = []string{cols.Owner}
	}
	want := append(slices.Clone(ownerCols), cols.Channel, cols.Stage)
	eo := opts.Events
	eo.Attrs = nil
	for _, c := range want {
		if c != "" {
			eo.Attrs = append(eo.Attrs, c, "case:"+c)
		}
	}
	opts.Events = eo
	r, err := openLog(ctx, eventsPath, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	defer r.Close()
	count := func() map[string]map[string]int64 { return map[string]map[string]int64{} }
	owners, channels, stages := count(), count(), count()
	add := func(m map[string]map[string]int64, name, v string) {
		if v == "" {
			return
		}
		if m[name] == nil {
			m[name] = map[string]int64{}
		}
		m[name][v]++
	}
	for n := 0; ; n++ {
		if n&4095 == 0 && ctx.Err() != nil {
			return nil, nil, nil, ctx.Err()
		}
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, nil, err
		}
		for _, c := range ownerCols {
			if v, ok := ev.Attr(c); ok && v != "" {
				add(owners, ev.Touchpoint, v)
				break
			}
		}
		ch := ev.Channel
		if cols.Channel != "" && cols.Channel != "channel" {
			ch, _ = ev.Attr(cols.Channel)
		}
		if ch == "" && cols.Channel != "" {
			ch, _ = ev.Attr("case:" + cols.Channel) // a case's channel (PM4Py's case:channel)
		}
		add(channels, ev.Touchpoint, ch)
		if cols.Stage != "" {
			v, ok := ev.Attr(cols.Stage)
			if !ok {
				v, _ = ev.Attr("case:" + cols.Stage)
			}
			add(stages, ev.Touchpoint, v)
		}
	}
	top := func(m map[string]map[string]int64) map[string]string {
		out := map[string]string{}
		for name, vals := range m {
			best := ""
			for _, v := range slices.Sorted(maps.Keys(vals)) {
				if best == "" || vals[v] > vals[best] {
					best = v
				}
			}
			out[name] = best
		}
		return out
	}
	return top(owners), top(channels), top(stages), nil
}

// withheld is err with the values a database quoted in it withheld
// (eventlog.QueryError.Withheld), for a run that pseudonymizes: a failed
// cast quotes the row's value, which may be a case id. The error still
// unwraps to the original, for errors.As.
func withheld(err error) error {
	var qe *eventlog.QueryError
	if !errors.As(err, &qe) {
		return err
	}
	return &withheldError{err: err, msg: strings.Replace(err.Error(), qe.Error(), qe.Withheld(), 1)}
}

type withheldError struct {
	err error
	msg string
}

func (e *withheldError) Error() string { return e.msg }
func (e *withheldError) Unwrap() error { return e.err }
