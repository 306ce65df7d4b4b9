// Package journey is the designed customer journey, and what customers
// really did in it.
//
// A Journey is loaded from a YAML file (Load, Parse): stages in the order
// the customer lives them, touchpoints (each with its stage, channel and
// owning team; entries where cases start; goals and outcomes where they
// end) and the designed transitions between them, as a directed graph.
// Loading is strict and reports every problem of a file at once, each
// with its line and column (ErrorList). A loaded Journey is immutable and
// safe for concurrent use; it answers queries (Lookup, ShortestPath,
// Loops) and draws itself (WriteDOT, WriteMermaid).
//
// Replay walks an event log's cases through the journey and returns a
// Result: per touchpoint, stage and observed transition, what customers
// did (visits, drop-offs, repeats and rework, skips, handoffs, waits,
// scores), and how each case ended: completed, ended by a designed outcome
// (declined, cancelled...), dropped, or in progress. The rules of a step
// are on StepKind and Outcome; a lifecycle (schedule, start, complete)
// folds into the visit it belongs to. Results merge exactly (Merge), so
// that shards of a log split by case give the single-pass result; Replay
// uses every core that way.
//
// What Replay holds depends on the log's order (ReplayOptions): a log
// sorted by case is replayed a case at a time, one in time order with a
// horizon holds the customers active within it, any other holds every
// event (HeldEventBytes each, HeldCaseBytes a case) until it is read, up
// to ReplayOptions.MemoryBudget. Replay is O(E log e) for E events and
// cases of at most e events (the sort within a case), and allocates
// nothing per event once its tables have grown.
//
// ReplayColumns and DiscoverColumns take the log in blocks of Columns
// instead of Events, as package eventlog's CSV and JSON Lines readers parse
// them on every core: a block's names are resolved once, and a
// ColumnSource that is a Recycler gets each block back to refill. The
// results are the same; Replay and Discover cut Events into such blocks.
//
// Discover finds the as-is journey in a log without a map: the
// directly-follows graph with mean and median times, start and end
// activities, variants, rework and case durations, equal to PM4Py's
// figures; WriteDraft writes it as a draft journey file to finish.
//
// A program that groups events by case itself, across machines (a Beam
// pipeline, as in module github.com/journeymap/journeymap/beam) or in a
// query ordered by case, replays each case with a CaseReplayer and counts
// it for discovery with a DiscoveryTally. Both merge exactly, and both
// travel as bytes (Result.MarshalBinary and Journey.DecodeResult,
// DiscoveryTally.MarshalBinary): the merged parts give what Replay and
// Discover give on the whole log.
//
// Defaults: DefaultCaseTimeout (72h idle at a non-goal touchpoint drops a
// case) and DefaultMinCases (30 cases before a finding), both settable in
// the file's settings block.
package journey
