// Package parquet reads customer event logs from Parquet files, with the
// column names, checks and accounting of package eventlog's CSV reader: a
// row is an event; case_id (or case:concept:name), touchpoint (or
// concept:name) and timestamp (or time:timestamp) are found by name or
// named in eventlog.Options.
//
// It is a package of its own so that a program that reads only CSV never
// compiles a Parquet reader. Importing it registers the format with
// eventlog.Open, which then reads .parquet files (recognised by their
// magic bytes, whatever their name):
//
//	import _ "github.com/journeymap/journeymap/eventlog/parquet"
//
// It reads a row group at a time, a batch of rows at a time, so memory
// follows the row group, not the file. Timestamps may be Parquet
// TIMESTAMP columns (adjusted to UTC: instants; not adjusted: wall-clock
// times read in eventlog.Options.Location), legacy INT96 timestamps
// (instants), or strings in any form eventlog reads. A Parquet file needs
// a reader that can seek (its index is at its end): not a pipe.
//
// It is built on github.com/parquet-go/parquet-go: pure Go (no cgo), kept
// up to date, and reading every encoding and compression PM4Py, pandas,
// Spark and DuckDB write.
package parquet

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/journeymap/journeymap/eventlog"
)

func init() {
	eventlog.RegisterFormat(eventlog.Parquet, []byte("PAR1"), func(f *os.File, name string, opts eventlog.Options) (eventlog.Reader, error) {
		st, err := f.Stat()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !st.Mode().IsRegular() {
			return nil, fmt.Errorf("%s: a Parquet log needs a file that can be read out of order (its index is at its end), not a pipe; write it to a file first", name)
		}
		return NewReader(f, st.Size(), name, opts)
	})
}

// Open opens the Parquet log at path.
func Open(path string, opts eventlog.Options) (eventlog.Reader, error) {
	opts.Format = eventlog.Parquet
	return eventlog.Open(path, opts)
}

// NewReader reads a Parquet log of size bytes from r; name is used in
// problems and errors. If r is an io.Closer, Close closes it.
func NewReader(r io.ReaderAt, size int64, name string, opts eventlog.Options) (eventlog.Reader, error) {
	return newReader(r, size, name, opts, -1)
}

// NewGroupReader reads row group group (from 0) of a Parquet log alone, as
// NewReader reads the whole file: its rows are numbered as they are in
// the file (after the groups before it), so that its problems and lines
// are the ones the whole file's reader gives. A pipeline reads a large
// file's groups on different workers this way.
func NewGroupReader(r io.ReaderAt, size int64, name string, opts eventlog.Options, group int) (eventlog.Reader, error) {
	if group < 0 {
		return nil, fmt.Errorf("%s: row group %d: groups are numbered from 0", name, group)
	}
	return newReader(r, size, name, opts, group)
}

// RowGroups is the number of row groups of the Parquet log of size bytes
// in r.
func RowGroups(r io.ReaderAt, size int64, name string) (n int, err error) {
	defer corrupt(name, &err)
	if err := checkFooter(r, size); err != nil {
		return 0, fmt.Errorf("%s: not a Parquet file we can read: %v; export it again", name, err)
	}
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return 0, fmt.Errorf("%s: not a Parquet file we can read: %w", name, err)
	}
	return len(f.RowGroups()), nil
}

func newReader(r io.ReaderAt, size int64, name string, opts eventlog.Options, only int) (rd eventlog.Reader, err error) {
	defer corrupt(name, &err)
	if err := checkFooter(r, size); err != nil {
		return nil, fmt.Errorf("%s: not a Parquet file we can read: %v; export it again", name, err)
	}
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, fmt.Errorf("%s: not a Parquet file we can read: %w", name, err)
	}
	src := &source{file: f, group: -1, last: len(f.RowGroups()) - 1}
	if only >= 0 {
		if only >= len(f.RowGroups()) {
			return nil, fmt.Errorf("%s: row group %d: the file has %d", name, only, len(f.RowGroups()))
		}
		src.group, src.last = only-1, only
		for _, g := range f.RowGroups()[:only] {
			src.line += g.NumRows()
		}
	}
	if c, ok := r.(io.Closer); ok {
		src.closer = c
	}
	var lists []string
	for _, path := range f.Schema().Columns() {
		leaf, _ := f.Schema().Lookup(path...)
		if leaf.MaxRepetitionLevel > 0 {
			lists = append(lists, path[0]) // a list: not a column of a flat log
			continue
		}
		src.cols = append(src.cols, strings.Join(path, "."))
		src.leaves = append(src.leaves, leaf.ColumnIndex)
		src.kinds = append(src.kinds, kindOf(leaf.Node))
	}
	src.byLeaf = make([]int, 0)
	for i, l := range src.leaves {
		for len(src.byLeaf) <= l {
			src.byLeaf = append(src.byLeaf, -1)
		}
		src.byLeaf[l] = i
	}
	rd, err = eventlog.NewRecordReader(src, name, opts)
	var ce *eventlog.ColumnError
	if errors.As(err, &ce) {
		for _, l := range lists {
			if slices.Contains(ce.Names, l) {
				return nil, fmt.Errorf("%s: the %s column %q is a list (several values a row), and journeymap reads one event a row: flatten it first (pandas: df.explode(%q); DuckDB: UNNEST)", name, ce.What, l, l)
			}
		}
	}
	return rd, err
}

