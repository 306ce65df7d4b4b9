package eventlog

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// NewSQLReader reads the rows of a database query as a log, with the same
// column rules as a CSV file (case_id or case:concept:name, and so on, or
// the columns Options names), streaming: it holds one row at a time. A
// timestamp column without a time zone (SQL TIMESTAMP, DATETIME) is read
// in Options.Location; one with a zone is an instant. Rows are numbered
// from 1 in the order the query returns them; a query ordered by case
// (ORDER BY case_id, time) lets replay take a case at a time, in constant
// memory. Close closes rows.
//
// The query's context (QueryContext) governs the rows: cancelling it stops
// the reader with its error.
func NewSQLReader(rows *sql.Rows, name string, opts Options) (Reader, error) {
	cols, err := rows.Columns()
	if err != nil {
		rows.Close()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	types, _ := rows.ColumnTypes()
	src := &sqlSource{rows: rows, cols: cols, naive: make([]bool, len(cols)), scan: make([]any, len(cols)), vals: make([]any, len(cols))}
	for i, t := range types {
		switch strings.ToUpper(t.DatabaseTypeName()) {
		case "TIMESTAMP", "DATETIME", "DATETIME2", "SMALLDATETIME":
			src.naive[i] = true
		}
	}
	for i := range src.scan {
		src.scan[i] = &src.vals[i]
	}
	r, err := NewRecordReader(src, name, opts)
	if err != nil {
		rows.Close()
		return nil, err
	}
	return r, nil
}

// QuerySQL runs query on db and reads its rows as a log (NewSQLReader).
func QuerySQL(ctx context.Context, db *sql.DB, query string, opts Options, args ...any) (Reader, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, &QueryError{Err: err}
	}
	return NewSQLReader(rows, "query", opts)
}

// QueryError is a database's error while its rows are read: a value
// that does not cast, a dropped connection. The database's own words may
// quote a row's values, a case id among them; Withheld says the same
// without them.
type QueryError struct {
	Row  int64 // the row being read, from 1; 0 for the query itself
	Scan bool  // the row came, but could not be scanned
	Err  error
}

func (e *QueryError) Error() string { return e.say(e.Err.Error()) }

func (e *QueryError) Unwrap() error { return e.Err }

func (e *QueryError) say(msg string) string {
	if e.Row == 0 {
		return "the query failed: " + msg
	}
	if e.Scan {
		return fmt.Sprintf("row %d: %s", e.Row, msg)
	}
	return fmt.Sprintf("reading the query's rows (row %d): %s", e.Row, msg)
}

// quoted are the values a database's message quotes: "..." or '...'.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'`)

// Withheld is the error's message with every value the database quoted
// replaced by "(a value)", for a message that must not carry customer
// ids (the command's --pseudonymize).
func (e *QueryError) Withheld() string {
	return e.say(quoted.ReplaceAllString(e.Err.Error(), `"(a value)"`))
}

type sqlSource struct {
	rows  *sql.Rows
	cols  []string
	naive []bool
	scan  []any // pointers into vals
	vals  []any
	n     int64
}

func (s *sqlSource) Columns() []string { return s.cols }

func (s *sqlSource) Next(values []any) (Where, error) {
	if !s.rows.Next() {
		if err := s.rows.Err(); err != nil {
			return Where{}, &QueryError{Row: s.n + 1, Err: err}
		}
		return Where{}, io.EOF
	}
	if err := s.rows.Scan(s.scan...); err != nil {
		return Where{}, &QueryError{Row: s.n + 1, Scan: true, Err: err}
	}
	s.n++
	for i, v := range s.vals {
		if t, ok := v.(time.Time); ok && s.naive[i] {
			v = NaiveTime{t}
		}
		values[i] = v
	}
	return Where{Line: s.n, Group: -1}, nil
}

func (s *sqlSource) Close() error { return s.rows.Close() }
