package friction

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	nearest "github.com/journeymap/journeymap/internal/closest"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
	"github.com/journeymap/journeymap/touchpoint"
)

// Report is the friction analysis of one replay: the numbers per
// touchpoint, stage and handoff, and the findings ranked by score. It is a
// plain value; its JSON form (WriteJSON) is stable and documented in the
// README, and the same input gives byte-identical output.
type Report struct {
	Journey     JourneyInfo        `json:"journey"`
	Events      EventCounts        `json:"events"`
	Cases       CaseCounts         `json:"cases"`
	Fitness     float64            `json:"fitness"`
	Steps       StepCounts         `json:"steps"`
	Resolution  *Resolution        `json:"time_to_resolution,omitempty"`
	Touchpoints []TouchpointReport `json:"touchpoints"`
	Stages      []StageReport      `json:"stages"`
	Handoffs    []HandoffReport    `json:"handoffs"`
	Transitions []TransitionReport `json:"transitions"`
	Findings    []Finding          `json:"findings"`
	// Recoverable is what fixing every finding at once is worth, customers
	// two findings share counted once: an estimate (see WhatIf).
	Recoverable *WhatIf `json:"recoverable,omitempty"`
	// Insufficient lists the checks that could not be made for lack of
	// cases (never nil: [] in JSON). See Insufficient.
	Insufficient []Insufficient   `json:"insufficient"`
	Unmatched    map[string]int64 `json:"unmatched_names,omitempty"`
	// NearMisses maps each unmatched name close to a touchpoint's id or
	// match name (a typo, another spelling) to that touchpoint.
	NearMisses map[string]string `json:"near_misses,omitempty"`
	// LooseNames maps each event name that met a touchpoint only loosely
	// (case, spaces, hyphens, underscores) to the touchpoint it met.
	LooseNames map[string]string `json:"loose_names,omitempty"`
	// Warnings say what the reader of the report must know of its input
	// (malformed rows, most events unmatched); never nil: [] in JSON.
	Warnings []string `json:"warnings"`
	// UnmatchedWithheld is the number of distinct unmatched names when
	// there are too many to list (MaxUnmatchedNames): ids or free text,
	// read from the wrong column.
	UnmatchedWithheld int             `json:"unmatched_names_withheld,omitempty"`
	Malformed         []RowProblem    `json:"malformed_rows,omitempty"`
	Segments          []SegmentReport `json:"segments,omitempty"`
	// Measures holds, for every finding a detector weighed (raised or
	// not), keyed by Finding.Key, the count behind it and its base: the
	// rate Compare tests between two reports.
	Measures   map[string]Measure `json:"measures,omitempty"`
	Thresholds Options            `json:"-"`
	// EdgeLabels says what the drawings write on an edge: "steps" (the
	// default: how many steps took it, the frequency view) or "wait" (the
	// median wait, the performance view).
	EdgeLabels string `json:"-"`
	// AsIs draws the report as the as-is journey of a log, discover's
	// picture: the map and its numbers, with no findings (see
	// render.AsIs).
	AsIs bool `json:"-"`
}

// Measure is a count out of a base: the rate behind a finding (cases
// dropped of cases reached, cases bounced of cases handed over...).
type Measure struct {
	K int64 `json:"k"`
	N int64 `json:"n"`
}

// JourneyInfo names the journey analysed.
type JourneyInfo struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// EventCounts account for every row: read = replayed + unmatched +
// malformed (+ outside, for a period).
type EventCounts struct {
	Read      int64 `json:"read"`
	Replayed  int64 `json:"replayed"`
	Unmatched int64 `json:"unmatched"`
	Malformed int64 `json:"malformed"`
	// Duplicates (of replayed): the same case, touchpoint and time as the
	// event before; usually a double export.
	Duplicates int64 `json:"duplicates"`
	// Folded (of replayed): lifecycle events other than complete
	// (schedule, start, suspend...), folded into the visit they belong to.
	Folded int64 `json:"folded"`
	// Outside: events left out of the period replayed (analyze --since,
	// --until): those of cases that began before it, and those from its
	// end on.
	Outside int64 `json:"outside_period,omitempty"`
}

