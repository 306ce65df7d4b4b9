package eventlog

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/journeymap/journeymap/internal/closest"
)

// LooseName is the form in which header names (and JSON keys) are
// compared: lower case, without spaces and underscores, so that "Case ID",
// "Case_ID" and "case_id" are one name.
func LooseName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(s)) {
		if r != ' ' && r != '_' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// wantedNames are the column names a reader gives a meaning to: the
// case, touchpoint and time columns (the options' or the defaults), the
// special columns, the segment column and the attributes asked for.
func (o Options) wantedNames() []string {
	w := slices.Concat(pick(o.CaseCol, defaultCaseCols), pick(o.TouchpointCol, defaultTouchpointCols), pick(o.TimeCol, defaultTimeCols),
		[]string{"channel", "csat", "ces", "nps", "lifecycle", "lifecycle:transition"}, o.Attrs)
	if o.SegmentCol != "" {
		w = append(w, o.SegmentCol, "case:"+o.SegmentCol)
	}
	return w
}

// canonicalHeader renames, in place, each column that loosely matches a
// wanted name (and is not already spelt as one) to that name, unless the
// header has the name spelt exactly too: a spreadsheet's "Case ID" or
// "Channel" is the case_id or channel column.
func canonicalHeader(header []string, wanted []string) {
	for i, h := range header {
		if slices.Contains(wanted, h) {
			continue
		}
		lh := LooseName(h)
		for _, w := range wanted {
			if LooseName(w) == lh && !slices.Contains(header, w) {
				header[i] = w
				break
			}
		}
	}
}

// findColumns finds the case, touchpoint and time columns of header, and
// names every one missing at once, each with the header's closest names.
func findColumns(header []string, file string, line int64, opts Options) (caseCol, tpCol, timeCol int, err error) {
	loose := looseAll(header)
	// Asked only when a column is missing: is the "header" a customer's
	// row (a file without one), whose case id a message must not repeat?
	isRow := sync.OnceValue(func() bool { return headerIsARow(header, opts) })
	find := func(what, option string, names []string) (int, error) {
		for _, n := range names {
			if i := slices.Index(header, n); i >= 0 {
				return i, nil
			}
		}
		if isRow() {
			shown := fmt.Sprintf("a first line of %d fields, one a time: a row, not a header (not shown: it holds a case id); add a header line such as case_id,touchpoint,timestamp", len(header))
			return -1, &ColumnError{File: file, Line: line, What: what, Option: option, Names: names, Header: shown}
		}
		var near []string
		for _, n := range names {
			for _, c := range closest.Names(LooseName(n), loose, 3, closest.EditDistance) {
				near = append(near, header[slices.Index(loose, c)])
			}
		}
		return -1, &ColumnError{File: file, Line: line, What: what, Option: option, Names: names, Header: quoteList(header), Closest: compactNames(near)}
	}
	var err1, err2, err3 error
	caseCol, err1 = find("case id", "CaseCol", pick(opts.CaseCol, defaultCaseCols))
	tpCol, err2 = find("touchpoint", "TouchpointCol", pick(opts.TouchpointCol, defaultTouchpointCols))
	timeCol, err3 = find("timestamp", "TimeCol", pick(opts.TimeCol, defaultTimeCols))
	return caseCol, tpCol, timeCol, errors.Join(err1, err2, err3)
}

func looseAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = LooseName(n)
	}
	return out
}

func compactNames(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !slices.Contains(out, x) && len(out) < 3 {
			out = append(out, x)
		}
	}
	return out
}

// headerIsARow reports whether a header line is a row of data: one of its
// fields reads as a time, as no column name does.
func headerIsARow(header []string, opts Options) bool {
	for _, h := range header {
		if len(h) >= 8 && strings.ContainsAny(h, "0123456789") {
			if _, err := ParseTime(h, opts.Location); err == nil {
				return true
			}
		}
	}
	return false
}
