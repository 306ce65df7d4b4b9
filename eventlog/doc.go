// Package eventlog reads customer event logs: one event per row, saying that
// a customer (a case) met a touchpoint at a time. It reads CSV (and the
// exports spreadsheets and CRMs write: TSV, semicolons, decimal commas, a
// JSON array), JSON Lines and XES (IEEE 1849, as written by process-mining
// tools), plain or gzipped, as a stream: a reader holds one row (for XES,
// one trace) at a time. Package eventlog/parquet reads Parquet; a database
// is read through QuerySQL or NewSQLReader, any other source of rows
// through NewRecordReader.
//
// Every row is accounted for. A row that cannot be an event — a missing case
// id, an unparseable timestamp, a score out of range — is malformed: the
// reader counts it, remembers the first few with their line and reason
// (Stats), and goes on; with Options.Strict the first one is an error.
//
// A CSV or JSON Lines reader is also a ColumnReader: it can cut the file
// into blocks of whole lines and parse them on every core into compact
// columns (with the same checks, counts and problems as Read), which is
// how the command replays and discovers them. Its Recycle method takes a
// block back to refill.
//
// eventlog knows rows, not journeys: it does not know which names are
// touchpoints. Package replay replays what it reads.
//
// Concurrency: a Reader is used from one goroutine (its CSV and JSON
// Lines readers parse blocks on other cores themselves). Options, Stats
// and the error types are plain values.
package eventlog
