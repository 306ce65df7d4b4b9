package pipeline

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/eventlog"
	pq "github.com/journeymap/journeymap/eventlog/parquet"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// Config says what a pipeline reads and where it writes.
type Config struct {
	// Events is a glob of event files (CSV, JSON Lines, XES or Parquet,
	// as their names say, or as Read.Format says): a local path or any
	// filesystem Beam has registered.
	Events string
	// Read says how rows are read, as for the library's readers. Its
	// Location travels by its IANA name (nil for UTC), since a pipeline's
	// options travel as JSON.
	Read eventlog.Options
	// Out is where the JSON is written (a local path, or a path on a
	// registered filesystem).
	Out string
	// Analyze only: the journey file's bytes and its name (for messages),
	// and the case timeout (0: the journey's own).
	Journey     []byte
	JourneyName string
	CaseTimeout time.Duration
	// MaxCaseEvents is the most events a case may have to be replayed
	// (default DefaultMaxCaseEvents). A larger case's events are counted
	// as malformed (events.malformed) rather than fail the pipeline.
	MaxCaseEvents int
	// DeadLetter, if set, is where the events of the cases over
	// MaxCaseEvents are written, one CSV line each (case_id, touchpoint,
	// timestamp, file, line), to be looked at or replayed apart: a local
	// path or a path on a registered filesystem.
	DeadLetter string
	// SplitBytes is how large a local JSON Lines or CSV file may be
	// before it is read in byte ranges of about this size on different
	// workers (default DefaultSplitBytes); its lines keep their numbers. A
	// CSV file with a double quote in it is read whole: a quoted cell may
	// span lines.
	SplitBytes int64
}

// DefaultSplitBytes is Config.SplitBytes's default.
const DefaultSplitBytes = 128 << 20

// DefaultMaxCaseEvents is Config.MaxCaseEvents's default: a case of ten
// million events takes about 1.5 GB on the worker that replays it.
const DefaultMaxCaseEvents = 10_000_000

// Row is an event as it travels between workers: the library's Event
// with the file it came from (by number), so that a case's events can be
// put back in the log's order.
type Row struct {
	Touchpoint, Channel, Lifecycle string // no segment: the pipeline does not break reports down by segment yet
	Time                           int64  // Unix nanoseconds
	File                           int32
	Line                           int64
	CSAT, CES, NPS                 int32
}

// FileStats are one file's rows and malformed rows.
type FileStats struct {
	File      int32
	Name      string
	Rows      int64
	Malformed int64
	Problems  []Problem
}

// Problem is a malformed row: its line and why.
type Problem struct {
	Line   int64
	Reason string
}

// File is an input file and its number in the sorted list: the whole
// file, or one of its Parquet row groups (Group, from 0; -1 for the whole
// file), read apart on a worker of its own.
type File struct {
	N     int32
	Path  string
	Group int32
	// Start and End, where End > 0, are a byte range of whole lines of a
	// JSON Lines or CSV file, and LinesBefore the lines before Start.
	Start, End, LinesBefore int64
}

func init() {
	// Registered with generics, so that the SDK calls the DoFns without
	// reflection.
	register.DoFn4x1[context.Context, File, func(string, Row), func(FileStats), error](&readFn{})
	register.DoFn6x1[context.Context, string, func(*Row) bool, int64, func([]byte), func(string), error](&replayFn{})
	register.Emitter1[string]()
	register.DoFn4x1[context.Context, []byte, func(*[]byte) bool, func(*FileStats) bool, error](&reportFn{})
	register.DoFn3x0[string, func(*Row) bool, func([]byte)](&discoverFn{})
	register.DoFn3x1[context.Context, []byte, func(*[]byte) bool, error](&discoveryFn{})
	register.Combiner1[[]byte](&resultsFn{})
	register.Combiner1[[]byte](&talliesFn{})
	register.Function2x1(rowTime)
	register.Emitter2[string, Row]()
	register.Emitter1[FileStats]()
	register.Emitter1[[]byte]()
	register.Iter1[Row]()
	register.Iter1[[]byte]()
	register.Iter1[FileStats]()
	beam.RegisterType(reflect.TypeOf((*Row)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*FileStats)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*File)(nil)).Elem())
}

