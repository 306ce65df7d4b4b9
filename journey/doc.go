// Package journey is the designed customer journey: the map a CX team
// draws, loaded from its YAML file.
//
// A Journey is loaded from a YAML file (Load, Parse): stages in the order
// the customer lives them, touchpoints (each with its stage, channel and
// owning team; entries where cases start; goals and outcomes where they
// end) and the designed transitions between them, as a directed graph.
// Loading is strict and reports every problem of a file at once, each
// with its line and column (ErrorList). A loaded Journey is immutable and
// safe for concurrent use by any number of goroutines; it answers queries
// (Lookup, ShortestPath in O(path), IsDesigned and Distance in O(1),
// Loops) and draws itself (WriteDOT, WriteMermaid).
//
// What customers really did on a journey is package replay's; the as-is
// journey of a log without a map, and the draft journey file written
// from it, are package discover's; the friction found in a replay is
// package friction's.
//
// Defaults: DefaultCaseTimeout (72h idle at a non-goal touchpoint drops a
// case) and DefaultMinCases (30 cases before a finding), both settable in
// the file's settings block.
package journey
