package eventlog

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// Reader yields the events of a log one by one.
type Reader interface {
	// Read returns the next well-formed event, io.EOF after the last, a
	// *RowError for a malformed row in strict mode, or another error when
	// the file cannot be read on (a truncated gzip stream, broken XML).
	// The returned Event's Attrs slice is reused by the next Read.
	Read() (Event, error)
	// Stats counts the rows read so far; after io.EOF, the whole file.
	Stats() Stats
	// Close releases the file.
	Close() error
}

// Format is a log's file format.
type Format string

const (
	CSV     Format = "csv"
	JSONL   Format = "jsonl"
	XES     Format = "xes"
	Parquet Format = "parquet" // read by package eventlog/parquet, once imported
)

// opener opens a log of a format another package reads (RegisterFormat).
type opener func(f *os.File, name string, opts Options) (Reader, error)

var (
	formatsMu sync.Mutex
	formats   = map[Format]opener{}
)

// RegisterFormat makes Open read files of format with open, and recognise
// them by their first bytes, magic (as it recognises gzip), whatever their
// name. Package eventlog/parquet registers Parquet when it is imported,
// so that a program that reads only CSV never compiles a Parquet reader,
// as image/png registers PNG with package image.
func RegisterFormat(format Format, magic []byte, open func(f *os.File, name string, opts Options) (Reader, error)) {
	formatsMu.Lock()
	defer formatsMu.Unlock()
	formats[format] = open
	magics = append(magics, magicFormat{magic, format})
}

type magicFormat struct {
	magic  []byte
	format Format
}

var magics = []magicFormat{{[]byte("PAR1"), Parquet}}

// sniff returns the format f's first bytes say, or "".
func sniff(f *os.File) Format {
	head := make([]byte, 8)
	n, _ := f.ReadAt(head, 0)
	formatsMu.Lock()
	defer formatsMu.Unlock()
	for _, m := range magics {
		if n >= len(m.magic) && bytes.Equal(head[:len(m.magic)], m.magic) {
			return m.format
		}
	}
	return ""
}

// FormatOf guesses a format from a file name: .csv (or .tsv: the CSV
// reader finds the delimiter from the header), .jsonl/.ndjson/.json
// and .xes, each optionally followed by .gz.
func FormatOf(path string) (Format, error) {
	p := strings.ToLower(strings.TrimSuffix(strings.ToLower(path), ".gz"))
	switch {
	case strings.HasSuffix(p, ".csv"), strings.HasSuffix(p, ".tsv"), strings.HasSuffix(p, ".tab"):
		return CSV, nil
	case strings.HasSuffix(p, ".jsonl"), strings.HasSuffix(p, ".ndjson"), strings.HasSuffix(p, ".json"):
		return JSONL, nil
	case strings.HasSuffix(p, ".xes"):
		return XES, nil
	case strings.HasSuffix(p, ".parquet"):
		return Parquet, nil
	}
	for _, ext := range []string{".xlsx", ".xlsm", ".xls", ".ods", ".numbers"} {
		if strings.HasSuffix(p, ext) {
			return "", &FormatError{Path: path, Workbook: true}
		}
	}
	return "", &FormatError{Path: path}
}

// FormatError is FormatOf's error: a name that says no log format, or a
// spreadsheet workbook's (which is no log: its sheet saved as CSV is).
type FormatError struct {
	Path     string
	Workbook bool
}

func (e *FormatError) Error() string {
	if e.Workbook {
		return e.Path + ": a spreadsheet workbook is not a log: save its sheet as CSV (UTF-8) and read that"
	}
	return e.Path + ": cannot tell the log's format from its name: use a .csv, .tsv, .json, .jsonl, .xes (optionally .gz) or .parquet file, or name the format"
}