// GlobError is Files' error: the glob could not be listed, or names no
// file.
type GlobError struct {
	Glob string
	Err  error // nil when the glob names no file
}

func (e *GlobError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("pipeline: %s names no file: give a path or a glob such as events/*.csv", e.Glob)
	}
	return fmt.Sprintf("pipeline: listing %s: %v", e.Glob, e.Err)
}

func (e *GlobError) Unwrap() error { return e.Err }

// Files expands the glob into the files it names, sorted by name. It is
// a *GlobError if it names none.
func Files(ctx context.Context, glob string) ([]File, error) {
	fs, err := filesystem.New(ctx, glob)
	if err != nil {
		return nil, &GlobError{Glob: glob, Err: err}
	}
	defer fs.Close()
	names, err := fs.List(ctx, glob)
	if err != nil || len(names) == 0 {
		return nil, &GlobError{Glob: glob, Err: err}
	}
	slices.Sort(names)
	files := make([]File, len(names))
	for i, n := range names {
		files[i] = File{N: int32(i), Path: n, Group: -1}
	}
	return files, nil
}

// parts splits the local files that can be read in parts, so that
// their reads spread over the workers too: a Parquet file of several row
// groups into its groups, a plain JSON Lines file larger than split bytes
// into byte ranges (a JSON line never spans two lines, so a range's lines
// are whole ones). A part's rows keep the lines they have in the whole
// file. Other files, remote ones and CSV (whose quoted cells may span
// lines) stay whole.
func parts(files []File, format eventlog.Format, split int64) ([]File, error) {
	var out []File
	for _, f := range files {
		ff := format
		if ff == "" && !strings.Contains(f.Path, "://") {
			ff, _ = eventlog.FormatOf(f.Path)
		}
		if strings.Contains(f.Path, "://") || (ff != eventlog.Parquet && ff != eventlog.JSONL && ff != eventlog.CSV) {
			out = append(out, f)
			continue
		}
		if ff == eventlog.JSONL || ff == eventlog.CSV {
			ranges, err := byteRanges(f, cmp.Or(split, DefaultSplitBytes), ff == eventlog.CSV)
			if err != nil {
				return nil, err
			}
			out = append(out, ranges...)
			continue
		}
		r, err := os.Open(f.Path)
		if err != nil {
			return nil, err
		}
		st, err := r.Stat()
		if err != nil {
			r.Close()
			return nil, err
		}
		n, err := pq.RowGroups(r, st.Size(), f.Path)
		r.Close()
		if err != nil {
			return nil, err
		}
		if n <= 1 {
			out = append(out, f)
			continue
		}
		for g := range n {
			out = append(out, File{N: f.N, Path: f.Path, Group: int32(g)})
		}
	}
	return out, nil
}

// read is steps 1 and 2: the files' events keyed by case, and their
// stats.
func read(s beam.Scope, cfg Config) (keyed, fileStats beam.PCollection, err error) {
	zone := ""
	if loc := cfg.Read.Location; loc != nil && loc != time.UTC {
		if _, err := time.LoadLocation(loc.String()); err != nil || loc.String() == "Local" {
			return keyed, fileStats, fmt.Errorf("pipeline: the time zone %q has no IANA name the workers can load; give one such as Europe/Paris", loc)
		}
		zone = loc.String()
	}
	files, err := Files(context.Background(), cfg.Events)
	if err != nil {
		return keyed, fileStats, err
	}
	if err := cfg.Read.Check(); err != nil {
		return keyed, fileStats, err
	}
	if files, err = parts(files, cfg.Read.Format, cfg.SplitBytes); err != nil {
		return keyed, fileStats, err
	}
	opts := cfg.Read
	opts.Location = nil
	// A reshuffle between the list and the reads, so that the runner
	// spreads the files over its workers rather than fusing every read
	// into the one bundle that made the list.
	col := beam.Reshuffle(s, beam.CreateList(s, files))
	keyed, fileStats = beam.ParDo2(s, &readFn{Read: opts, TimeZone: zone}, col)
	return keyed, fileStats, nil
}

