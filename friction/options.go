package friction

import "github.com/journeymap/journeymap/journey"

// Options are the thresholds of the detectors. A zero field takes the
// journey's setting where it has one, else the default below; each default
// is written down with its reason in the package documentation.
type Options struct {
	// MinCases is the fewest cases a finding needs (journey settings.min_cases, else 30).
	MinCases int
	// MaxRepeatShare: a touchpoint is `repeated` when the share of its
	// cases that meet it twice or more is above this, surely (the Wilson
	// lower bound is above it). Default 0.15.
	MaxRepeatShare float64
	// PingPongShare: a handoff is `ping_pong` when this share of the cases
	// taking it come back to where they were handed from. Default 0.2.
	PingPongShare float64
	// UndesignedShare: an undesigned handoff is raised when it carries at
	// least this share of the cases leaving its origin. Default 0.1.
	UndesignedShare float64
	// EffortRatio: a later stage in a consistency pair costs "far more"
	// on a dimension when its mean per case is at least this multiple of
	// the earlier stage's. Default 1.5.
	EffortRatio float64
	// OutlierZ: a drop-off rate is an `outlier` when it is above the rest
	// of the journey's by this many standard errors, and at least twice
	// as high. Default 3.
	OutlierZ float64
	// ExampleCases adds up to this many example paths to each finding's
	// evidence ("example_paths", contract 9): the paths its customers
	// took that at least ExampleK of them share, each with its count and,
	// where Pseudonymize is set, up to three pseudonymized case ids with
	// the hour each began; rarer paths are only counted ("rarer_paths").
	// Default 0: a report carries no examples unless asked, and never a
	// case id in the clear.
	ExampleCases int
	// ExampleK is the fewest customers an example path must share
	// (default 5), so that no customer can be picked out of a report.
	ExampleK int
	// Pseudonymize, if set, replaces every case id a report shows; see
	// Pseudonymizer. Without it, a report shows no case id.
	Pseudonymize func(caseID string) string
	// ScoreDrop: a handoff is `score_drop` when mean CSAT falls by at
	// least this many points (of 5) across it, or CES rises by as much
	// (of 7). Default 0.75.
	ScoreDrop float64
	// BypassMargin: a touchpoint is `bypassable` when the cases that skip
	// it complete no less often than those that meet it, less this margin,
	// at 95% confidence (a non-inferiority test). Default 0.03 (3 points).
	BypassMargin float64
}

func (o Options) withDefaults(minCases int) Options {
	if o.MinCases <= 0 {
		o.MinCases = minCases
	}
	if o.MinCases <= 0 {
		o.MinCases = journey.DefaultMinCases
	}
	def := func(v *float64, d float64) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.ExampleK <= 0 {
		o.ExampleK = 5
	}
	def(&o.MaxRepeatShare, 0.15)
	def(&o.PingPongShare, 0.2)
	def(&o.UndesignedShare, 0.1)
	def(&o.EffortRatio, 1.5)
	def(&o.OutlierZ, 3)
	def(&o.ScoreDrop, 0.75)
	def(&o.BypassMargin, 0.03)
	return o
}
