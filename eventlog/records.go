package eventlog

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// A RecordSource yields the records of a table-shaped log that is not a
// text file: a Parquet file's rows, a database query's. NewRecordReader
// reads one with the same column rules, checks and accounting as a CSV
// file.
type RecordSource interface {
	// Columns are the record's column names, in order.
	Columns() []string
	// Next fills values (one per column) with the next record's values
	// and says where it is (a row number, or a row group and index);
	// io.EOF after the last. A value is a string, []byte, a number, a
	// bool, a time.Time (an instant), a NaiveTime (a wall-clock time
	// without a zone), or nil (null).
	Next(values []any) (where Where, err error)
	Close() error
}

// NaiveTime is a wall-clock time without a zone (a Parquet timestamp not
// adjusted to UTC, an SQL timestamp without time zone): it is read in
// Options.Location, as a CSV timestamp without an offset is.
type NaiveTime struct{ time.Time }

// Where says where a record is: Line is its row number from 1 (for a
// Parquet file, across row groups), Group and Index its row group and
// index in it where the source has groups.
type Where struct {
	Line         int64
	Group, Index int // -1 when the source has no row groups
}

// recordReader reads a RecordSource as a Reader.
type recordReader struct {
	rows
	src                     RecordSource
	cols                    []string
	caseCol, tpCol, timeCol int
	special, keep           []bool
	values                  []any
	ev                      Event
	names                   map[string]string
	lastCase                string
}

// NewRecordReader reads src with the same column names (and aliases),
// checks and accounting as a CSV log: a record whose case, touchpoint or
// time is missing or bad is malformed, counted, and listed with its row.
func NewRecordReader(src RecordSource, name string, opts Options) (Reader, error) {
	if err := opts.Check(); err != nil {
		return nil, err
	}
	r := &recordReader{rows: newRows(name, opts), src: src, cols: src.Columns(), names: map[string]string{}}
	canonicalHeader(r.cols, opts.wantedNames())
	var err error
	if r.caseCol, r.tpCol, r.timeCol, err = findColumns(r.cols, name, 0, opts); err != nil {
		return nil, err
	}
	r.special, r.keep = roles(r.cols, r.caseCol, r.tpCol, r.timeCol, r.opts.Attrs)
	r.values = make([]any, len(r.cols))
	return r, nil
}

func (r *recordReader) Close() error { return r.src.Close() }

// Columns returns the source's column names.
func (r *recordReader) Columns() []string { return slices.Clone(r.cols) }

func (r *recordReader) Read() (Event, error) {
	for {
		clear(r.values)
		where, err := r.src.Next(r.values)
		if err != nil {
			if err == io.EOF {
				return Event{}, io.EOF
			}
			return Event{}, fmt.Errorf("%s: %w", r.file, err)
		}
		r.stats.Rows++
		reason := r.event(where.Line)
		if reason == "" {
			return r.ev, nil
		}
		if where.Group >= 0 {
			reason = fmt.Sprintf("row group %d, row %d: %s", where.Group, where.Index, reason)
		}
		if err := r.malformed(where.Line, reason); err != nil {
			return Event{}, err
		}
	}
}

// text is a record value as the text a CSV cell would hold.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'g', -1, 32)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case NaiveTime:
		return x.Format("2006-01-02 15:04:05.999999999")
	}
	return fmt.Sprint(v)
}

func (r *recordReader) event(line int64) string {
	ev := &r.ev
	ev.Attrs = ev.Attrs[:0]
	resetMeaning(ev)
	ev.Line = line
	caseID, name := text(r.values[r.caseCol]), text(r.values[r.tpCol])
	if caseID != r.lastCase {
		r.lastCase = caseID
	}
	if n, ok := r.names[name]; ok {
		name = n
	} else if len(r.names) < 1<<16 {
		r.names[name] = name
	}
	switch t := r.values[r.timeCol].(type) {
	case time.Time: // an instant: no parsing, no zone to apply
		if reason := required(caseID, name, "t"); reason != "" {
			return reason
		}
		if y := t.Year(); y < 1678 || y > 2261 {
			return outsideYears(text(t))
		}
		ev.Case, ev.Touchpoint, ev.Time = r.lastCase, name, t.UTC()
	case NaiveTime: // a wall clock: read in Options.Location
		if reason := required(caseID, name, "t"); reason != "" {
			return reason
		}
		w := t.Time
		at := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), r.opts.Location)
		switch {
		case w.Year() < 1678 || w.Year() > 2261:
			return outsideYears(text(t))
		case at.Hour() != w.Hour() || at.Minute() != w.Minute():
			return "timestamp " + strconv.Quote(text(t)) + " does not exist in " + r.opts.Location.String() + ": its clocks skipped that hour for daylight saving"
		}
		ev.Case, ev.Touchpoint, ev.Time = r.lastCase, name, at.UTC()
	default:
		if reason := r.fill(ev, r.lastCase, name, text(t)); reason != "" {
			return reason
		}
	}
	for i, v := range r.values {
		switch {
		case r.special[i]:
			if _, reason := r.rows.special(ev, r.cols[i], text(v)); reason != "" {
				return reason
			}
		case r.keep[i] && v != nil:
			ev.Attrs = append(ev.Attrs, Attr{Key: r.cols[i], Value: text(v)})
		}
	}
	return ""
}