// Counters a job's monitoring shows, as the runner aggregates them.
var (
	rowsRead      = beam.NewCounter("journeymap", "rows.read")
	rowsMalformed = beam.NewCounter("journeymap", "rows.malformed")
	casesReplayed = beam.NewCounter("journeymap", "cases.replayed")
	casesTooLarge = beam.NewCounter("journeymap", "cases.over_max_case_events")
)

// readFn reads one file with the library's readers.
type readFn struct {
	Read     eventlog.Options
	TimeZone string // Read.Location's name: a *time.Location does not travel
}

func (f *readFn) Setup() error {
	if f.TimeZone != "" {
		loc, err := time.LoadLocation(f.TimeZone)
		if err != nil {
			return fmt.Errorf("pipeline: time zone %q: %w", f.TimeZone, err)
		}
		f.Read.Location = loc
	}
	return nil
}

func (f *readFn) ProcessElement(ctx context.Context, file File, emit func(string, Row), emitStats func(FileStats)) error {
	r, before, closeFile, err := openPart(ctx, file, f.Read)
	if err != nil {
		return err
	}
	defer closeFile()
	src := journeymap.NewEventSource(r, "")
	defer src.Stop()
	for {
		ev, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if re := (*eventlog.RowError)(nil); errors.As(err, &re) {
				re.Line += before // a part's line, as the whole file numbers it
			}
			if strings.Contains(err.Error(), file.Path) { // the reader's error names the file already
				return err
			}
			return fmt.Errorf("%s: %w", file.Path, err)
		}
		emit(ev.Case, Row{Touchpoint: ev.Touchpoint, Channel: ev.Channel, Lifecycle: ev.Lifecycle,
			Time: ev.Time.UnixNano(), File: file.N, Line: ev.Line + before, CSAT: int32(ev.CSAT), CES: int32(ev.CES), NPS: int32(ev.NPS)})
	}
	st := src.Stats()
	rowsRead.Inc(ctx, st.Rows)
	rowsMalformed.Inc(ctx, st.Malformed)
	fs := FileStats{File: file.N, Name: file.Path, Rows: st.Rows, Malformed: st.Malformed}
	for _, p := range st.Problems {
		fs.Problems = append(fs.Problems, Problem{Line: p.Line + before, Reason: p.Reason})
	}
	emitStats(fs)
	return nil
}

// byteRanges cuts a plain (not gzipped) JSON Lines file, or a CSV file
// without a double quote in it (a quoted cell may hold a line break, and
// its lines cannot be told apart from rows), into ranges of whole lines
// of about split bytes, or leaves it whole. One pass over the file finds
// where each range's first line begins and how many lines come before
// it, so that a worker reads its range and nothing else: O(file) in all.
func byteRanges(f File, split int64, csv bool) ([]File, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	size := st.Size()
	var magic [2]byte
	if n, _ := fh.ReadAt(magic[:], 0); n == 2 && magic == [2]byte{0x1f, 0x8b} || size <= split {
		return []File{f}, nil // gzip is read from its start
	}
	var out []File
	start, startLines := int64(0), int64(0) // the range being cut: its first line, the lines before it
	next := split                           // it ends at the first line beginning at or after next
	var lines int64                         // line breaks before pos
	buf := make([]byte, 1<<20)
	for pos := int64(0); pos < size; {
		k, err := fh.ReadAt(buf, pos)
		if err != nil && err != io.EOF {
			return nil, err
		}
		if k == 0 {
			break
		}
		c := buf[:k]
		if csv && bytes.IndexByte(c, '"') >= 0 {
			return []File{f}, nil
		}
		off := 0 // what of c is counted in lines
		for {
			from := max(next-1-pos, int64(off)) // a line begins at next if the byte before it breaks one
			if from >= int64(k) {
				break
			}
			nl := bytes.IndexByte(c[from:], '\n')
			if nl < 0 {
				break // the line goes on in the next block
			}
			end := int(from) + nl + 1
			lines += int64(bytes.Count(c[off:end], []byte{'\n'}))
			off = end
			if at := pos + int64(end); at < size {
				out = append(out, File{N: f.N, Path: f.Path, Group: -1, Start: start, End: at, LinesBefore: startLines})
				start, startLines, next = at, lines, at+split
			}
		}
		lines += int64(bytes.Count(c[off:], []byte{'\n'}))
		pos += int64(k)
	}
	if len(out) == 0 {
		return []File{f}, nil
	}
	return append(out, File{N: f.N, Path: f.Path, Group: -1, Start: start, End: size, LinesBefore: startLines}), nil
}