// CaseCounts: total = completed + ended + dropped + in_progress.
type CaseCounts struct {
	Total     int64 `json:"total"`
	Completed int64 `json:"completed"`
	// Ended counts, by the word of the designed end reached (declined,
	// cancelled...), the cases that ended by a decision: neither completed
	// nor dropped, and left out of every drop-off rate.
	Ended         map[string]int64 `json:"ended"`
	Dropped       int64            `json:"dropped"`
	InProgress    int64            `json:"in_progress"`
	NoVisit       int64            `json:"no_visit,omitempty"` // cases with lifecycle events but no completed visit; not in total
	Bounced       int64            `json:"bounced"`            // of dropped: only an entry was met
	UnmatchedOnly int64            `json:"unmatched_only"`     // cases none of whose events matched a touchpoint; not in total
}

// StepCounts classify every replayed event.
type StepCounts struct {
	Steps           int64 `json:"steps"`
	Conforming      int64 `json:"conforming"`
	Repeats         int64 `json:"repeats"`
	Deviations      int64 `json:"deviations"`
	OffJourney      int64 `json:"off_journey"`
	Skipped         int64 `json:"skipped"`
	Handoffs        int64 `json:"handoffs"`
	ChannelSwitches int64 `json:"channel_switches"`
}

// Resolution is the time from a case's first event to its last, over
// completed cases, in seconds.
type Resolution struct {
	Cases   int64   `json:"cases"`
	MedianS float64 `json:"median_s"`
	P90S    float64 `json:"p90_s"`
	MeanS   float64 `json:"mean_s"`
}

// RowProblem is a malformed row of the log.
type RowProblem struct {
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
}

// Rate is a share with its Wilson 95% interval.
type Rate struct {
	Value float64    `json:"value"`
	CI    [2]float64 `json:"ci95"`
}

func newRate(k, n int64) Rate {
	lo, hi := Wilson(k, n)
	return Rate{Value: round(rate(k, n), 4), CI: [2]float64{round(lo, 4), round(hi, 4)}}
}

// TouchpointReport is one touchpoint's numbers.
type TouchpointReport struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Stage       string  `json:"stage"`
	Channel     string  `json:"channel,omitempty"`
	Owner       string  `json:"owner,omitempty"`
	Entry       bool    `json:"entry,omitempty"`
	Goal        bool    `json:"goal,omitempty"`
	Outcome     string  `json:"outcome,omitempty"`
	Visits      int64   `json:"visits"`
	Cases       int64   `json:"cases"`
	Entries     int64   `json:"entries"`
	Completed   int64   `json:"completed"`
	Ended       int64   `json:"ended"` // cases whose designed end (outcome) was reached here
	Dropped     int64   `json:"dropped"`
	Bounced     int64   `json:"bounced"`
	InProgress  int64   `json:"in_progress"`
	DropRate    Rate    `json:"drop_rate"` // dropped (bounces aside) / cases that met it, less those in progress or ended here
	RepeatCases int64   `json:"repeat_cases"`
	ExtraVisits int64   `json:"extra_visits"`
	Skipped     int64   `json:"skipped_cases"`
	DwellMedS   float64 `json:"dwell_median_s"`
	DwellP90S   float64 `json:"dwell_p90_s"`
	Metrics     Metrics `json:"metrics"`
}

// settles reports whether reaching t completes a case: a goal, or the
// success outcome. Drawings mark it as a goal.
// Settles reports whether the touchpoint ends a journey well: a goal, or
// a success outcome.
func (t TouchpointReport) Settles() bool { return t.Goal || t.Outcome == touchpoint.OutcomeSuccess }

