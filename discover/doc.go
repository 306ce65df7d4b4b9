// Package discover finds the as-is journey in an event log without a
// designed map, and writes it as a draft journey file to finish.
//
// Run (RunColumns for a log read in blocks) returns a Discovery: the
// directly-follows graph with mean and median times, start and end
// activities, variants, rework and case durations, equal to PM4Py's
// figures on the same log. It works on every core and is O(E) for E
// events read in time order within each case (Options.InTimeOrder), O(E
// log e) otherwise. Discovery.WriteJSON writes it as the command's
// `discover --format json`; Discovery.WriteDraft writes a draft journey
// file (stages, owners and channels to fill in, each end asked about).
//
// A program that groups events by case itself counts each case into a
// Tally; tallies merge exactly and travel as bytes (Tally.MarshalBinary),
// and the merged tally's Discovery is Run's on the whole log.
//
// Concurrency: Run and RunColumns may be called from any number of
// goroutines at once. A Discovery is a plain value; a Tally is used, and
// merged into, from one goroutine at a time.
package discover