// openPart opens a file, one row group of a local Parquet file, or one
// byte range of a JSON Lines file; it returns how many lines come before
// the part, to add to its lines.
func openPart(ctx context.Context, file File, opts eventlog.Options) (eventlog.Reader, int64, func(), error) {
	if file.End > 0 {
		fh, err := os.Open(file.Path)
		if err != nil {
			return nil, 0, nil, err
		}
		var part io.Reader = io.NewSectionReader(fh, file.Start, file.End-file.Start)
		before := file.LinesBefore
		var r eventlog.Reader
		if ff, _ := eventlog.FormatOf(file.Path); opts.Format == eventlog.CSV || opts.Format == "" && ff == eventlog.CSV {
			if file.Start > 0 {
				// A range of a CSV file is read after the file's header,
				// which the reader numbers line 1: its rows then come one
				// line later than they do in the file.
				header, err := bufio.NewReader(io.NewSectionReader(fh, 0, file.Start)).ReadSlice('\n')
				if err != nil {
					fh.Close()
					return nil, 0, nil, fmt.Errorf("%s: reading its header: %w", file.Path, err)
				}
				part = io.MultiReader(bytes.NewReader(slices.Clone(header)), part)
				before--
			}
			r, err = eventlog.NewReader(part, file.Path, eventlog.CSV, opts)
		} else {
			r, err = eventlog.NewJSONLReader(part, file.Path, opts)
		}
		if err != nil {
			fh.Close()
			return nil, 0, nil, err
		}
		return r, before, func() { r.Close(); fh.Close() }, nil
	}
	if file.Group < 0 {
		r, done, err := open(ctx, file.Path, opts)
		return r, 0, done, err
	}
	fh, err := os.Open(file.Path)
	if err != nil {
		return nil, 0, nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, 0, nil, err
	}
	r, err := pq.NewGroupReader(fh, st.Size(), file.Path, opts, int(file.Group))
	if err != nil {
		fh.Close()
		return nil, 0, nil, err
	}
	return r, 0, func() { r.Close() }, nil
}

// open opens a log with the library's readers: a local file by its path
// (Parquet needs to seek), any other through Beam's filesystem.
func open(ctx context.Context, path string, opts eventlog.Options) (eventlog.Reader, func(), error) {
	if !strings.Contains(path, "://") {
		r, err := eventlog.Open(path, opts)
		if err != nil {
			return nil, nil, err
		}
		return r, func() { r.Close() }, nil
	}
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	rc, err := fs.OpenRead(ctx, path)
	if err != nil {
		fs.Close()
		return nil, nil, err
	}
	format := opts.Format
	if format == "" {
		if format, err = eventlog.FormatOf(path); err != nil {
			rc.Close()
			fs.Close()
			return nil, nil, err
		}
	}
	if format == eventlog.Parquet {
		// A Parquet file is read out of order (its index is at its end),
		// and a remote filesystem streams: the file is copied to the
		// worker's temporary directory and read there.
		defer fs.Close()
		defer rc.Close()
		tmp, err := os.CreateTemp("", "journeymap-*.parquet")
		if err != nil {
			return nil, nil, err
		}
		cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
		if _, err := io.Copy(tmp, rc); err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("%s: copying it to read it: %w", path, err)
		}
		r, err := eventlog.Open(tmp.Name(), opts)
		if err != nil {
			cleanup()
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		return r, func() { r.Close(); cleanup() }, nil
	}
	r, err := eventlog.NewReader(rc, path, format, opts)
	if err != nil {
		rc.Close()
		fs.Close()
		return nil, nil, err
	}
	return r, func() { r.Close(); rc.Close(); fs.Close() }, nil
}

func rowTime(_ string, r Row) int64 { return r.Time }

