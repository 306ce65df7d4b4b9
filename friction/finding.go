package friction

import (
	"cmp"
	"slices"
)

// Kind is what a finding is about: a drop-off, a redundant touchpoint, an
// inconsistent handoff, or a slow step (a touchpoint or stage over the
// time its journey file expects: max_dwell, max_duration).
type Kind string

// Reason says why a finding was raised, within its kind.
type Reason string

// Severity grades what a finding costs customers: its score against all
// cases (see severity).
type Severity string

// The kinds, reasons and severities, each named as its value reads.
const (
	DropOff             Kind = "drop_off"
	RedundantTouchpoint Kind = "redundant_touchpoint"
	InconsistentHandoff Kind = "inconsistent_handoff"
	SlowStep            Kind = "slow_step"

	AboveExpected       Reason = "above_expected"
	Outlier             Reason = "outlier"
	Repeated            Reason = "repeated"
	Bypassable          Reason = "bypassable"
	PassThrough         Reason = "pass_through"
	DuplicateChannel    Reason = "duplicate_channel"
	Unused              Reason = "unused"
	Unreachable         Reason = "unreachable"
	DeadEnd             Reason = "dead_end"
	PingPong            Reason = "ping_pong"
	SlowHandoff         Reason = "slow_handoff"
	ScoreDrop           Reason = "score_drop"
	DropAfterHandoff    Reason = "drop_after_handoff"
	Undesigned          Reason = "undesigned"
	StageEffort         Reason = "stage_effort"
	ForcedChannelSwitch Reason = "forced_channel_switch"
	SlowTouchpoint      Reason = "slow_touchpoint"
	SlowStage           Reason = "slow_stage"

	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
)

// Finding is one place where customers suffer, with the evidence and what
// to do about it.
type Finding struct {
	Kind        Kind     `json:"kind"`
	Reason      Reason   `json:"reason"`
	Touchpoints []string `json:"touchpoints"` // ids; a handoff lists from and to
	Stage       string   `json:"stage,omitempty"`
	Cases       int64    `json:"cases"` // cases affected
	Severity    Severity `json:"severity"`
	// Score ranks findings: the cases lost, or the equivalent in cases of
	// the effort caused (see the README's table of weights).
	Score          float64        `json:"score"`
	Summary        string         `json:"summary"`
	Recommendation string         `json:"recommendation"`
	Evidence       map[string]any `json:"evidence"`
	// WhatIf is what fixing it is worth, where that can be computed: an
	// estimate (see WhatIf).
	WhatIf *WhatIf `json:"what_if,omitempty"`
}

// keyOf is the Key of a finding about touchpoints.
func keyOf(kind Kind, reason Reason, tps ...string) string {
	return Finding{Kind: kind, Reason: reason, Touchpoints: tps}.Key()
}

// Key identifies a finding across two reports: kind, reason and touchpoints.
func (f Finding) Key() string {
	k := string(f.Kind) + "/" + string(f.Reason)
	if f.Evidence["scope"] == "stage" {
		k += "/stage:" + f.Stage
		if ch, ok := f.Evidence["channel"].(string); ok { // forced_channel_switch: one finding per channel
			k += "/" + ch
		}
		return k
	}
	for _, t := range f.Touchpoints {
		k += "/" + t
	}
	if len(f.Touchpoints) == 0 {
		k += "/stage:" + f.Stage
	}
	return k
}

// severity grades a finding by what it costs customers: its score (cases
// lost, or effort weighted into cases) against all cases. A drop-off that
// loses one customer in twenty is high, one in a hundred medium; a step
// every customer could skip (weighted 0.02 a case) is medium at most, and
// a step to merge (0.01) low.
func severity(score float64, total int64) Severity {
	if total <= 0 {
		return Low
	}
	switch share := score / float64(total); {
	case share >= 0.05:
		return High
	case share >= 0.01:
		return Medium
	}
	return Low
}

// losesCustomers reports whether a finding is about customers lost
// (they drop), not effort they survive.
func (f Finding) losesCustomers() bool {
	return f.Kind == DropOff || f.Reason == DropAfterHandoff
}

// sortFindings ranks findings: those that lose customers first, by the
// customers lost beyond what the journey expects (their score), then
// those about effort, by score.
func sortFindings(fs []Finding) {
	class := func(f Finding) int {
		if f.losesCustomers() {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(class(a), class(b)), cmp.Compare(b.Score, a.Score), cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.Key(), b.Key()))
	})
}

// fewCases is the number of affected cases under which a finding is never
// graded above low, whatever its score: a handful of customers is not
// enough to call a friction serious (MinCases/3, at least 5).
func fewCases(minCases int) int64 { return int64(max(5, minCases/3)) }

// gradeOf is severity, capped at low for a finding on a handful of cases.
func (d *detector) gradeOf(f Finding) Severity {
	if f.Cases < fewCases(d.opts.MinCases) {
		return Low
	}
	return severity(f.Score, d.res.Cases.Total)
}
