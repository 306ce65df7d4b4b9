// Package friction finds where customers suffer in a replayed journey,
// and reports it.
//
// Analyze (AnalyzeContext) reads a replay.Result and returns a Report: the
// numbers per touchpoint, stage and handoff, and the findings, each with
// its kind and reason, the touchpoints it is about, the cases it affects,
// its evidence, a summary a CX lead can read and a recommendation:
//
//   - DropOff: where customers who should go on stop (AboveExpected,
//     Outlier);
//   - RedundantTouchpoint: steps that cost effort without changing the
//     outcome (Repeated, Bypassable, PassThrough, DuplicateChannel,
//     Unused, Unreachable, DeadEnd);
//   - InconsistentHandoff: changes of team or channel that hurt (PingPong,
//     SlowHandoff, ScoreDrop, DropAfterHandoff, Undesigned) and later
//     stages far harder than earlier ones (StageEffort,
//     ForcedChannelSwitch);
//   - SlowStep: a touchpoint or stage over the time its journey file
//     expects (SlowTouchpoint over max_dwell, SlowStage over
//     max_duration), a kind of journeymap's own beyond the contract's.
//
// One cause, one finding: the same customers lost or burdened for one
// reason are reported once, by the most specific cause, with its
// consequences in that finding's evidence. Claims are tests, not point
// comparisons: Wilson intervals on rates, two-proportion z-tests against
// the rest of the journey or stage, a non-inferiority test for Bypassable
// (Options.BypassMargin, 3 points at 95%), a sign test for SlowHandoff,
// Welch's test for ScoreDrop, an exact binomial tail beside the z-test for
// Outlier. Nothing is raised on fewer than MinCases cases (default 30), and
// what could not be checked for lack of cases is listed in
// Report.Insufficient: "no friction found" is said only where it is empty.
//
// Findings that lose customers rank first (by customers lost), then those
// about effort (by score); a finding on a handful of cases (MinCases/3) is
// never above Low. Stage effort is booked to the stage the customer is
// living, the furthest reached so far. A drop-off whose customers mostly
// give up after a slow wait on a handoff into it names that handoff in its
// evidence (slow_handoff_before), summary and recommendation.
//
// Each finding where it can be computed says what fixing it is worth
// (Finding.WhatIf: customers completing, steps and hours saved, with a
// 95% interval and its assumption), and Report.Recoverable is every fix
// at once; see WhatIf for the method (an absorbing Markov chain of the
// observed steps) and its limits.
//
// A finding's Score is the cases it loses or their equivalent: a drop-off
// scores the customers lost beyond what was expected; effort customers
// survive is weighted per case (ping-pong 0.5, forced switch and duplicate
// channel 0.3, slow handoff, touchpoint or stage 0.25 to 0.5, score drop
// 0.25 a point, rework 0.25 a touchpoint redone, undesigned handoff 0.2,
// stage effort 0.1 a worse dimension, bypassable 0.02, pass-through
// 0.01). Its Severity is
// the score against all cases: High from 5%, Medium from 1%, else Low.
//
// A Report is a plain value: its JSON (Report.WriteJSON, ReadJSON) is its
// stable form, and package friction/render draws it as text, Markdown
// with a Mermaid map, Graphviz DOT and one self-contained HTML page,
// every rendering telling the same numbers. Compare says what changed between two
// reports, each change a test on the rate behind it, corrected together
// by Holm's method (Alpha, 5% family-wise).
//
// Concurrency: Analyze may be called from any number of goroutines at
// once. A Report is read by any number of goroutines; change it from one.
//
// Analyze is O(T + R log R + F) for T touchpoints, R observed transitions
// and F findings: each touchpoint's steps in and out are indexed once.
package friction