// events puts a case's rows back in the log's order (file, then line)
// as the library's events.
func events(id string, iter func(*Row) bool, buf []Row, evs []replay.Event) ([]Row, []replay.Event) {
	buf = buf[:0]
	var r Row
	for iter(&r) {
		buf = append(buf, r)
	}
	return buf, inLogOrder(id, buf, evs)
}

// inLogOrder sorts a case's rows in the log's order (file, then line) and
// makes them the library's events, in evs.
func inLogOrder(id string, buf []Row, evs []replay.Event) []replay.Event {
	slices.SortFunc(buf, func(a, b Row) int { return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line)) })
	evs = evs[:0]
	for _, r := range buf {
		evs = append(evs, replay.Event{Case: id, Touchpoint: r.Touchpoint, Channel: r.Channel, Lifecycle: r.Lifecycle,
			Time: time.Unix(0, r.Time).UTC(), Line: r.Line, CSAT: int8(r.CSAT), CES: int8(r.CES), NPS: int8(r.NPS)})
	}
	return evs
}

// Analyze adds to s the pipeline that replays cfg.Events through
// cfg.Journey and writes the friction report to cfg.Out, as `journeymap
// analyze --format json` writes it.
func Analyze(s beam.Scope, cfg Config) error {
	if _, err := journey.Parse(bytes.NewReader(cfg.Journey), cfg.JourneyName); err != nil {
		return err
	}
	keyed, fileStats, err := read(s, cfg)
	if err != nil {
		return err
	}
	logEnd := stats.Max(s, beam.ParDo(s, rowTime, keyed))
	grouped := beam.GroupByKey(s, keyed)
	partials, dead := beam.ParDo2(s, &replayFn{Journey: cfg.Journey, Name: cfg.JourneyName, CaseTimeout: cfg.CaseTimeout, MaxCaseEvents: cfg.MaxCaseEvents},
		grouped, beam.SideInput{Input: logEnd})
	if cfg.DeadLetter != "" {
		textio.Write(s, cfg.DeadLetter, dead)
	}
	// The bundles' results merge in a combine, which the runner can run
	// on many workers (merging parts, then the parts of parts) before the
	// last step reads one.
	partials = beam.Combine(s, &resultsFn{Journey: cfg.Journey, Name: cfg.JourneyName}, partials)
	// One element starts the last step, so that it runs, and writes a
	// report, even when the log has no events and so no partial results.
	beam.ParDo0(s, &reportFn{Journey: cfg.Journey, Name: cfg.JourneyName, Out: cfg.Out}, beam.Impulse(s),
		beam.SideInput{Input: partials}, beam.SideInput{Input: fileStats})
	return nil
}

// replayFn replays each case of a bundle into one Result.
type replayFn struct {
	Journey       []byte
	Name          string
	CaseTimeout   time.Duration
	MaxCaseEvents int

	j       *journey.Journey
	p       *replay.CaseReplayer
	rows    []Row
	evs     []replay.Event
	skipped int64 // events of cases over MaxCaseEvents
}

func (f *replayFn) Setup() error {
	j, err := journey.Parse(bytes.NewReader(f.Journey), f.Name)
	f.j = j
	return err
}

func (f *replayFn) ProcessElement(ctx context.Context, id string, iter func(*Row) bool, logEnd int64, emit func([]byte), dead func(string)) error {
	if f.p == nil {
		p, err := replay.NewCaseReplayer(f.j, replay.Options{LogEnd: time.Unix(0, logEnd).UTC(), CaseTimeout: f.CaseTimeout})
		if err != nil {
			return err
		}
		f.p = p
	}
	// A case over the bound is never held whole: past it, its rows go to
	// the dead letters as they come.
	limit := cmp.Or(f.MaxCaseEvents, DefaultMaxCaseEvents)
	f.rows = f.rows[:0]
	n := 0
	var r Row
	for iter(&r) {
		n++
		if n <= limit {
			f.rows = append(f.rows, r)
			continue
		}
		if n == limit+1 {
			for _, held := range f.rows {
				dead(deadLetter(id, held))
			}
			f.rows = f.rows[:0]
		}
		dead(deadLetter(id, r))
	}
	over := n > limit
	if !over {
		f.evs = inLogOrder(id, f.rows, f.evs)
	}
	var err error
	if over {
		f.skipped += int64(n)
		casesTooLarge.Inc(ctx, 1)
	} else {
		err = f.p.Replay(id, f.evs)
		casesReplayed.Inc(ctx, 1)
	}
	if cap(f.rows) > 1<<16 { // let a large case's memory go
		f.rows, f.evs = nil, nil
	}
	return err
}