// StageReport is one stage's numbers; effort figures are means per case
// that met the stage.
type StageReport struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	Cases      int64   `json:"cases"`
	Completed  int64   `json:"completed"`
	Ended      int64   `json:"ended"`
	Dropped    int64   `json:"dropped"`
	Bounced    int64   `json:"bounced"`
	InProgress int64   `json:"in_progress"`
	DropRate   Rate    `json:"drop_rate"`
	Effort     Effort  `json:"effort"`
	Metrics    Metrics `json:"metrics"`
}

// Effort is what a stage costs a customer, per case, on average.
type Effort struct {
	Steps           float64 `json:"steps"`
	Contacts        float64 `json:"contacts"` // distinct touchpoints met
	Channels        float64 `json:"channels"` // distinct channels used
	Handoffs        float64 `json:"handoffs"`
	ChannelSwitches float64 `json:"channel_switches"`
	ElapsedMedS     float64 `json:"elapsed_median_s"`
	CES             float64 `json:"ces,omitempty"` // mean CES given in the stage, 0 if none
}

// HandoffReport is an observed transition on which owner or channel
// changed at least once.
type HandoffReport struct {
	From            string  `json:"from"`
	To              string  `json:"to"`
	Designed        bool    `json:"designed"`
	Steps           int64   `json:"steps"`
	Cases           int64   `json:"cases"`
	Handoffs        int64   `json:"handoffs"`
	ChannelSwitches int64   `json:"channel_switches"`
	FromOwner       string  `json:"from_owner,omitempty"`
	ToOwner         string  `json:"to_owner,omitempty"`
	FromChannel     string  `json:"from_channel,omitempty"`
	ToChannel       string  `json:"to_channel,omitempty"`
	WaitMedS        float64 `json:"wait_median_s"`
	WaitP90S        float64 `json:"wait_p90_s"`
	DropAfter       int64   `json:"drop_after"`
	PingPong        int64   `json:"ping_pong_cases"`
	OwnerPingPong   int64   `json:"owner_ping_pong_cases"`
}

// TransitionReport is a designed or observed step between two touchpoints,
// with its traffic: the edges of the journey map.
type TransitionReport struct {
	From     string  `json:"from"`
	To       string  `json:"to"`
	Designed bool    `json:"designed"`
	Steps    int64   `json:"steps"`
	Cases    int64   `json:"cases"`
	WaitMedS float64 `json:"wait_median_s"` // from the step's start to its end, at the median
}

// Metrics are the CX scores given at a touchpoint or in a stage. Each is
// omitted when nobody answered.
type Metrics struct {
	CSAT *ScoreMetric `json:"csat,omitempty"`
	CES  *ScoreMetric `json:"ces,omitempty"`
	NPS  *ScoreMetric `json:"nps,omitempty"`
}

// ScoreMetric is one score: the number of answers, the headline figure
// (CSAT: the share of 4 and 5, of 1 like every rate; CES: the mean of 1-7;
// NPS: % promoters 9-10 minus % detractors 0-6, a score from -100 to 100
// as it is always quoted), CES's share at 5 or more, and the distribution of
// answers by value (CSAT 1..5, CES 1..7, NPS 0..10).
type ScoreMetric struct {
	Answers      int64   `json:"answers"`
	Score        float64 `json:"score"`
	ShareHigh    float64 `json:"share_high,omitempty"`
	Distribution []int64 `json:"distribution"`
}

