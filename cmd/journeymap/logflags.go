package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
)

// logFlags are the flags every command that reads an event log shares.
type logFlags struct {
	events                  string
	caseCol, tpCol, timeCol string
	timezone                string
	timeFormat              string
	logFormat               string
	query                   string
	strict                  bool
}

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.events, "events", "", "the event log: `LOG`.csv, .jsonl or .xes (optionally .gz), .parquet, or postgres://... with --query; - for standard input (with --log-format)")
	fs.StringVar(&l.logFormat, "log-format", "", "the log's `FORMAT` (csv, jsonl, xes or parquet) when its name does not say it, as on standard input")
	fs.StringVar(&l.caseCol, "case-col", "", "case id column (default case_id or case:concept:name)")
	fs.StringVar(&l.tpCol, "touchpoint-col", "", "touchpoint column (default touchpoint or concept:name)")
	fs.StringVar(&l.timeCol, "time-col", "", "timestamp column (default timestamp or time:timestamp)")
	fs.StringVar(&l.timezone, "timezone", "", "zone of timestamps written without one, e.g. Europe/Paris (default UTC)")
	fs.StringVar(&l.timeFormat, "time-format", "", "the log's timestamp layout when it is none of the usual forms, in strftime notation: `FORMAT` such as '%d/%m/%Y %H:%M'")
	fs.StringVar(&l.query, "query", "", "with --events postgres://...: the `SQL` whose rows are the events (ORDER BY case_id, timestamp reads it once, a case at a time)")
	fs.BoolVar(&l.strict, "strict", false, "stop at the first malformed row instead of counting and skipping it")
}

// durationFlag parses a duration flag (Go syntax plus d for days) into
// into; zero is refused unless zeroOK.
func durationFlag(into *time.Duration, zeroOK bool) func(string) error {
	return func(s string) error {
		d, err := journey.ParseDuration(s) // never negative
		if err == nil && d == 0 && !zeroOK {
			err = fmt.Errorf("must be positive")
		}
		*into = d
		return err
	}
}

// progressLine returns a Progress callback that keeps one line on stderr
// up to date, and a function that clears that line, when stderr is a
// terminal; a nil callback and a no-op otherwise (pipes and CI stay clean).
func progressLine(stderr io.Writer) (func(int64), func()) {
	f, ok := stderr.(*os.File)
	if !ok {
		return nil, func() {}
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil, func() {}
	}
	start, last := time.Now(), time.Time{}
	clearLine := func() { fmt.Fprint(f, "\r\033[K") }
	return func(rows int64) {
		if now := time.Now(); now.Sub(last) >= 200*time.Millisecond {
			last = now
			fmt.Fprintf(f, "\rread %d rows (%.1fs)   ", rows, now.Sub(start).Seconds())
		}
	}, clearLine
}

func (l *logFlags) options() (journeymap.Options, error) {
	if l.events == "" {
		return journeymap.Options{}, usageError("--events is required: the event log to read")
	}
	switch l.logFormat {
	case "", "csv", "jsonl", "xes", "parquet":
	case "ndjson", "json":
		l.logFormat = "jsonl"
	default:
		return journeymap.Options{}, usageError("unknown --log-format %q: use csv, jsonl, xes or parquet", l.logFormat)
	}
	if l.events == "-" && l.logFormat == "" {
		return journeymap.Options{}, usageError("--events - reads standard input, which has no name to tell its format by: add --log-format csv, jsonl or xes")
	}
	opts := journeymap.Options{Events: eventlog.Options{CaseCol: l.caseCol, TouchpointCol: l.tpCol, TimeCol: l.timeCol, TimeFormat: l.timeFormat, Strict: l.strict, Format: eventlog.Format(l.logFormat)}}
	if l.timezone != "" {
		loc, err := time.LoadLocation(l.timezone)
		if err != nil {
			return opts, usageError("unknown --timezone %q: use an IANA name such as Europe/Paris", l.timezone)
		}
		opts.Events.Location = loc
	}
	if err := opts.Events.Check(); err != nil {
		return opts, usageError("bad --time-format: %v", err)
	}
	return opts, nil
}

// source returns the name the log goes by (--events, or the database URL
// without its password) and, for a database, connects and sets opts to
// read --query; done closes what it opened.
func (l *logFlags) source(opts *journeymap.Options) (name string, done func(), err error) {
	if !isDatabase(l.events) {
		if l.query != "" {
			return "", nil, usageError("--query reads a database: give --events postgres://user@host/db")
		}
		return l.events, func() {}, nil
	}
	return openDatabase(l.events, l.query, opts)
}
