package friction

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// Comparison says what changed between two reports of the same journey:
// findings that appeared, disappeared, improved or regressed, and the
// headline numbers before and after.
type Comparison struct {
	Journey     string         `json:"journey"`
	Before      Headline       `json:"before"`
	After       Headline       `json:"after"`
	Appeared    []Finding      `json:"appeared"`
	Disappeared []Finding      `json:"disappeared"`
	Improved    []FindingDelta `json:"improved"`
	Regressed   []FindingDelta `json:"regressed"`
	Unchanged   []FindingDelta `json:"unchanged"`
	Touchpoints []RateDelta    `json:"touchpoint_drop_rates"`
}

// Headline is a report's top line.
type Headline struct {
	Cases          int64   `json:"cases"`
	CompletionRate float64 `json:"completion_rate"`
	Fitness        float64 `json:"fitness"`
	Findings       int     `json:"findings"`
}

// FindingDelta is a finding present in both reports.
type FindingDelta struct {
	Key         string  `json:"key"`
	Summary     string  `json:"summary"` // the after report's
	ScoreBefore float64 `json:"score_before"`
	ScoreAfter  float64 `json:"score_after"`
	CasesBefore int64   `json:"cases_before"`
	CasesAfter  int64   `json:"cases_after"`
}

// RateDelta is a touchpoint's drop-off rate before and after, listed when
// the two 95% intervals do not overlap (a change that is not noise).
type RateDelta struct {
	Touchpoint string  `json:"touchpoint"`
	Before     float64 `json:"before"`
	After      float64 `json:"after"`
}

// changeThreshold: a finding whose score moves by less than this share is unchanged.
const changeThreshold = 0.1

// Compare compares two reports, matching findings by kind, reason and
// touchpoints (Finding.Key).
func Compare(before, after *Report) *Comparison {
	c := &Comparison{Journey: after.Journey.ID, Before: headline(before), After: headline(after)}
	old := map[string]Finding{}
	for _, f := range before.Findings {
		old[f.Key()] = f
	}
	seen := map[string]bool{}
	for _, f := range after.Findings {
		k := f.Key()
		seen[k] = true
		o, ok := old[k]
		if !ok {
			c.Appeared = append(c.Appeared, f)
			continue
		}
		d := FindingDelta{Key: k, Summary: f.Summary, ScoreBefore: o.Score, ScoreAfter: f.Score, CasesBefore: o.Cases, CasesAfter: f.Cases}
		switch change := (f.Score - o.Score) / math.Max(math.Abs(o.Score), 1); {
		case change <= -changeThreshold:
			c.Improved = append(c.Improved, d)
		case change >= changeThreshold:
			c.Regressed = append(c.Regressed, d)
		default:
			c.Unchanged = append(c.Unchanged, d)
		}
	}
	for _, f := range before.Findings {
		if !seen[f.Key()] {
			c.Disappeared = append(c.Disappeared, f)
		}
	}
	prev := map[string]Rate{}
	for _, t := range before.Touchpoints {
		prev[t.ID] = t.DropRate
	}
	for _, t := range after.Touchpoints {
		p, ok := prev[t.ID]
		if ok && (t.DropRate.CI[0] > p.CI[1] || t.DropRate.CI[1] < p.CI[0]) {
			c.Touchpoints = append(c.Touchpoints, RateDelta{Touchpoint: t.ID, Before: p.Value, After: t.DropRate.Value})
		}
	}
	return c
}

func headline(r *Report) Headline {
	return Headline{Cases: r.Cases.Total, CompletionRate: round(rate(r.Cases.Completed, r.Cases.Total), 4), Fitness: r.Fitness, Findings: len(r.Findings)}
}

// Regressions reports whether anything got worse: a finding appeared or
// regressed, or a drop-off rate rose beyond noise. journeymap diff uses it
// for its exit code, so that CI can guard a journey.
func (c *Comparison) Regressions() bool {
	if len(c.Appeared) > 0 || len(c.Regressed) > 0 {
		return true
	}
	for _, t := range c.Touchpoints {
		if t.After > t.Before {
			return true
		}
	}
	return false
}

// WriteText writes the comparison for a terminal.
func (c *Comparison) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Journey %s\n", c.Journey)
	fmt.Fprintf(&b, "  cases       %d -> %d\n", c.Before.Cases, c.After.Cases)
	fmt.Fprintf(&b, "  completed   %s -> %s\n", pct(c.Before.CompletionRate), pct(c.After.CompletionRate))
	fmt.Fprintf(&b, "  fitness     %.2f -> %.2f\n", c.Before.Fitness, c.After.Fitness)
	fmt.Fprintf(&b, "  findings    %d -> %d\n", c.Before.Findings, c.After.Findings)
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		fmt.Fprintf(&b, "\n%s (%d)\n", title, n)
		return true
	}
	if section("Appeared", len(c.Appeared)) {
		for _, f := range c.Appeared {
			fmt.Fprintf(&b, "  + [%s] %s\n", f.Severity, f.Summary)
		}
	}
	if section("Regressed", len(c.Regressed)) {
		for _, d := range c.Regressed {
			fmt.Fprintf(&b, "  ! %s: score %.1f -> %.1f, cases %d -> %d\n", d.Key, d.ScoreBefore, d.ScoreAfter, d.CasesBefore, d.CasesAfter)
		}
	}
	if section("Improved", len(c.Improved)) {
		for _, d := range c.Improved {
			fmt.Fprintf(&b, "  ~ %s: score %.1f -> %.1f, cases %d -> %d\n", d.Key, d.ScoreBefore, d.ScoreAfter, d.CasesBefore, d.CasesAfter)
		}
	}
	if section("Disappeared", len(c.Disappeared)) {
		for _, f := range c.Disappeared {
			fmt.Fprintf(&b, "  - %s\n", f.Summary)
		}
	}
	if section("Drop-off rates that moved beyond noise", len(c.Touchpoints)) {
		for _, t := range c.Touchpoints {
			fmt.Fprintf(&b, "  %s: %s -> %s\n", t.Touchpoint, pct(t.Before), pct(t.After))
		}
	}
	if len(c.Unchanged) > 0 {
		fmt.Fprintf(&b, "\nUnchanged: %d findings\n", len(c.Unchanged))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
