package friction

import (
	"cmp"
	"slices"
)

// Finding kinds and reasons, as the contract names them.
const (
	KindDropOff    = "drop_off"
	KindRedundant  = "redundant_touchpoint"
	KindHandoff    = "inconsistent_handoff"
	AboveExpected  = "above_expected"
	Outlier        = "outlier"
	Repeated       = "repeated"
	Bypassable     = "bypassable"
	PassThrough    = "pass_through"
	DuplicateChan  = "duplicate_channel"
	Unused         = "unused"
	Unreachable    = "unreachable"
	DeadEnd        = "dead_end"
	PingPong       = "ping_pong"
	SlowHandoff    = "slow_handoff"
	ScoreDrop      = "score_drop"
	DropAfter      = "drop_after_handoff"
	Undesigned     = "undesigned"
	StageEffort    = "stage_effort"
	ForcedSwitch   = "forced_channel_switch"
	SeverityHigh   = "high"
	SeverityMedium = "medium"
	SeverityLow    = "low"
)

// Finding is one place where customers suffer, with the evidence and what
// to do about it.
type Finding struct {
	Kind        string   `json:"kind"`
	Reason      string   `json:"reason"`
	Touchpoints []string `json:"touchpoints"` // ids; a handoff lists from and to
	Stage       string   `json:"stage,omitempty"`
	Cases       int64    `json:"cases"` // cases affected
	Severity    string   `json:"severity"`
	// Score ranks findings: the cases lost, or the equivalent in cases of
	// the effort caused (see the README's table of weights).
	Score          float64        `json:"score"`
	Summary        string         `json:"summary"`
	Recommendation string         `json:"recommendation"`
	Evidence       map[string]any `json:"evidence"`
}

// keyOf is the Key of a finding about touchpoints.
func keyOf(kind, reason string, tps ...string) string {
	return Finding{Kind: kind, Reason: reason, Touchpoints: tps}.Key()
}

// Key identifies a finding across two reports: kind, reason and touchpoints.
func (f Finding) Key() string {
	k := f.Kind + "/" + f.Reason
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
func severity(score float64, total int64) string {
	if total <= 0 {
		return SeverityLow
	}
	switch share := score / float64(total); {
	case share >= 0.05:
		return SeverityHigh
	case share >= 0.01:
		return SeverityMedium
	}
	return SeverityLow
}

func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.Key(), b.Key()))
	})
}
