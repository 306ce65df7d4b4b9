package journey

import (
	"fmt"
	"strings"
)

// Position is a place in a journey file. Line and Col count from 1; 0 means
// unknown (for example a problem with the file as a whole).
type Position struct {
	File      string
	Line, Col int
}

func (p Position) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// A Diagnostic is one problem found while loading a journey file, with the
// position it was found at and, where one exists, a hint on what to do.
// Warnings do not stop a journey from loading; see Journey.Warnings.
type Diagnostic struct {
	Pos     Position
	Message string
	Hint    string // e.g. `did you mean "checkout"?`; may be empty
	Warning bool
}

// Error formats d as "file:line:col: message (hint)".
func (d *Diagnostic) Error() string {
	var b strings.Builder
	b.WriteString(d.Pos.String())
	b.WriteString(": ")
	if d.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(d.Message)
	if d.Hint != "" {
		b.WriteString(" (")
		b.WriteString(d.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// ErrorList is every error found in a journey file, in file order. Load and
// Parse return one when the file is not a valid journey; get at the
// individual problems with errors.As:
//
//	var list journey.ErrorList
//	if errors.As(err, &list) {
//		for _, d := range list { fmt.Println(d.Pos.Line, d.Message) }
//	}
type ErrorList []*Diagnostic

func (l ErrorList) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As look at each diagnostic.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, d := range l {
		errs[i] = d
	}
	return errs
}