// deadLetter is a row of a case over the bound, as a CSV line.
func deadLetter(id string, r Row) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{id, r.Touchpoint, time.Unix(0, r.Time).UTC().Format(time.RFC3339Nano), fmt.Sprint(r.File), fmt.Sprint(r.Line)})
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

func (f *replayFn) FinishBundle(_ int64, emit func([]byte), _ func(string)) error {
	if f.p == nil {
		return nil
	}
	r := f.p.Result()
	r.Events.Malformed += f.skipped
	r.Events.Read += f.skipped
	f.p, f.skipped = nil, 0
	b, err := r.MarshalBinary()
	if err != nil {
		return err
	}
	emit(b)
	return nil
}

// resultsFn merges encoded Results (Result.MarshalBinary) two at a
// time; an empty one is none. Merging is exact and in any order, so the
// runner may merge the parts as it likes.
type resultsFn struct {
	Journey []byte
	Name    string

	j *journey.Journey
}

func (f *resultsFn) Setup() error {
	j, err := journey.Parse(bytes.NewReader(f.Journey), f.Name)
	f.j = j
	return err
}

func (f *resultsFn) MergeAccumulators(a, b []byte) ([]byte, error) {
	if len(a) == 0 {
		return b, nil
	}
	if len(b) == 0 {
		return a, nil
	}
	ra, err := replay.Decode(f.j, a)
	if err != nil {
		return nil, err
	}
	rb, err := replay.Decode(f.j, b)
	if err != nil {
		return nil, err
	}
	if err := ra.Merge(rb); err != nil {
		return nil, err
	}
	return ra.MarshalBinary()
}

// talliesFn merges encoded discovery tallies, as resultsFn merges results.
type talliesFn struct{}

func (talliesFn) MergeAccumulators(a, b []byte) ([]byte, error) {
	if len(a) == 0 {
		return b, nil
	}
	if len(b) == 0 {
		return a, nil
	}
	var ta, tb discover.Tally
	if err := ta.UnmarshalBinary(a); err != nil {
		return nil, err
	}
	if err := tb.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	ta.Merge(&tb)
	return ta.MarshalBinary()
}

// reportFn merges the bundles' results and writes the report.
type reportFn struct {
	Journey []byte
	Name    string
	Out     string
}

func (f *reportFn) ProcessElement(ctx context.Context, _ []byte, parts func(*[]byte) bool, files func(*FileStats) bool) error {
	j, err := journey.Parse(bytes.NewReader(f.Journey), f.Name)
	if err != nil {
		return err
	}
	// The library's result of no events, into which the parts merge: what
	// `journeymap analyze` reports of an empty log.
	res, err := replay.Run(ctx, j, replay.SliceEvents(nil), replay.Options{})
	if err != nil {
		return err
	}
	var b []byte
	for parts(&b) {
		r, err := replay.Decode(j, b)
		if err != nil {
			return err
		}
		if err := res.Merge(r); err != nil {
			return err
		}
	}
	problems, malformed := collect(files)
	res.Events.Malformed += malformed
	res.Events.Read += malformed // as Replay counts them: rows read, well-formed or not
	if res.Events.Read == 0 {
		return fmt.Errorf("%s: the log has no events (a header and no rows?): %w", f.Name, journeymap.ErrNoEvents)
	}
	if err := replay.CheckMatched(j, res); err != nil { // as the command: a log of which no event meets the journey is an error
		return err
	}
	rep, err := friction.AnalyzeContext(ctx, j, res, friction.Options{})
	if err != nil {
		return err
	}
	rep.Malformed = problems
	rep.Warnings = append(rep.Warnings, journeymap.ReportWarnings(rep)...)
	var out bytes.Buffer
	if err := rep.WriteJSON(&out); err != nil {
		return err
	}
	return write(ctx, f.Out, out.Bytes())
}

