// Command journeymap-beam runs journeymap's analyze and discover as an
// Apache Beam pipeline, for logs that outgrow one machine. It writes what
// `journeymap analyze --format json` and `journeymap discover --format
// json` write, byte for byte.
//
// Usage:
//
//	journeymap-beam analyze --journey FILE --events GLOB --out FILE [beam flags]
//	journeymap-beam discover --events GLOB --out FILE [beam flags]
//
// It runs on Beam's embedded Prism runner unless --runner says otherwise:
// --runner universal --endpoint HOST:PORT submits to a Prism or Flink job
// server (--environment_type LOOPBACK runs the workers in this process,
// DOCKER in the SDK's container image), --runner dataflow to Dataflow
// (with --project, --region, --staging_location and gs:// paths).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
	beamlog "github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/journeymap/journeymap/beam/pipeline"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
)

const usage = `journeymap-beam: journeymap's analyze and discover as an Apache Beam pipeline

  journeymap-beam analyze  --journey FILE --events GLOB --out FILE [flags]
  journeymap-beam discover --events GLOB --out FILE [flags]

Runs on the embedded Prism runner unless --runner says otherwise
(universal with --endpoint for a Prism or Flink job server; dataflow).
Run 'journeymap-beam analyze -h' for every flag, Beam's included.
`

func main() {
	// A worker process (the PROCESS or DOCKER environment) is this binary
	// started with Beam's flags and no subcommand: beam.Init runs the
	// worker and never returns. It must come before anything else reads
	// the arguments.
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], "-") {
		flag.Parse()
		beam.Init()
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "journeymap-beam:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 || (args[0] != "analyze" && args[0] != "discover") {
		fmt.Fprint(os.Stderr, usage)
		return errors.New("say analyze or discover")
	}
	cmd := args[0]
	journeyPath := flag.String("journey", "", "the journey file (analyze)")
	events := flag.String("events", "", "the event files: a path or a glob (events/*.csv, gs://bucket/events/*.parquet)")
	out := flag.String("out", "", "where to write the JSON")
	caseCol := flag.String("case-col", "", "case id column (default case_id or case:concept:name)")
	tpCol := flag.String("touchpoint-col", "", "touchpoint column (default touchpoint or concept:name)")
	timeCol := flag.String("time-col", "", "timestamp column (default timestamp or time:timestamp)")
	timeFormat := flag.String("time-format", "", "the timestamps' one layout, strftime style (%Y-%m-%d %H:%M)")
	caseTimeout := flag.Duration("case-timeout", 0, "override the journey's case_timeout (analyze)")
	strict := flag.Bool("strict", false, "stop at the first malformed row instead of counting and skipping it")
	timezone := flag.String("timezone", "", "read times without a zone in this IANA `ZONE` (e.g. Europe/Paris; default UTC)")
	logFormat := flag.String("log-format", "", "the files' format, where their names do not say: csv, jsonl, xes or parquet")
	verbose := flag.Bool("v", false, "log the runner's progress (Prism logs every job's steps)")
	maxCase := flag.Int("max-case-events", pipeline.DefaultMaxCaseEvents, "a case with more events is counted as malformed, not replayed")
	deadLetter := flag.String("dead-letter", "", "write the events of the cases over --max-case-events to this `FILE`, a CSV line each (analyze)")
	flag.CommandLine.Parse(args[1:])
	if f := flag.Lookup("runner"); f != nil && !isSet("runner") {
		f.Value.Set("prism")
	}
	if !*verbose {
		beamlog.LogLevel, beamlog.LogKind = "warn", "text"
	}
	beam.Init()
	switch {
	case *events == "":
		return errors.New("--events is required: the event files, a path or a glob")
	case *out == "":
		return errors.New("--out is required: where to write the JSON")
	case cmd == "analyze" && *journeyPath == "":
		return errors.New("--journey is required for analyze")
	}
	// Workers may run elsewhere, or in another directory (a PROCESS
	// environment starts them in its own): local paths go as absolute.
	for _, p := range []*string{events, out, deadLetter} {
		if *p != "" && !strings.Contains(*p, "://") {
			if abs, err := filepath.Abs(*p); err == nil {
				*p = abs
			}
		}
	}
	cfg := pipeline.Config{
		Events: *events, Out: *out, CaseTimeout: *caseTimeout, MaxCaseEvents: *maxCase, DeadLetter: *deadLetter,
		Read: eventlog.Options{CaseCol: *caseCol, TouchpointCol: *tpCol, TimeCol: *timeCol, TimeFormat: *timeFormat, Strict: *strict},
	}
	if *timezone != "" {
		loc, err := time.LoadLocation(*timezone)
		if err != nil {
			return fmt.Errorf("--timezone %q: give an IANA zone such as Europe/Paris or UTC", *timezone)
		}
		cfg.Read.Location = loc
	}
	switch f := eventlog.Format(*logFormat); f {
	case "":
	case eventlog.CSV, eventlog.JSONL, eventlog.XES, eventlog.Parquet:
		cfg.Read.Format = f
	default:
		return fmt.Errorf("--log-format %q: say csv, jsonl, xes or parquet", *logFormat)
	}
	p, s := beam.NewPipelineWithRoot()
	var err error
	if cmd == "analyze" {
		var y []byte
		y, err = os.ReadFile(*journeyPath)
		if err != nil {
			return fmt.Errorf("--journey: %w", err)
		}
		cfg.Journey, cfg.JourneyName = y, *journeyPath
		err = pipeline.Analyze(s, cfg)
	} else {
		err = pipeline.Discover(s, cfg)
	}
	if ge := (*pipeline.GlobError)(nil); errors.As(err, &ge) {
		return fmt.Errorf("--events: %w", err)
	}
	if err != nil {
		return err
	}
	start := time.Now()
	if err := beamx.Run(context.Background(), p); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "journeymap-beam: wrote %s in %s\n", *out, time.Since(start).Round(time.Millisecond))
	if cmd == "analyze" && !strings.Contains(*out, "://") {
		warnings(*out)
	}
	return nil
}

// warnings says on stderr, as the command does, the warnings of the
// report written to the local file out.
func warnings(out string) {
	f, err := os.Open(out)
	if err != nil {
		return
	}
	defer f.Close()
	rep, err := friction.ReadJSON(f)
	if err != nil {
		return
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(os.Stderr, "journeymap-beam: warning: %s\n", w)
	}
}

func isSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
