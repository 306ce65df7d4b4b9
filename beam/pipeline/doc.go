// Package pipeline runs journeymap's replay and discovery as an Apache
// Beam pipeline, for logs that outgrow one machine: the same report and
// the same discovery as `journeymap analyze` and `journeymap discover
// --format json`, byte for byte, on Beam's embedded Prism runner, on a
// Prism or Flink job server through the portable runner, or on Dataflow.
//
// The pipeline is the library's own work, spread out:
//
//  1. The glob is expanded when the pipeline is built (any filesystem
//     Beam has registered: local paths, gs://, s3://), the files sorted
//     by name and numbered.
//  2. A large local file is cut into parts (a Parquet file's row groups;
//     byte ranges of a JSON Lines file, or of a CSV file without a double
//     quote), the parts reshuffled over the workers, and each read with
//     the library's readers and row rules (eventlog.NewReader,
//     journeymap.NewEventSource): every row becomes an Event keyed by its
//     case id, with the line it has in the whole file, or a malformed row
//     counted with its line and reason in the part's Stats.
//  3. The log's last timestamp is computed first (a Max, used as a side
//     input): a case's outcome, dropped or still in progress, depends on
//     it.
//  4. Events are grouped by case. Each case is put back in the log's order
//     (file, then line) and replayed by a replay.CaseReplayer (or counted
//     by a discover.Tally); a bundle's cases make one Result,
//     encoded with Result.MarshalBinary.
//  5. The bundles' results are merged in a combine (Result.Merge, in any
//     order, on as many workers as the runner likes), the files'
//     malformed rows added (the first 20 of the log listed, all counted),
//     the result checked as the command checks it (replay.CheckMatched: a log
//     none of whose events meets the journey is an error), and the
//     report written as JSON.
//
// # Memory
//
// A worker holds one case's events at a time, about 300 bytes an event
// while it is replayed: the Row (104 bytes and its strings), the
// replay.Event (120) and its compact form (24). It also holds the
// aggregates, which grow with the journey's touchpoints and transitions,
// not with the log. The largest case bounds it: a bot with a million
// events needs 300 to 600 MB (the slices double as they grow) on the
// worker that replays it, and nothing on the others. Runners page a large
// group's values from their state store rather than hand them over at
// once, so such a case does not fail the pipeline. A case with more
// events than Config.MaxCaseEvents is not replayed, nor held past the
// bound; its events are counted as malformed, and written to
// Config.DeadLetter where one is given, so that it is never lost
// silently.
//
// Discovery is the exception. Its medians are exact, as PM4Py's are, so
// a worker holds the time of every step of its bundle's cases, and the
// last merge of the tallies holds the time of every step of the log:
// 8 bytes each (8 GB for a billion steps), as journeymap discover does
// on one machine.
package pipeline
