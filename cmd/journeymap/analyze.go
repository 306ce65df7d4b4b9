package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/journeymap/journeymap"
	_ "github.com/journeymap/journeymap/eventlog/parquet" // reads .parquet logs
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/replay"
)

func runAnalyze(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("analyze", stdout)
	journeyPath := fs.String("journey", "", "the journey file: `J.yaml`")
	format := fs.String("format", "text", "`text` for the terminal, json, markdown, html (a self-contained page with the journey map) or dot")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	segment := fs.String("segment", "", "break every metric and finding down by this `COLUMN` (e.g. persona)")
	examples := fs.Int("examples", 0, "add up to `N` example paths to each finding: paths at least --examples-k customers share, with their counts (and, with --pseudonymize, pseudonymized case ids); reports carry none by default, and never a case id in the clear")
	examplesK := fs.Int("examples-k", 5, "the fewest customers an example path must share (`K`), so that no customer can be picked out")
	pseudoKey := fs.String("pseudonymize", "", "replace case ids by HMAC-SHA256 with this `KEY` (or set JOURNEYMAP_PSEUDONYMIZE_KEY, which keeps it out of shell history)")
	memory := fs.String("memory", "", "the most memory the events and cases held may take, e.g. 8GiB or 500MiB (default: 40% of the memory available, so that the garbage collector's headroom fits too)")
	var horizon time.Duration
	fs.Func("horizon", "for a log sorted by time: end a customer's case after `DURATION` without an event (e.g. 30d), so that memory follows the active customers; a customer who comes back later starts a new case (default: cases last to the end of the log)", durationFlag(&horizon, false))
	since := fs.String("since", "", "report on the customers whose journey began at or after `TIME` (2024-03-01, or 2024-03-01T09:00; in --timezone)")
	until := fs.String("until", "", "and as they stood at `TIME`: their events from then on are left out (with --since, one period of the log, to diff against another)")
	var lf logFlags
	lf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q: pass files with --journey and --events", pos[0])
	}
	if *examples < 0 {
		return usageError("--examples %d: give how many example cases to show, 0 or more", *examples)
	}
	if *journeyPath == "" {
		return usageError("--journey is required: the journey file to check the log against")
	}
	if f, ok := formatFromOutput(fs, *out, reportExtensions); ok {
		*format = f
	}
	if err := refuseInputs(*out, map[string]string{"--events": lf.events, "--journey": *journeyPath}); err != nil {
		return err
	}
	write := map[string]func(io.Writer, *friction.Report) error{
		"text": render.Text, "json": render.JSON,
		"markdown": render.Markdown, "md": render.Markdown,
		"html": render.HTML, "dot": render.DOT,
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
	if opts.Replay.Since, err = periodEdge("--since", *since, opts.Events.Location); err != nil {
		return err
	}
	if opts.Replay.Until, err = periodEdge("--until", *until, opts.Events.Location); err != nil {
		return err
	}
	if !opts.Replay.Since.IsZero() && !opts.Replay.Until.IsZero() && !opts.Replay.Since.Before(opts.Replay.Until) {
		return usageError("--since %s is not before --until %s: the period would be empty", *since, *until)
	}
	if opts.Replay.MemoryBudget, err = memoryBudget(*memory); err != nil {
		return err
	}
	if *examplesK < 2 {
		return usageError("--examples-k %d: an example path must be shared by 2 customers or more (5 by default)", *examplesK)
	}
	opts.Friction.ExampleCases, opts.Friction.ExampleK = *examples, *examplesK
	if *pseudoKey == "" {
		*pseudoKey = os.Getenv("JOURNEYMAP_PSEUDONYMIZE_KEY")
	}
	if *pseudoKey != "" {
		p, err := friction.Pseudonymizer([]byte(*pseudoKey))
		if err != nil {
			return usageError("--pseudonymize (or JOURNEYMAP_PSEUDONYMIZE_KEY): %v", err)
		}
		opts.Friction.Pseudonymize = p
	}
	var clearProgress func()
	opts.Progress, clearProgress = progressLine(stderr)
	name, done, err := lf.source(&opts)
	if err != nil {
		return err
	}
	defer done()
	rep, err := journeymap.Analyze(context.Background(), *journeyPath, name, opts)
	clearProgress()
	if errors.As(err, new(*replay.MemoryError)) {
		return fmt.Errorf("%w (--memory; --horizon for a log in time order)", err)
	}
	if errors.As(err, new(*replay.NoMatchError)) && lf.tpCol == "" {
		return fmt.Errorf("%w (--touchpoint-col names the event-name column)", err)
	}
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(stderr, "journeymap analyze: warning: %s\n", w)
	}
	if *format == "text" && (*out == "" || *out == "-") {
		// At a terminal, sentences wrap at its width; elsewhere at 100.
		if width := terminalWidth(stdout); width > 0 {
			write = func(w io.Writer, r *friction.Report) error { return render.TextWidth(w, r, width) }
		}
	}
	return writeOutput(*out, stdout, func(w io.Writer) error { return write(w, rep) })
}

// memoryBudget reads --memory (a number of bytes with KiB, MiB, GiB or
// TiB), or, without it, takes 40% of the memory Linux says is available:
// held data can take as much again in garbage-collector headroom. 0 (no
// budget) where neither is known.
func memoryBudget(flag string) (int64, error) {
	if flag == "" {
		data, err := os.ReadFile("/proc/meminfo")
		if err != nil {
			return 0, nil
		}
		for _, line := range strings.Split(string(data), "\n") {
			var kb int64
			if _, err := fmt.Sscanf(line, "MemAvailable: %d kB", &kb); err == nil {
				return kb << 10 * 2 / 5, nil
			}
		}
		return 0, nil
	}
	// Longest suffixes first, so that "MiB" is never read as a number
	// of "B".
	units := []struct {
		suffix string
		unit   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1}}
	for _, u := range units {
		suffix, unit := u.suffix, u.unit
		if num, ok := strings.CutSuffix(flag, suffix); ok {
			if v, err := strconv.ParseFloat(strings.TrimSpace(num), 64); err == nil && v > 0 {
				if b := v * float64(unit); b < 1<<20 || b > math.MaxInt64/2 {
					return 0, usageError("--memory %q: give an amount from 1MiB to 4EiB, such as 8GiB or 500MiB", flag)
				}
				return int64(v * float64(unit)), nil
			}
		}
	}
	return 0, usageError("--memory %q: give an amount such as 8GiB or 500MiB", flag)
}

// periodEdge reads --since or --until: a date (midnight) or a date and
// time, in loc (UTC where nil), or an RFC 3339 instant.
func periodEdge(flag, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, usageError("%s %q: give a date (2024-03-01), a date and time (2024-03-01T09:00) or an RFC 3339 instant", flag, s)
}