func metricsOf(s *replay.Scores) Metrics {
	var m Metrics
	sum := func(xs []int64) (n int64) {
		for _, x := range xs {
			n += x
		}
		return n
	}
	if n := sum(s.CSAT[:]); n > 0 {
		m.CSAT = &ScoreMetric{Answers: n, Score: round(rate(s.CSAT[3]+s.CSAT[4], n), 4), Distribution: slices.Clone(s.CSAT[:])}
	}
	if n := sum(s.CES[:]); n > 0 {
		var tot int64
		for i, c := range s.CES {
			tot += int64(i+1) * c
		}
		m.CES = &ScoreMetric{Answers: n, Score: round(float64(tot)/float64(n), 2), ShareHigh: round(rate(s.CES[4]+s.CES[5]+s.CES[6], n), 4), Distribution: slices.Clone(s.CES[:])}
	}
	if n := sum(s.NPS[:]); n > 0 {
		prom := s.NPS[9] + s.NPS[10]
		det := sum(s.NPS[:7])
		m.NPS = &ScoreMetric{Answers: n, Score: round(100*(rate(prom, n)-rate(det, n)), 1), Distribution: slices.Clone(s.NPS[:])}
	}
	return m
}

// meanCSAT and meanCES return the mean answer and the number of answers.
func meanCSAT(s *replay.Scores) (float64, int64) { return meanOf(s.CSAT[:], 1) }
func meanCES(s *replay.Scores) (float64, int64)  { return meanOf(s.CES[:], 1) }

// varianceOf is the sample variance of a distribution of answers.
func varianceOf(dist []int64, first int) float64 {
	mean, n := meanOf(dist, first)
	if n < 2 {
		return 0
	}
	var ss float64
	for i, c := range dist {
		dv := float64(i+first) - mean
		ss += float64(c) * dv * dv
	}
	return ss / float64(n-1)
}

// countAtMost counts the answers of a distribution at or below v.
func countAtMost(dist []int64, first, v int) int64 {
	var n int64
	for i, c := range dist {
		if i+first <= v {
			n += c
		}
	}
	return n
}

func meanOf(dist []int64, first int) (float64, int64) {
	var n, tot int64
	for i, c := range dist {
		n += c
		tot += int64(i+first) * c
	}
	if n == 0 {
		return 0, 0
	}
	return float64(tot) / float64(n), n
}

// SegmentReport is the analysis of one segment's cases.
type SegmentReport struct {
	Segment      string             `json:"segment"`
	Cases        CaseCounts         `json:"cases"`
	Fitness      float64            `json:"fitness"`
	Touchpoints  []TouchpointReport `json:"touchpoints"`
	Stages       []StageReport      `json:"stages"`
	Findings     []Finding          `json:"findings"`
	Insufficient []Insufficient     `json:"insufficient"`
}

func secs(d time.Duration) float64 { return round(d.Seconds(), 3) }

// Analyze finds the friction in a replay. It needs the cases themselves
// (j.Replay(..., ReplayOptions{KeepCases: true})) only to name example
// cases (opts.ExampleCases); every detector works from the aggregates.
func Analyze(j *journey.Journey, res *replay.Result, opts Options) *Report {
	r, err := AnalyzeContext(context.Background(), j, res, opts)
	if err != nil {
		// A result that is not a replay through j: an empty report that
		// says so, rather than a panic (AnalyzeContext returns the error).
		return &Report{Journey: JourneyInfo{ID: j.ID(), Name: j.Name()}, Cases: CaseCounts{Ended: map[string]int64{}},
			Findings: []Finding{}, Insufficient: []Insufficient{}, Warnings: []string{err.Error()}}
	}
	return r
}

