package eventlog

import (
	"context"
	"database/sql"
	"fmt"
	"io"
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
		return nil, fmt.Errorf("the query failed: %w", err)
	}
	return NewSQLReader(rows, "query", opts)
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
			return Where{}, fmt.Errorf("reading the query's rows: %w", err)
		}
		return Where{}, io.EOF
	}
	if err := s.rows.Scan(s.scan...); err != nil {
		return Where{}, fmt.Errorf("row %d: %w", s.n+1, err)
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