// valueKind says how a column's values are read.
type valueKind struct {
	date      bool // days since 1970-01-01: a calendar date, read in Options.Location
	timestamp bool
	utc       bool          // an instant, not a wall clock
	unit      time.Duration // of a TIMESTAMP
	int96     bool
}

func kindOf(n parquet.Node) valueKind {
	t := n.Type()
	if lt := t.LogicalType(); lt != nil {
		if _, ok := lt.Value.(*format.DateType); ok {
			return valueKind{date: true}
		}
		if ts, ok := lt.Value.(*format.TimestampType); ok {
			unit := time.Nanosecond
			if ts.Unit.Value != nil {
				unit = ts.Unit.Value.Duration()
			}
			return valueKind{timestamp: true, utc: ts.IsAdjustedToUTC, unit: unit}
		}
	}
	if ct := t.ConvertedType(); ct != nil {
		switch *ct {
		case 6: // DATE
			return valueKind{date: true}
		case 9: // TIMESTAMP_MILLIS
			return valueKind{timestamp: true, utc: true, unit: time.Millisecond}
		case 10: // TIMESTAMP_MICROS
			return valueKind{timestamp: true, utc: true, unit: time.Microsecond}
		}
	}
	return valueKind{int96: t.Kind() == parquet.Int96}
}

// source reads the row groups in turn, a batch of rows at a time.
type source struct {
	file   *parquet.File
	closer io.Closer
	cols   []string
	leaves []int // each column's leaf index
	byLeaf []int // leaf index -> column, or -1
	kinds  []valueKind
	group  int
	last   int // the last group to read
	rows   parquet.Rows
	batch  []parquet.Row
	next   int
	index  int   // of the next row in its group
	line   int64 // rows read
}

func (s *source) Columns() []string { return s.cols }

// corrupt turns a panic of the Parquet decoder on a damaged file into an
// error, so that a broken file is a message, never a crash.
func corrupt(name string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: the Parquet file is damaged: %v; export it again", name, r)
	}
}

func (s *source) Next(values []any) (w eventlog.Where, err error) {
	defer corrupt(fmt.Sprintf("row group %d", s.group), &err)
	for s.next == len(s.batch) {
		if s.rows != nil {
			if s.batch == nil {
				s.batch = make([]parquet.Row, 256)
			}
			n, err := s.rows.ReadRows(s.batch[:cap(s.batch)])
			s.batch, s.next = s.batch[:n], 0
			if n > 0 {
				break
			}
			if err != nil && err != io.EOF {
				return eventlog.Where{}, fmt.Errorf("row group %d: %w", s.group, err)
			}
			s.rows.Close()
			s.rows = nil
		}
		s.group++
		groups := s.file.RowGroups()
		if s.group >= len(groups) || s.group > s.last {
			return eventlog.Where{}, io.EOF
		}
		s.rows, s.index = groups[s.group].Rows(), 0
		s.batch = s.batch[:0]
	}
	row := s.batch[s.next]
	s.next++
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(s.byLeaf) || s.byLeaf[c] < 0 {
			continue
		}
		i := s.byLeaf[c]
		values[i] = s.value(v, s.kinds[i])
	}
	s.line++
	w = eventlog.Where{Line: s.line, Group: s.group, Index: s.index}
	s.index++
	return w, nil
}

func (s *source) value(v parquet.Value, k valueKind) any {
	if v.IsNull() {
		return nil
	}
	switch {
	case k.date:
		days := int64(v.Int32())
		if v.Kind() == parquet.Int64 {
			days = v.Int64()
		}
		return eventlog.NaiveTime{Time: time.Unix(days*86400, 0).UTC()}
	case k.timestamp:
		var t time.Time
		switch n := v.Int64(); k.unit {
		case time.Millisecond:
			t = time.UnixMilli(n).UTC()
		case time.Microsecond:
			t = time.UnixMicro(n).UTC()
		default:
			t = time.Unix(0, n).UTC()
		}
		if !k.utc {
			return eventlog.NaiveTime{Time: t}
		}
		return t
	case k.int96:
		b := v.Int96()
		nanos := int64(uint64(b[1])<<32 | uint64(b[0]))
		days := int64(b[2]) - 2440588 // the Julian day of 1970-01-01
		return time.Unix(days*86400, nanos).UTC()
	}
	switch v.Kind() {
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return string(v.ByteArray())
	case parquet.Int32:
		return int64(v.Int32())
	case parquet.Int64:
		return v.Int64()
	case parquet.Float:
		return float64(v.Float())
	case parquet.Double:
		return v.Double()
	case parquet.Boolean:
		return v.Boolean()
	}
	return v.String()
}

func (s *source) Close() error {
	if s.rows != nil {
		s.rows.Close()
	}
	if s.closer != nil {
		return s.closer.Close()
	}
	return nil
}
