// Package discovery is the engine behind discover.Run: it reads a
// log in blocks and counts its directly-follows graph, starts, ends,
// variants, rework and case durations into a Tally, which package journey
// turns into a discover.Discovery. A Tally merges exactly with another, so
// a log split by case and discovered in parts (on cores, or on the
// workers of a Beam pipeline) gives the figures of the whole.
//
// # How it is parallelised
//
// Run reads blocks on the calling goroutine, numbers the touchpoint
// names log-wide, and hashes each event's case id once (caseid.Hash,
// seeded at random). It sends every block to every one of its shards (one
// per core, at most 8) with the indexes and hashes of the events whose
// hash picks that shard: a case belongs to exactly one shard, with no
// lock, and a shard reads only its own events. A shard numbers its cases
// in a caseid.Table with the hashes it is given; in a log in time order,
// in a software pipeline of groups of 8 events, which asks for the next
// groups' case slots and places ahead (package prefetch) so that the
// cache misses of a log with more cases than the cache overlap with the
// work between. When the reader is done, each shard counts
// its cases into its own Tally; the shards' tallies are merged, and the
// edges' means and medians computed, one edge per core at a time.
// Every figure is exact (sums in 128 bits, medians by counting), so the
// result is the same for any number of shards and any seed.
//
// # What it holds
//
// For a log in any order, a shard keeps every event of its cases (16
// bytes each, in an arena.Arena) and lays them out case by case at the
// end, a batch of cases at a time. For a log whose cases are each in
// time order (Run's inOrder), it keeps of each case only its path so far
// (a node of a trie of paths) and its first and last times, about 20
// bytes a case, and counts each step as it reads it. Either way a Tally
// keeps the time of every step to the end, 8 bytes each, so that medians
// are exact, and the duration of every case.
package discovery
