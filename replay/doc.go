// Package replay walks an event log's cases through a designed journey:
// what customers really did on it.
//
// Run (RunColumns for a log read in blocks) returns a Result: per
// touchpoint, stage and observed transition, what customers did (visits,
// drop-offs, repeats and rework, skips, handoffs, waits, scores), and how
// each case ended: completed, ended by a designed outcome (declined,
// cancelled...), dropped, or in progress. The rules of a step are on
// StepKind and Outcome; a lifecycle (schedule, start, complete) folds into
// the visit it belongs to. Results merge exactly (Result.Merge), so that
// shards of a log split by case give the single-pass result; Run uses
// every core that way.
//
// What Run holds depends on the log's order (Options): a log sorted by
// case is replayed a case at a time, one in time order with a horizon
// holds the customers active within it, any other holds every event
// (HeldEventBytes each, HeldCaseBytes a case) until it is read, up to
// Options.MemoryBudget. Run is O(E log e) for E events and cases of at
// most e events (the sort within a case), and allocates nothing per event
// once its tables have grown.
//
// RunColumns takes the log in blocks of Columns instead of Events, as
// package eventlog's CSV and JSON Lines readers parse them on every core:
// a block's names are resolved once, and a ColumnSource that is a
// Recycler gets each block back to refill. The result is the same; Run
// cuts Events into such blocks.
//
// A program that groups events by case itself, across machines (a Beam
// pipeline, as in module github.com/journeymap/journeymap/beam), in a
// query ordered by case or live (package live), replays each case with a
// CaseReplayer. Results travel as bytes (Result.MarshalBinary and Decode)
// and merge exactly: the merged parts give what Run gives on the whole log.
//
// Concurrency: Run and RunColumns may be called from any number of
// goroutines at once (a Journey is immutable). A Result is a plain value:
// read it from many goroutines, but merge into it, or change it, from one.
// A CaseReplayer is used from one goroutine.
package replay