// Open opens the log at path, choosing the reader by opts.Format, else by
// the file name, and decompressing gzip (recognised by its magic bytes,
// whatever the name). The path "-" is standard input, whose format
// opts.Format must give.
func Open(path string, opts Options) (Reader, error) {
	format := opts.Format
	if path == "-" {
		switch format {
		case "":
			return nil, fmt.Errorf("standard input has no name to tell its format by: name the format (csv, jsonl or xes)")
		case Parquet:
			return nil, fmt.Errorf("a Parquet log cannot be read from standard input: its index is at its end, so it needs a file that can be read out of order; write it to a file first")
		}
		return NewReader(io.NopCloser(os.Stdin), "<stdin>", format, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot open event log: %w", err)
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s is a directory: give the event log's file", path)
	}
	if format == "" {
		if format = sniff(f); format == "" {
			if format, err = FormatOf(path); err != nil {
				f.Close()
				return nil, err
			}
		}
	}
	if format == Parquet || formats[format] != nil {
		formatsMu.Lock()
		open := formats[format]
		formatsMu.Unlock()
		if open == nil {
			f.Close()
			return nil, fmt.Errorf("%s is a Parquet log: import github.com/journeymap/journeymap/eventlog/parquet to read it", path)
		}
		r, err := open(f, path, opts)
		if err != nil {
			f.Close()
		}
		return r, err
	}
	r, err := NewReader(f, path, format, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads a log of the given format from r, decompressing gzip when
// r starts with its magic bytes. If r is an io.Closer, the Reader's Close
// closes it.
func NewReader(r io.Reader, name string, format Format, opts Options) (Reader, error) {
	src, err := maybeGunzip(r, name)
	if err != nil {
		return nil, err
	}
	if ra, ok := src.(*readAhead); ok {
		if c, ok := r.(io.Closer); ok {
			r = closers{ra, c}
		} else {
			r = ra
		}
	}
	var rd Reader
	switch format {
	case CSV:
		br := bufio.NewReaderSize(src, 64<<10)
		src = br
		if sep := sniffDelimiter(br); sep != ',' {
			src = newDialectReader(br, sep)
		}
		rd, err = NewCSVReader(src, name, opts)
	case JSONL:
		br := bufio.NewReaderSize(src, 64<<10)
		src = br
		if isJSONArray(br) {
			if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
				br.Discard(3)
			}
			src = newJSONArrayReader(br)
		}
		rd, err = NewJSONLReader(src, name, opts)
	case XES:
		rd, err = NewXESReader(src, name, opts)
	default:
		return nil, fmt.Errorf("%s: unknown log format %q: use csv, jsonl or xes", name, string(format))
	}
	if err != nil {
		return nil, err
	}
	if c, ok := r.(io.Closer); ok {
		return closing{rd, c}, nil
	}
	return rd, nil
}

type closing struct {
	Reader
	c io.Closer
}

// Columns returns the column names of a log that has a header (CSV), or nil.
func (c closing) Columns() []string {
	if x, ok := c.Reader.(interface{ Columns() []string }); ok {
		return x.Columns()
	}
	return nil
}

func (c closing) Close() error { return errors.Join(c.Reader.Close(), c.c.Close()) }

// closers closes its parts in order, as one io.Reader and io.Closer.
type closers struct {
	*readAhead
	c io.Closer
}

func (c closers) Close() error { return errors.Join(c.readAhead.Close(), c.c.Close()) }

// maybeGunzip returns a reader of r's content, decompressed if gzipped.
func maybeGunzip(r io.Reader, name string) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return br, nil
	}
	in := &countingReader{r: br}
	zr, err := gzip.NewReader(in)
	if err != nil {
		return nil, fmt.Errorf("%s: not a valid gzip file: %w", name, err)
	}
	return newReadAhead(&gzipReader{zr: zr, name: name, in: in}), nil
}

// MaxGzipRatio is how many times its compressed size a gzip stream may
// expand to. Real logs compress 5 to 50 times; a stream that expands far
// more (10 GB of blank lines in 10 MB) is a decompression bomb, stopped
// before it costs minutes.
const MaxGzipRatio = 500

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// readAhead reads r in its own goroutine, a few chunks ahead of its own
// reader, so that decompressing a log and parsing it use two cores.
type readAhead struct {
	full chan aheadChunk
	free chan []byte
	done chan struct{}
	once sync.Once
	buf  []byte // the chunk being read
	rest []byte // its unread part
	err  error  // what r said after it
}

type aheadChunk struct {
	b   []byte
	err error
}

const aheadChunks, aheadChunkSize = 4, 256 << 10

func newReadAhead(r io.Reader) *readAhead {
	ra := &readAhead{full: make(chan aheadChunk, aheadChunks), free: make(chan []byte, aheadChunks), done: make(chan struct{})}
	for range aheadChunks {
		ra.free <- make([]byte, aheadChunkSize)
	}
	go func() {
		for {
			var b []byte
			select {
			case b = <-ra.free:
			case <-ra.done:
				return
			}
			n, err := io.ReadFull(r, b)
			if err == io.ErrUnexpectedEOF {
				err = io.EOF // a short last chunk
			}
			select {
			case ra.full <- aheadChunk{b[:n], err}:
			case <-ra.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return ra
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.rest) == 0 {
		if ra.err != nil {
			return 0, ra.err
		}
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)] // never blocks: free holds every chunk
		}
		c := <-ra.full
		ra.buf, ra.rest, ra.err = c.b, c.b, c.err
	}
	n := copy(p, ra.rest)
	ra.rest = ra.rest[n:]
	return n, nil
}

// Close stops the goroutine (after the read it may be in).
func (ra *readAhead) Close() error {
	ra.once.Do(func() { close(ra.done) })
	return nil
}

// gzipReader names the file in decompression errors, and says what a
// truncated file means.
type gzipReader struct {
	zr   *gzip.Reader
	name string
	in   *countingReader // the compressed bytes read
	out  int64           // the bytes it expanded to
}

func (g *gzipReader) Read(p []byte) (int, error) {
	n, err := g.zr.Read(p)
	g.out += int64(n)
	if g.out > 8<<20 && g.out > MaxGzipRatio*g.in.n {
		return n, fmt.Errorf("%s: the gzip stream expands more than %d times its size (%d MB from %d kB): a decompression bomb, not a log", g.name, MaxGzipRatio, g.out>>20, g.in.n>>10)
	}
	if err != nil && err != io.EOF {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%s: the gzip stream is truncated: the file was cut short; copy or export it again", g.name)
		} else {
			err = fmt.Errorf("%s: cannot decompress: %w", g.name, err)
		}
	}
	return n, err
}

// ReadAll reads every event of r; for tests and small logs (it holds the
// whole log in memory, which readers otherwise never do).
func ReadAll(r Reader) ([]Event, error) {
	var evs []Event
	for {
		ev, err := r.Read()
		if err == io.EOF {
			return evs, nil
		}
		if err != nil {
			return evs, err
		}
		ev.Attrs = append([]Attr(nil), ev.Attrs...)
		evs = append(evs, ev)
	}
}