// AnalyzeContext is Analyze, stopping with ctx's error when ctx is done
// (it looks between detectors and segments). The analysis is near-linear
// in touchpoints and observed transitions, so it rarely has long to wait.
func AnalyzeContext(ctx context.Context, j *journey.Journey, res *replay.Result, opts Options) (*Report, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := res.Check(j); err != nil {
		return nil, err
	}
	opts = opts.withDefaults(j.Settings().MinCases)
	r := build(j, res, opts, res.CaseList)
	if len(res.Segments) > 0 {
		for _, name := range slices.Sorted(maps.Keys(res.Segments)) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			seg := res.Segments[name]
			var cases []replay.Case
			for _, c := range res.CaseList {
				if c.Segment == name {
					cases = append(cases, c)
				}
			}
			sr := build(j, seg, opts, cases)
			r.Segments = append(r.Segments, SegmentReport{
				Segment: name, Cases: sr.Cases, Fitness: sr.Fitness,
				Touchpoints: sr.Touchpoints, Stages: sr.Stages, Findings: sr.Findings, Insufficient: sr.Insufficient,
			})
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

func build(j *journey.Journey, res *replay.Result, opts Options, cases []replay.Case) *Report {
	r := &Report{
		Journey: JourneyInfo{ID: j.ID(), Name: j.Name()},
		Events:  EventCounts{Read: res.Events.Read, Replayed: res.Events.Replayed, Unmatched: res.Events.Unmatched, Malformed: res.Events.Malformed, Duplicates: res.Events.Duplicates, Folded: res.Events.Folded, Outside: res.Events.Outside},
		Cases: CaseCounts{Total: res.Cases.Total, Completed: res.Cases.Completed, Ended: endedCounts(res.Cases.Ended), Dropped: res.Cases.Dropped, InProgress: res.Cases.InProgress,
			UnmatchedOnly: res.Cases.UnmatchedOnly, NoVisit: res.Cases.NoVisit},
		Fitness:    round(res.Fitness(), 4),
		Steps:      StepCounts(res.Counts),
		Thresholds: opts,
	}
	completed := &res.Resolution
	if completed.Count() > 0 {
		r.Resolution = &Resolution{Cases: completed.Count(), MedianS: secs(completed.Median()), P90S: secs(completed.Quantile(0.9)), MeanS: secs(completed.Mean())}
	}
	tps := j.Touchpoints()
	for i, t := range tps {
		s := &res.Touchpoints[i]
		r.Cases.Bounced += s.Bounces
		r.Touchpoints = append(r.Touchpoints, TouchpointReport{
			ID: t.ID, Name: t.DisplayName(), Stage: t.Stage, Channel: t.Channel, Owner: t.Owner, Entry: t.Entry, Goal: t.Goal, Outcome: t.Outcome,
			Visits: s.Visits, Cases: s.Cases, Entries: s.Entries, Completed: s.Completed, Ended: s.Ended,
			Dropped: s.Dropped, Bounced: s.Bounces, InProgress: s.InProgress,
			DropRate:    newRate(s.Dropped-s.Bounces, dropBase(s.Cases, s.InProgress, s.Bounces, s.Ended)),
			RepeatCases: s.RepeatCases, ExtraVisits: s.ExtraVisits, Skipped: s.SkippedCases,
			DwellMedS: secs(s.Dwell.Median()), DwellP90S: secs(s.Dwell.Quantile(0.9)),
			Metrics: metricsOf(&s.Scores),
		})
	}
	for si, st := range j.Stages() {
		s := &res.Stages[si]
		per := func(x int64) float64 { return round(rate(x, s.Cases), 3) }
		ces, _ := meanCES(&s.Scores)
		r.Stages = append(r.Stages, StageReport{
			ID: st.ID, Name: st.DisplayName(), Cases: s.Cases, Completed: s.Completed, Ended: s.Ended,
			Dropped: s.Dropped, Bounced: s.Bounces, InProgress: s.InProgress,
			DropRate: newRate(s.Dropped-s.Bounces, dropBase(s.Cases, s.InProgress, s.Bounces, s.Ended)),
			Effort: Effort{
				Steps: per(s.Steps), Contacts: per(s.Contacts), Channels: per(s.Channels),
				Handoffs: per(s.Handoffs), ChannelSwitches: per(s.Switches),
				ElapsedMedS: secs(s.Elapsed.Median()), CES: round(ces, 2),
			},
			Metrics: metricsOf(&s.Scores),
		})
	}
	for _, k := range sortedTransitions(res) {
		tr := res.Transitions[k]
		if tr.Handoffs == 0 {
			continue
		}
		from, to := tps[tr.From], tps[tr.To]
		r.Handoffs = append(r.Handoffs, HandoffReport{
			From: from.ID, To: to.ID, Designed: tr.Designed, Steps: tr.Count, Cases: tr.Cases,
			Handoffs: tr.Handoffs, ChannelSwitches: tr.ChannelSwitches,
			FromOwner: from.Owner, ToOwner: to.Owner, FromChannel: from.Channel, ToChannel: to.Channel,
			WaitMedS: secs(tr.Wait.Median()), WaitP90S: secs(tr.Wait.Quantile(0.9)),
			DropAfter: tr.DropAfter, PingPong: tr.PingPongCases, OwnerPingPong: tr.OwnerPingPongCases,
		})
	}
	seen := map[[2]string]bool{}
	for _, k := range sortedTransitions(res) {
		tr := res.Transitions[k]
		from, to := tps[tr.From].ID, tps[tr.To].ID
		seen[[2]string{from, to}] = true
		r.Transitions = append(r.Transitions, TransitionReport{From: from, To: to, Designed: tr.Designed, Steps: tr.Count, Cases: tr.Cases, WaitMedS: secs(tr.Wait.Median())})
	}
	for _, t := range j.Transitions() {
		if !seen[[2]string{t.From, t.To}] {
			r.Transitions = append(r.Transitions, TransitionReport{From: t.From, To: t.To, Designed: true})
		}
	}
	slices.SortStableFunc(r.Transitions, func(a, b TransitionReport) int {
		return cmp.Or(cmp.Compare(j.Index(a.From), j.Index(b.From)), cmp.Compare(j.Index(a.To), j.Index(b.To)))
	})
	r.Unmatched, r.UnmatchedWithheld = unmatchedNames(res.UnmatchedNames)
	r.NearMisses = nearMisses(j, r.Unmatched)
	r.LooseNames = maps.Clone(res.LooseNames)
	r.Warnings = []string{}
	d := detector{j: j, res: res, opts: opts, tps: tps, report: r, measures: map[string]Measure{}}
	r.Findings = d.run()
	r.Recoverable = d.whatIfs(r.Findings)
	r.Insufficient = d.insufficient()
	r.Measures = d.measures
	if opts.ExampleCases > 0 {
		addExamples(j, r.Findings, cases, opts)
	}
	return r
}

// addExamples puts, in each finding's evidence, its example paths
// (contract 9): the paths its cases took (those that met all of its
// touchpoints; for a drop-off, that dropped there) that at least
// opts.ExampleK cases share, most shared first, up to opts.ExampleCases
// of them, each with its count and, with a pseudonymizer, up to three
// pseudonymized ids (the first in log order) with the hour each case
// began. The rarer paths are counted, never shown. O(C × P) for C cases
// and their paths' length.
func addExamples(j *journey.Journey, fs []Finding, cases []replay.Case, opts Options) {
	for fi := range fs {
		f := &fs[fi]
		var want []int32
		for _, id := range f.Touchpoints {
			want = append(want, int32(j.Index(id)))
		}
		type group struct {
			path  []int32
			cases []*replay.Case
		}
		groups := map[string]*group{}
		var order []string
		for ci := range cases {
			c := &cases[ci]
			ok := len(want) > 0 && len(c.Path) > 0
			for _, w := range want {
				if !slices.Contains(c.Path, w) {
					ok = false
					break
				}
			}
			if ok {
				ok = exampleOf(j, f, want, c)
			}
			if !ok {
				continue
			}
			key := fmt.Sprint(c.Path)
			g := groups[key]
			if g == nil {
				g = &group{path: c.Path}
				groups[key] = g
				order = append(order, key)
			}
			g.cases = append(g.cases, c)
		}
		slices.SortStableFunc(order, func(a, b string) int { return cmp.Compare(len(groups[b].cases), len(groups[a].cases)) })
		var shown []map[string]any
		var rarePaths, rareCases, morePaths int
		for _, key := range order {
			g := groups[key]
			if len(g.cases) < opts.ExampleK {
				rarePaths++
				rareCases += len(g.cases)
				continue
			}
			if len(shown) == opts.ExampleCases {
				morePaths++
				continue
			}
			ids := make([]string, len(g.path))
			for i, tp := range g.path {
				ids[i] = j.At(int(tp)).ID
			}
			ex := map[string]any{"path": ids, "cases": len(g.cases)}
			if opts.Pseudonymize != nil {
				var who []map[string]string
				for _, c := range g.cases[:min(3, len(g.cases))] {
					who = append(who, map[string]string{"id": opts.Pseudonymize(c.ID), "began": c.Start.UTC().Truncate(time.Hour).Format("2006-01-02T15:00Z")})
				}
				ex["examples"] = who
			}
			shown = append(shown, ex)
		}
		if len(shown) > 0 {
			f.Evidence["example_paths"] = shown
		}
		if rarePaths > 0 {
			f.Evidence["rarer_paths"] = map[string]any{"paths": rarePaths, "cases": rareCases, "shared_by_fewer_than": opts.ExampleK}
		}
		if morePaths > 0 {
			f.Evidence["more_example_paths"] = morePaths
		}
	}
}

// exampleOf reports whether case c, which met all of a finding's
// touchpoints (want), is an example of it: for a drop-off, it dropped
// there; after a handoff, right after it; for a bounce, it took the
// handoff and came back (to the touchpoint, or to its team); for rework,
// it met the touchpoint twice.
func exampleOf(j *journey.Journey, f *Finding, want []int32, c *replay.Case) bool {
	last := len(c.Path) - 1
	switch {
	case f.Evidence["scope"] == "stage":
		return true
	case f.Kind == DropOff:
		return c.Outcome == replay.Dropped && c.Path[last] == want[0]
	case f.Reason == DropAfterHandoff:
		return c.Outcome == replay.Dropped && last > 0 && c.Path[last-1] == want[0] && c.Path[last] == want[1]
	case f.Reason == PingPong:
		owner := j.At(int(want[0])).Owner
		for i := 1; i < len(c.Path); i++ {
			if c.Path[i-1] != want[0] || c.Path[i] != want[1] {
				continue
			}
			for _, later := range c.Path[i+1:] {
				if later == want[0] || f.Evidence["level"] == "owner" && j.At(int(later)).Owner == owner {
					return true
				}
			}
		}
		return false
	case f.Reason == Repeated:
		for _, w := range want {
			n := 0
			for _, tp := range c.Path {
				if tp == w {
					n++
				}
			}
			if n < 2 {
				return false
			}
		}
		return true
	}
	return true
}

// dropBase is the denominator of a drop-off rate: the cases that met the
// place, less those still in progress there and those that only bounced.
func dropBase(cases, inProgress, bounces, ended int64) int64 {
	return max(0, cases-inProgress-bounces-ended)
}

// sortedTransitions returns the observed transitions ordered by (from, to).
func sortedTransitions(res *replay.Result) [][2]int32 {
	keys := make([][2]int32, 0, len(res.Transitions))
	for k := range res.Transitions {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return keys
}

// endedCounts is a copy of the designed ends' counts, never nil, so that
// the JSON always says "ended": {}.
func endedCounts(m map[string]int64) map[string]int64 {
	if m == nil {
		return map[string]int64{}
	}
	return maps.Clone(m)
}

// EndedTotal is the number of cases that reached a designed end.
func (c CaseCounts) EndedTotal() int64 {
	var n int64
	for _, v := range c.Ended {
		n += v
	}
	return n
}

// EndedWords lists the designed ends reached, most cases first: "declined
// 7635, cancelled 2807".
func (c CaseCounts) EndedWords() string {
	words := slices.Collect(maps.Keys(c.Ended))
	slices.SortFunc(words, func(a, b string) int { return cmp.Or(cmp.Compare(c.Ended[b], c.Ended[a]), cmp.Compare(a, b)) })
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = fmt.Sprintf("%s %d", w, c.Ended[w])
	}
	return strings.Join(parts, ", ")
}

// nearMisses maps each unmatched name that is a plausible typo of a
// touchpoint's id or match name (in their loose forms) to the touchpoint.
func nearMisses(j *journey.Journey, unmatched map[string]int64) map[string]string {
	if len(unmatched) == 0 {
		return nil
	}
	var names, ids []string
	for _, t := range j.Touchpoints() {
		for _, n := range append([]string{t.ID}, t.Match...) {
			names = append(names, journey.LooseName(n))
			ids = append(ids, t.ID)
		}
	}
	out := map[string]string{}
	for _, u := range slices.Sorted(maps.Keys(unmatched)) {
		if near := nearest.Names(journey.LooseName(u), names, 1, nearest.EditDistance); len(near) > 0 {
			out[u] = ids[slices.Index(names, near[0])]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// ExampleSentences are a finding's example paths in words (contract 9):
// one line a path shared by at least ExampleK customers, with its count
// and its pseudonymized examples, and one for the rarer paths, counted
// only. None where the report was made without examples.
func (f Finding) ExampleSentences(name func(id string) string) []string {
	// Read through JSON, so that a report read back (ReadJSON) says the
	// same as the one made.
	var ev struct {
		Paths []struct {
			Path     []string `json:"path"`
			Cases    int      `json:"cases"`
			Examples []struct {
				ID    string `json:"id"`
				Began string `json:"began"`
			} `json:"examples"`
		} `json:"example_paths"`
		More  int `json:"more_example_paths"`
		Rarer *struct {
			Paths int `json:"paths"`
			Cases int `json:"cases"`
			Under int `json:"shared_by_fewer_than"`
		} `json:"rarer_paths"`
	}
	sub := map[string]any{}
	for _, k := range []string{"example_paths", "more_example_paths", "rarer_paths"} {
		if v, ok := f.Evidence[k]; ok {
			sub[k] = v
		}
	}
	if len(sub) == 0 {
		return nil
	}
	b, err := json.Marshal(sub)
	if err != nil || json.Unmarshal(b, &ev) != nil {
		return nil
	}
	var out []string
	for _, p := range ev.Paths {
		steps := make([]string, len(p.Path))
		for i, id := range p.Path {
			steps[i] = name(id)
		}
		line := fmt.Sprintf("%d customers took %s", p.Cases, strings.Join(steps, " → "))
		if len(p.Examples) > 0 {
			var ex []string
			for _, w := range p.Examples {
				ex = append(ex, fmt.Sprintf("%s, began %s", w.ID, w.Began))
			}
			line += " (e.g. " + strings.Join(ex, "; ") + ")"
		}
		out = append(out, line+".")
	}
	if ev.More > 0 {
		out = append(out, fmt.Sprintf("%d more paths shared as widely are not listed.", ev.More))
	}
	if r := ev.Rarer; r != nil {
		out = append(out, fmt.Sprintf("%d more customers took %d paths each shared by fewer than %d: not shown, so that no customer can be picked out.", r.Cases, r.Paths, r.Under))
	}
	return out
}

// touchpointName returns a function naming a touchpoint by its id, as
// the report's touchpoints name it (the id where it has none).
// Names returns a function from a touchpoint id to its display name (its
// id where it has none), as every rendering names touchpoints.
func (r *Report) Names() func(id string) string {
	names := make(map[string]string, len(r.Touchpoints))
	for _, t := range r.Touchpoints {
		names[t.ID] = t.Name
	}
	return func(id string) string {
		if n, ok := names[id]; ok && n != "" {
			return n
		}
		return id
	}
}
