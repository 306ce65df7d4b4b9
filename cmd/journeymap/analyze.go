package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
)

// logFlags are the flags every command that reads an event log shares.
type logFlags struct {
	events                  string
	caseCol, tpCol, timeCol string
	timezone                string
	strict                  bool
}

func (l *logFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&l.events, "events", "", "the event log: `LOG`.csv, .jsonl or .xes, optionally .gz")
	fs.StringVar(&l.caseCol, "case-col", "", "case id column (default case_id or case:concept:name)")
	fs.StringVar(&l.tpCol, "touchpoint-col", "", "touchpoint column (default touchpoint or concept:name)")
	fs.StringVar(&l.timeCol, "time-col", "", "timestamp column (default timestamp or time:timestamp)")
	fs.StringVar(&l.timezone, "timezone", "", "zone of timestamps written without one, e.g. Europe/Paris (default UTC)")
	fs.BoolVar(&l.strict, "strict", false, "stop at the first malformed row instead of counting and skipping it")
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
	opts := journeymap.Options{Events: eventlog.Options{CaseCol: l.caseCol, TouchpointCol: l.tpCol, TimeCol: l.timeCol, Strict: l.strict}}
	if l.timezone != "" {
		loc, err := time.LoadLocation(l.timezone)
		if err != nil {
			return opts, usageError("unknown --timezone %q: use an IANA name such as Europe/Paris", l.timezone)
		}
		opts.Events.Location = loc
	}
	return opts, nil
}

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", stderr)
	journeyPath := fs.String("journey", "", "the journey file: `J.yaml`")
	format := fs.String("format", "text", "`text` for the terminal, json, markdown, html (a self-contained page with the journey map) or dot")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	segment := fs.String("segment", "", "break every metric and finding down by this `COLUMN` (e.g. persona)")
	examples := fs.Int("examples", 0, "add up to `N` example case ids to each finding (reports carry none by default)")
	pseudoKey := fs.String("pseudonymize", "", "replace case ids by HMAC-SHA256 with this `KEY` (or set JOURNEYMAP_PSEUDONYMIZE_KEY, which keeps it out of shell history)")
	var horizon time.Duration
	fs.Func("horizon", "for a log sorted by time: end a customer's case after `DURATION` without an event (e.g. 30d), so that memory follows the active customers; a customer who comes back later starts a new case (default: cases last to the end of the log)", func(s string) error {
		d, err := journey.ParseDuration(s)
		if err == nil && d <= 0 {
			err = fmt.Errorf("must be positive")
		}
		horizon = d
		return err
	})
	var lf logFlags
	lf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q: pass files with --journey and --events", pos[0])
	}
	if *journeyPath == "" {
		return usageError("--journey is required: the journey file to check the log against")
	}
	write := map[string]func(*friction.Report, io.Writer) error{
		"text": (*friction.Report).WriteText, "json": (*friction.Report).WriteJSON,
		"markdown": (*friction.Report).WriteMarkdown, "md": (*friction.Report).WriteMarkdown,
		"html": (*friction.Report).WriteHTML, "dot": (*friction.Report).WriteDOT,
	}[*format]
	if write == nil {
		return usageError("unknown --format %q: use text, json, markdown, html or dot", *format)
	}
	opts, err := lf.options()
	if err != nil {
		return err
	}
	opts.Segment = *segment
	opts.Replay.Horizon = horizon
	opts.Friction.ExampleCases = *examples
	if *pseudoKey == "" {
		*pseudoKey = os.Getenv("JOURNEYMAP_PSEUDONYMIZE_KEY")
	}
	if *pseudoKey != "" {
		opts.Friction.Pseudonymize = friction.Pseudonymizer([]byte(*pseudoKey))
	}
	var clearProgress func()
	opts.Progress, clearProgress = progressLine(stderr)
	rep, err := journeymap.Analyze(context.Background(), *journeyPath, lf.events, opts)
	clearProgress()
	if err != nil {
		return err
	}
	return writeOutput(*out, stdout, func(w io.Writer) error { return write(rep, w) })
}

func runDiscover(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("discover", stderr)
	format := fs.String("format", "yaml", "`yaml` (a journey file to start a map from) or json (the figures)")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	id := fs.String("id", "", "journey id for --format yaml (default: from the log's file name)")
	var lf logFlags
	lf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 1 && lf.events == "" {
		lf.events = pos[0] // "discover LOG" reads as well as "discover --events LOG"
	} else if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if *format != "yaml" && *format != "json" {
		return usageError("unknown --format %q: use yaml or json", *format)
	}
	opts, err := lf.options()
	if err != nil {
		return err
	}
	var clearProgress func()
	opts.Progress, clearProgress = progressLine(stderr)
	d, stats, err := journeymap.Discover(context.Background(), lf.events, opts)
	clearProgress()
	if err != nil {
		return err
	}
	if stats.Malformed > 0 {
		fmt.Fprintf(stderr, "journeymap discover: skipped %d malformed rows; the first: %s\n", stats.Malformed, stats.Problems[0])
	}
	if *id == "" {
		*id = idFromPath(lf.events)
	}
	return writeOutput(*out, stdout, func(w io.Writer) error {
		if *format == "json" {
			return d.WriteJSON(w)
		}
		return d.WriteYAML(w, *id)
	})
}

// idFromPath makes a journey id from a log's file name: "Help Desk.xes.gz" -> "help-desk".
func idFromPath(path string) string {
	base := strings.ToLower(filepath.Base(path))
	for _, ext := range []string{".gz", ".csv", ".jsonl", ".ndjson", ".json", ".xes"} {
		base = strings.TrimSuffix(base, ext)
	}
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-")
	if id == "" {
		id = "discovered"
	}
	return id
}

func runDiff(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", stderr)
	format := fs.String("format", "text", "`text` or json")
	failOn := fs.Bool("fail-on-regression", false, "exit 1 when a finding appeared or got worse (for CI)")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usageError("want two reports (write them with: journeymap analyze --format json -o FILE), got %d", len(pos))
	}
	var reps [2]*friction.Report
	for i, p := range pos {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("cannot open report: %w", err)
		}
		reps[i], err = friction.ReadJSON(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if reps[0].Journey.ID != reps[1].Journey.ID {
		return fmt.Errorf("the reports are of different journeys (%q and %q)", reps[0].Journey.ID, reps[1].Journey.ID)
	}
	c := friction.Compare(reps[0], reps[1])
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		if *format == "json" {
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(c)
		}
		return c.WriteText(w)
	})
	if err != nil {
		return err
	}
	if *failOn && c.Regressions() {
		return errors.New("the after report has regressions (listed above)")
	}
	return nil
}
