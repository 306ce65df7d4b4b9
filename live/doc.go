// Package live replays a journey as its events happen, for a Go service,
// and alerts when a finding appears, regresses or resolves.
//
// A Replayer takes events one at a time (Add) or in batches (AddBatch),
// from any number of goroutines. They may arrive out of order by up to
// Options.Lateness of event time; an event later than that is refused
// with ErrLate and counted, never silently dropped. A customer's case
// closes once the events have moved Options.Horizon past its last one
// (at least the journey's case_timeout): a customer who comes back later
// begins a new case. Memory is the aggregates (touchpoints and observed
// transitions) plus the cases in flight: about 175 bytes an event held,
// its case's share included, measured by BenchmarkReplayerAdd (which also
// shows about a million events a second, in time order).
//
// At any moment, Snapshot returns the replay of every event accepted so
// far, and Report its friction report: exactly what the batch replay of
// the same events, in time order, with Horizon set, gives
// (journeymap analyze --horizon), byte for byte.
//
//	r, err := live.New(j, live.Options{Lateness: time.Hour})
//	...
//	err = r.Add(ctx, live.Event{Case: "c1", Touchpoint: "cart", Time: t, CSAT: live.Answer(4)})
//	rep, err := r.Report(ctx)
//
// With Options.Window set, the Replayer also listens continuously: each
// window of event time is judged once the events have moved past its end
// plus the case timeout (so that its customers have had time to finish
// or to drop), its findings against a baseline of the windows before it
// (the same weekday, for windows of a day), and an Alert goes to
// Options.OnAlert where a finding is new, has regressed or has resolved:
// each change a two-proportion test, corrected across all the findings of
// the window by Holm's method at 95% (friction.Compare). A window with
// fewer cases than the detectors need is not judged, nor is one still
// filling, and a finding is not alerted on twice until it resolves.
package live