// maxProblems is how many malformed rows a report lists, as the
// command's (eventlog.Options.MaxProblems's default).
const maxProblems = 20

// collect lists the files' malformed rows in the order of the files,
// naming the file when there are several, and counts them.
func collect(files func(*FileStats) bool) ([]friction.RowProblem, int64) {
	var all []FileStats
	var fs FileStats
	for files(&fs) {
		all = append(all, fs)
		fs = FileStats{}
	}
	// A file read in parts (its row groups) gives a part's stats each:
	// its problems are put back in the order of its lines.
	type problem struct {
		file int32
		name string
		p    Problem
	}
	var ps []problem
	var n int64
	seen := map[int32]bool{}
	for _, fs := range all {
		n += fs.Malformed
		seen[fs.File] = true
		for _, p := range fs.Problems {
			ps = append(ps, problem{fs.File, fs.Name, p})
		}
	}
	slices.SortFunc(ps, func(a, b problem) int { return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.p.Line, b.p.Line)) })
	var problems []friction.RowProblem
	for _, p := range ps[:min(len(ps), maxProblems)] { // as the command lists them: the first 20 of the log, all counted
		reason := p.p.Reason
		if len(seen) > 1 {
			reason = filepath.Base(p.name) + ": " + reason
		}
		problems = append(problems, friction.RowProblem{Line: p.p.Line, Reason: reason})
	}
	return problems, n
}

// Discover adds to s the pipeline that discovers cfg.Events's as-is
// journey and writes it to cfg.Out, as `journeymap discover --format
// json` writes it.
func Discover(s beam.Scope, cfg Config) error {
	keyed, _, err := read(s, cfg)
	if err != nil {
		return err
	}
	grouped := beam.GroupByKey(s, keyed)
	partials := beam.Combine(s, &talliesFn{}, beam.ParDo(s, &discoverFn{}, grouped))
	beam.ParDo0(s, &discoveryFn{Out: cfg.Out}, beam.Impulse(s), beam.SideInput{Input: partials})
	return nil
}

// discoverFn counts each case of a bundle into one tally.
type discoverFn struct {
	t    *discover.Tally
	rows []Row
	evs  []replay.Event
}

func (f *discoverFn) ProcessElement(id string, iter func(*Row) bool, emit func([]byte)) {
	if f.t == nil {
		f.t = &discover.Tally{}
	}
	f.rows, f.evs = events(id, iter, f.rows, f.evs)
	f.t.AddCase(f.evs)
	if cap(f.rows) > 1<<16 { // let a large case's memory go
		f.rows, f.evs = nil, nil
	}
}

func (f *discoverFn) FinishBundle(emit func([]byte)) error {
	if f.t == nil {
		return nil
	}
	b, err := f.t.MarshalBinary()
	f.t = nil
	if err != nil {
		return err
	}
	emit(b)
	return nil
}

// discoveryFn merges the bundles' tallies and writes the discovery.
type discoveryFn struct {
	Out string
}

func (f *discoveryFn) ProcessElement(ctx context.Context, _ []byte, parts func(*[]byte) bool) error {
	var all discover.Tally
	var b []byte
	for parts(&b) {
		var t discover.Tally
		if err := t.UnmarshalBinary(b); err != nil {
			return err
		}
		all.Merge(&t)
	}
	var out bytes.Buffer
	if err := all.Discovery().WriteJSON(&out); err != nil {
		return err
	}
	return write(ctx, f.Out, out.Bytes())
}

// write writes data to path: a local file through a temporary file
// renamed into place, any other through Beam's filesystem.
func write(ctx context.Context, path string, data []byte) error {
	if !strings.Contains(path, "://") {
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, data, 0o644); err != nil {
			return err
		}
		return os.Rename(tmp, path)
	}
	fs, err := filesystem.New(ctx, path)
	if err != nil {
		return err
	}
	defer fs.Close()
	return filesystem.Write(ctx, fs, path, data)
}
