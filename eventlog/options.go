package eventlog

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journeymap/journeymap/internal/numbering"
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
	// TimeFormat, if set, is the one layout of the log's timestamps, in
	// strftime notation ("%d/%m/%Y %H:%M", "%Y%m%d %H%M%S"), for logs
	// whose timestamps are in none of the forms ParseTime reads. A
	// timestamp that does not fit it is malformed.
	TimeFormat string
	// Strict makes the first malformed row an error (*RowError).
	Strict bool
	// Format, if set, is the log's format, whatever its name says (a
	// misleading extension, or standard input, which has none).
	Format Format
	// Attrs, if not nil, names the extra columns to keep as attributes;
	// the others are skipped (cheaper on wide logs). nil keeps them all.
	Attrs []string
	// MaxProblems is how many malformed rows Stats lists (default 20;
	// negative for none). All of them are counted.
	MaxProblems int
	// ColumnsForDiscovery makes ReadColumns fill only what discovery
	// reads (Case, Names, Name and Time), leaving Line, Channel,
	// Lifecycle and the scores nil, which saves a twentieth of the work.
	// Rows are checked the same. Replay needs every column.
	ColumnsForDiscovery bool
	// SegmentCol, if set, names the column (JSON key) whose value
	// segments cases, such as "persona": ReadColumns puts it, as it is
	// written, in Columns.Segment (from the column "case:"+SegmentCol
	// where the log has no SegmentCol, as PM4Py exports name case
	// attributes). Read gives it as an attribute, whatever Attrs says.
	SegmentCol string
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
	interned map[string]string // lower-cased channel and lifecycle values
	layout   string            // Go layout of Options.TimeFormat, or ""
	days     dayCache          // the day of the last timestamp, for the next ones of that day
	recent   recentStrings     // the values lower interned last
}

func newRows(file string, opts Options) rows {
	if opts.SegmentCol != "" && opts.Attrs != nil {
		// The segment is kept as an attribute, whatever else is.
		opts.Attrs = append(slices.Clip(opts.Attrs), opts.SegmentCol, "case:"+opts.SegmentCol)
	}
	r := rows{file: file, opts: opts, interned: map[string]string{}}
	if opts.TimeFormat != "" {
		r.layout, _ = timeLayout(opts.TimeFormat) // checked by the readers' constructors
	}
	if r.opts.MaxProblems == 0 {
		r.opts.MaxProblems = 20
	}
	if r.opts.Location == nil {
		r.opts.Location = time.UTC
	}
	return r
}

// Check reports what is wrong with the options (a time format that cannot
// be read), before a file is opened; the readers check the same.
func (o Options) Check() error {
	if o.TimeFormat == "" {
		return nil
	}
	_, err := timeLayout(o.TimeFormat)
	return err
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
	t, ok := r.parseTime(ts)
	if !ok {
		return r.badTimestamp(ts)
	}
	ev.Case, ev.Touchpoint, ev.Time = caseID, name, time.Unix(0, t).UTC()
	return ""
}

// unixNano is fill for a reader that needs only the time, in Unix
// nanoseconds: the same checks, the same reasons.
func (r *rows) unixNano(caseID, name, ts string) (int64, string) {
	if reason := required(caseID, name, ts); reason != "" {
		return 0, reason
	}
	t, ok := r.parseTime(ts)
	if !ok {
		return 0, r.badTimestamp(ts)
	}
	return t, ""
}

// parseTime reads a timestamp in the layout of Options.TimeFormat, or
// else in any form ParseTime reads, as Unix nanoseconds.
func (r *rows) parseTime(ts string) (int64, bool) {
	if r.layout != "" {
		return parseLayout(r.layout, ts, r.opts.Location)
	}
	return r.days.unixNano(ts, r.opts.Location)
}

