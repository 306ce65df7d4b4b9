package eventlog

import (
	"fmt"
	"strings"
	"time"
)

// NoScore marks a score the customer did not give.
const NoScore int8 = -1

// Event is one row of a log.
type Event struct {
	Case       string    // the customer journey instance (case id)
	Touchpoint string    // the event name; a journey maps it to a touchpoint
	Time       time.Time // an absolute instant; zone offsets are converted, never relabelled
	Line       int64     // where it came from: the line of a CSV or JSON Lines row, the line of an XES <event>
	Channel    string    // lower-cased channel column, or "" when the log has none
	// Lifecycle is the row's lifecycle transition, lower-cased: XES
	// lifecycle:transition, or a lifecycle (or lifecycle:transition)
	// column ("start", "complete", "schedule", ...); "" when the log has
	// none. Replay folds every transition but complete into the visit it
	// belongs to.
	Lifecycle string
	// Scores given at this event, or NoScore: CSAT 1-5, CES 1-7, NPS 0-10.
	CSAT, CES, NPS int8
	// Attrs holds every other column (for XES, every other attribute of the
	// event and of its trace, the latter prefixed "case:" unless already so),
	// in column order. A reader reuses the slice: copy it to keep it past the
	// next Read.
	Attrs []Attr
}

// Attr is a column name and its value as written in the log.
type Attr struct{ Key, Value string }

// Attr returns the value of the named attribute and whether the event has it.
func (e *Event) Attr(key string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// Problem is a malformed row: where it is and what is wrong with it.
type Problem struct {
	File   string
	Line   int64
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Reason) }

// ColumnError is a reader's error for a header that lacks a column it
// needs: which (What), the names it looked for, and the Options field
// (Option: CaseCol, TouchpointCol or TimeCol) that names another.
type ColumnError struct {
	File         string
	Line         int64 // the header's line; 0 where the columns come from a schema (Parquet, SQL)
	What, Option string
	Names        []string
	Header       string   // the header's columns, quoted and shortened
	Closest      []string // the header's names closest to those looked for, if any
}

func (e *ColumnError) Error() string {
	hint := ""
	if len(e.Closest) > 0 {
		hint = fmt.Sprintf(" (did you mean %s?)", quoteList(e.Closest))
	}
	return fmt.Sprintf("%s: no %s column%s: the header has %s; name it %s, or name the log's own column (Options.%s)",
		e.Where(), e.What, hint, e.Header, strings.Join(e.Names, " or "), e.Option)
}

// Where is the file and, for a text file, the header's line: "log.csv:1".
func (e *ColumnError) Where() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return e.File
}

// RowError is the error a strict reader returns for its first malformed row.
type RowError struct{ Problem }

func (e *RowError) Error() string {
	return e.Problem.String() + " (a strict read stops at the first malformed row; otherwise they are counted and skipped)"
}

// Stats counts what a reader has read so far.
type Stats struct {
	Rows      int64     // rows read: events returned plus malformed rows
	Malformed int64     // rows skipped as malformed
	Problems  []Problem // the first Options.MaxProblems malformed rows
}
