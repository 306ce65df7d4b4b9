package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/live"
)

// runWatch listens to a log as it grows: events in time order (within
// --lateness) on standard input or from a file, alerts as JSON Lines on
// stdout as each window of --window is judged.
func runWatch(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("watch", stdout)
	journeyPath := fs.String("journey", "", "the journey file: `J.yaml`")
	var window, lateness time.Duration
	fs.Func("window", "judge each `DURATION` of event time (e.g. 24h: each day against the same weekday of the weeks before; 7d: each week)", durationFlag(&window, false))
	fs.Func("lateness", "how far behind the latest event an event may arrive and still count (`DURATION`, default 0: in time order)", durationFlag(&lateness, true))
	baseline := fs.Int("baseline", 4, "how many earlier windows a window is set against (`N`)")
	var lf logFlags
	lf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageError("unexpected argument %q: pass the log with --events", pos[0])
	}
	if *journeyPath == "" {
		return usageError("--journey is required: the journey file the events are replayed through")
	}
	if window == 0 {
		return usageError("--window is required: the length of the windows judged, e.g. 24h or 7d")
	}
	if lf.events == "" {
		lf.events = "-"
	}
	if *baseline < 1 {
		return usageError("--baseline %d: give how many earlier windows to compare with, 1 or more", *baseline)
	}
	opts, err := lf.options()
	if err != nil {
		return err
	}
	j, err := journey.Load(*journeyPath)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	var alerts int
	var werr error
	r, err := live.New(j, live.Options{Lateness: lateness, Window: window, Baseline: *baseline, OnAlert: func(a live.Alert) {
		alerts++
		if err := enc.Encode(a); err != nil && werr == nil {
			werr = err
		}
	}})
	if err != nil {
		return err
	}
	log, err := eventlog.Open(lf.events, opts.Events)
	if err != nil {
		return err
	}
	defer log.Close()
	ctx := context.Background()
	var late, refused int64
	for {
		ev, err := log.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch err := r.Add(ctx, live.FromLog(ev, "")); {
		case errors.Is(err, live.ErrLate):
			if late++; late <= 5 {
				fmt.Fprintf(stderr, "journeymap watch: line %d: %v (--lateness)\n", ev.Line, err)
			}
		case err != nil:
			if refused++; refused <= 5 {
				fmt.Fprintf(stderr, "journeymap watch: line %d: %v\n", ev.Line, err)
			}
		}
		if werr != nil {
			return fmt.Errorf("cannot write the alerts: %w", werr)
		}
	}
	st := r.Stats()
	fmt.Fprintf(stderr, "journeymap watch: %d events replayed, %d later than --lateness, %d refused, %d malformed rows; %d alerts\n",
		st.Added, late, refused, log.Stats().Malformed, alerts)
	return nil
}