func (r *rows) badTimestamp(ts string) string {
	if r.layout != "" {
		return "timestamp " + strconv.Quote(ts) + " does not fit the time format " + strconv.Quote(r.opts.TimeFormat)
	}
	if skipped(ts, r.opts.Location) {
		return "timestamp " + strconv.Quote(ts) + " does not exist in " + r.opts.Location.String() + ": its clocks skipped that hour for daylight saving"
	}
	return badTimestamp(ts)
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

// outsideYears is the reason for a timestamp an int64 of Unix nanoseconds
// cannot hold.
func outsideYears(ts string) string {
	return "timestamp " + strconv.Quote(ts) + " is outside the years 1678 to 2261 that a time can be held in"
}

func badTimestamp(ts string) string {
	if outOfRange(ts) {
		return outsideYears(ts) + ": a placeholder such as 9999-12-31, or a number in the wrong unit?"
	}
	return "timestamp " + strconv.Quote(ts) + " does not parse: use RFC 3339 (2024-05-01T14:03:00+02:00), 2024-05-01 14:03:00, 2024/05/01 14:03:00, or Unix seconds or milliseconds, or name the log's layout as a time format (%d/%m/%Y %H:%M)"
}

// lower returns value trimmed and lower-cased, interned: a log holds few
// channels and lifecycle transitions, repeated on every row.
func (r *rows) lower(value string) string {
	if c, ok := r.recent.get(value); ok {
		return c
	}
	c, ok := r.interned[value]
	if !ok {
		c = strings.Clone(strings.ToLower(strings.TrimSpace(value))) // value may point into a reader's buffer
		if len(r.interned) < 1024 {
			r.interned[strings.Clone(value)] = c
		}
	}
	r.recent.put(strings.Clone(value), c)
	return c
}

// special handles the columns with a meaning of their own (channel,
// lifecycle and the scores); it reports whether key was one, and a reason if its value is bad.
func (r *rows) special(ev *Event, key, value string) (bool, string) {
	var lo, hi int
	var dst *int8
	switch key {
	case "lifecycle", "lifecycle:transition":
		ev.Lifecycle = r.lower(value)
		return true, ""
	case "channel":
		ev.Channel = r.lower(value)
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
	if len(value) == 1 && value[0] >= '0' && value[0] <= '9' { // the usual score: one digit
		if v := int(value[0] - '0'); v >= lo && v <= hi {
			*dst = int8(v)
			return true, ""
		}
	}
	f, err := strconv.ParseFloat(value, 64)
	v := int(f)
	if err != nil || float64(v) != f || v < lo || v > hi {
		return true, key + " " + strconv.Quote(value) + " is not a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)
	}
	*dst = int8(v)
	return true, ""
}

// resetMeaning clears what special sets, before a row is read into ev.
func resetMeaning(ev *Event) {
	ev.Channel, ev.Lifecycle = "", ""
	ev.CSAT, ev.CES, ev.NPS = NoScore, NoScore, NoScore
}

// isSpecial reports whether a column or attribute name has a meaning of
// its own (see rows.special).
// roles says what each of a header's columns is for, besides the case,
// touchpoint and time columns (at caseCol, tpCol and timeCol): special
// (channel, lifecycle, scores), or kept as an attribute (every column when
// attrs is nil, else those it names).
func roles(header []string, caseCol, tpCol, timeCol int, attrs []string) (special, keep []bool) {
	special = make([]bool, len(header))
	keep = make([]bool, len(header))
	for i, h := range header {
		switch {
		case i == caseCol || i == tpCol || i == timeCol:
		case isSpecial(h):
			special[i] = true
		default:
			keep[i] = attrs == nil || slices.Contains(attrs, h)
		}
	}
	return special, keep
}

func isSpecial(key string) bool {
	switch key {
	case "channel", "csat", "ces", "nps", "lifecycle", "lifecycle:transition":
		return true
	}
	return false
}

// neverMalformed reports whether a special column accepts any value.
func neverMalformed(key string) bool {
	return key == "channel" || key == "lifecycle" || key == "lifecycle:transition"
}

// recentStrings remembers the strings last interned, by recentSlot
// (their length and first, middle and last bytes): a log has a handful
// of touchpoint names, channels and lifecycle values, so most are found
// with one comparison instead of a hash. Its zero value is empty.
type recentStrings [256]struct {
	key, val string
	set      bool
}

func recentSlot(k string) int { return int(numbering.Slot(k)) }

// get returns what put last stored for k in its slot, if k is its key.
func (r *recentStrings) get(k string) (string, bool) {
	e := &r[recentSlot(k)]
	if e.set && e.key == k {
		return e.val, true
	}
	return "", false
}

// put stores val for k, which must not change afterwards (not a view of
// a reused buffer).
func (r *recentStrings) put(k, val string) {
	r[recentSlot(k)] = struct {
		key, val string
		set      bool
	}{k, val, true}
}
