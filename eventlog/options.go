package eventlog

import (
	"strconv"
	"strings"
	"time"
)

// Options says how to read a log. The zero value reads the contract's
// defaults.
type Options struct {
	// Column names (CSV header, JSON keys). Empty means the defaults:
	// case_id or case:concept:name; touchpoint or concept:name; timestamp
	// or time:timestamp. XES always uses the trace's and event's
	// concept:name and time:timestamp.
	CaseCol, TouchpointCol, TimeCol string
	// Location is the zone of timestamps that carry none (default UTC).
	Location *time.Location
	// Strict makes the first malformed row an error (*RowError).
	Strict bool
	// Attrs, if not nil, names the extra columns to keep as attributes;
	// the others are skipped (cheaper on wide logs). nil keeps them all.
	Attrs []string
	// MaxProblems is how many malformed rows Stats lists (default 20;
	// negative for none). All of them are counted.
	MaxProblems int
}

var (
	defaultCaseCols       = []string{"case_id", "case:concept:name"}
	defaultTouchpointCols = []string{"touchpoint", "concept:name"}
	defaultTimeCols       = []string{"timestamp", "time:timestamp"}
)

func pick(set string, defaults []string) []string {
	if set != "" {
		return []string{set}
	}
	return defaults
}

// rows does what every format shares: counting, problems, strict mode, and
// turning named values into a valid Event.
type rows struct {
	file     string
	opts     Options
	stats    Stats
	channels map[string]string // interned, lower-cased channel names
}

func newRows(file string, opts Options) rows {
	if opts.MaxProblems == 0 {
		opts.MaxProblems = 20
	}
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	return rows{file: file, opts: opts, channels: map[string]string{}}
}

func (r *rows) Stats() Stats {
	s := r.stats
	s.Problems = append([]Problem(nil), s.Problems...)
	return s
}

// malformed records a bad row; in strict mode it returns the error to stop on.
func (r *rows) malformed(line int64, reason string) error {
	r.stats.Malformed++
	p := Problem{File: r.file, Line: line, Reason: reason}
	if len(r.stats.Problems) < r.opts.MaxProblems {
		r.stats.Problems = append(r.stats.Problems, p)
	}
	if r.opts.Strict {
		return &RowError{p}
	}
	return nil
}

// fill validates the named parts of a row into ev and returns "" or the
// reason the row is malformed.
func (r *rows) fill(ev *Event, caseID, name, ts string) string {
	if reason := required(caseID, name, ts); reason != "" {
		return reason
	}
	t, err := ParseTime(ts, r.opts.Location)
	if err != nil {
		return badTimestamp(ts)
	}
	ev.Case, ev.Touchpoint, ev.Time = caseID, name, t
	return ""
}

// unixNano is fill for a reader that needs only the time, in Unix
// nanoseconds: the same checks, the same reasons.
func (r *rows) unixNano(caseID, name, ts string) (int64, string) {
	if reason := required(caseID, name, ts); reason != "" {
		return 0, reason
	}
	t, ok := parseUnixNano(ts, r.opts.Location)
	if !ok {
		return 0, badTimestamp(ts)
	}
	return t, ""
}

// required says which of the parts every event needs is empty, if one is.
func required(caseID, name, ts string) string {
	switch {
	case caseID == "":
		return "empty case id"
	case name == "":
		return "empty touchpoint name"
	case ts == "":
		return "empty timestamp"
	}
	return ""
}

func badTimestamp(ts string) string {
	return "timestamp " + strconv.Quote(ts) + " does not parse: use RFC 3339 (2024-05-01T14:03:00+02:00), 2024-05-01 14:03:00, or Unix seconds or milliseconds"
}

// special handles the columns with a meaning of their own (channel and the
// scores); it reports whether key was one, and a reason if its value is bad.
func (r *rows) special(ev *Event, key, value string) (bool, string) {
	var lo, hi int
	var dst *int8
	switch key {
	case "channel":
		c, ok := r.channels[value]
		if !ok {
			c = strings.Clone(strings.ToLower(strings.TrimSpace(value))) // value may point into a reader's buffer
			if len(r.channels) < 1024 {
				r.channels[strings.Clone(value)] = c
			}
		}
		ev.Channel = c
		return true, ""
	case "csat":
		dst, lo, hi = &ev.CSAT, 1, 5
	case "ces":
		dst, lo, hi = &ev.CES, 1, 7
	case "nps":
		dst, lo, hi = &ev.NPS, 0, 10
	default:
		return false, ""
	}
	if value == "" {
		return true, ""
	}
	f, err := strconv.ParseFloat(value, 64)
	v := int(f)
	if err != nil || float64(v) != f || v < lo || v > hi {
		return true, key + " " + strconv.Quote(value) + " is not a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
	*dst = int8(v)
	return true, ""
}

func resetScores(ev *Event) { ev.CSAT, ev.CES, ev.NPS = NoScore, NoScore, NoScore }
