package friction

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/internal/prose"
)

// Alpha is the family-wise error rate of Compare: across every finding and
// drop-off rate compared, the chance that noise alone is called a change
// is at most this.
const Alpha = 0.05

// Comparison says what changed between two reports of the same journey:
// findings that appeared, disappeared, improved or regressed, and the
// headline numbers before and after.
//
// A change is a statistical claim, not a point comparison: the rate behind
// each finding (Report.Measures: cases dropped of cases reached, cases
// bounced of cases handed over...) and each touchpoint's drop-off rate is
// compared between the reports by a two-sided two-proportion z-test, and
// the tests are corrected together by Holm's step-down method, so that two
// halves of a log whose customers behave the same show no change in 19
// runs out of 20, however many findings there are. A finding that crosses
// its threshold without its rate changing significantly is not new (nor
// gone): it is listed as unchanged. A finding without a rate (stage effort,
// structural findings) appears or disappears with the finding itself.
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
	Tests       int            `json:"tests"` // the size of the family of tests Holm's method corrected
}

// Headline is a report's top line.
type Headline struct {
	Cases          int64   `json:"cases"`
	CompletionRate float64 `json:"completion_rate"`
	Fitness        float64 `json:"fitness"`
	Findings       int     `json:"findings"`
}

// FindingDelta is a finding present in either report, with the rate
// behind it before and after and the test's p-value (before correction).
type FindingDelta struct {
	Key         string  `json:"key"`
	Summary     string  `json:"summary"` // the after report's, else the before's
	ScoreBefore float64 `json:"score_before"`
	ScoreAfter  float64 `json:"score_after"`
	CasesBefore int64   `json:"cases_before"`
	CasesAfter  int64   `json:"cases_after"`
	RateBefore  float64 `json:"rate_before"`
	RateAfter   float64 `json:"rate_after"`
	P           float64 `json:"p"`
}

// RateDelta is a touchpoint's drop-off rate before and after, listed when
// it changed significantly (in the same family of tests).
type RateDelta struct {
	Touchpoint string  `json:"touchpoint"`
	Before     float64 `json:"before"`
	After      float64 `json:"after"`
	P          float64 `json:"p"`
}

// test is one hypothesis of the family: has the rate behind key changed?
type test struct {
	key      string
	k1, n1   int64
	k2, n2   int64
	p        float64
	changed  bool
	measured bool // both reports measured it
}

// Compare compares two reports, matching findings by kind, reason and
// touchpoints (Finding.Key).
func Compare(before, after *Report) *Comparison {
	c := &Comparison{Journey: after.Journey.ID, Before: headline(before), After: headline(after),
		// Empty lists, never null, in JSON.
		Appeared: []Finding{}, Disappeared: []Finding{}, Improved: []FindingDelta{}, Regressed: []FindingDelta{}, Unchanged: []FindingDelta{}, Touchpoints: []RateDelta{}}
	old, cur := findingsByKey(before), findingsByKey(after)
	keys := make([]string, 0, len(old)+len(cur))
	for k := range old {
		keys = append(keys, k)
	}
	for k := range cur {
		if _, ok := old[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)

	// The family: every finding's rate, and every touchpoint's drop-off rate.
	var family []*test
	tests := map[string]*test{}
	for _, k := range keys {
		m1, ok1 := before.Measures[k]
		m2, ok2 := after.Measures[k]
		t := &test{key: k, k1: m1.K, n1: m1.N, k2: m2.K, n2: m2.N, measured: ok1 && ok2 && m1.N > 0 && m2.N > 0}
		tests[k] = t
		if t.measured {
			family = append(family, t)
		}
	}
	prev := map[string]TouchpointReport{}
	for _, t := range before.Touchpoints {
		prev[t.ID] = t
	}
	var drops []*test
	for _, t := range after.Touchpoints {
		p, ok := prev[t.ID]
		if !ok {
			continue
		}
		dt := &test{key: t.ID, k1: p.Dropped - p.Bounced, n1: dropBase(p.Cases, p.InProgress, p.Bounced, p.Ended), k2: t.Dropped - t.Bounced, n2: dropBase(t.Cases, t.InProgress, t.Bounced, t.Ended)}
		if dt.n1 > 0 && dt.n2 > 0 && (dt.k1 > 0 || dt.k2 > 0) {
			dt.measured = true
			drops = append(drops, dt)
			family = append(family, dt)
		}
	}
	holm(family, Alpha)
	c.Tests = len(family)

	for _, k := range keys {
		t := tests[k]
		o, wasRaised := old[k]
		f, isRaised := cur[k]
		d := FindingDelta{Key: k, Summary: f.Summary, ScoreBefore: o.Score, ScoreAfter: f.Score, CasesBefore: o.Cases, CasesAfter: f.Cases,
			RateBefore: round(rate(t.k1, t.n1), 4), RateAfter: round(rate(t.k2, t.n2), 4), P: round(t.p, 6)}
		if !isRaised {
			d.Summary = o.Summary
		}
		up := rate(t.k2, t.n2) > rate(t.k1, t.n1)
		switch {
		case wasRaised && isRaised && t.changed && up:
			c.Regressed = append(c.Regressed, d)
		case wasRaised && isRaised && t.changed:
			c.Improved = append(c.Improved, d)
		case isRaised && !wasRaised && (!t.measured || t.changed && up):
			c.Appeared = append(c.Appeared, f)
		case wasRaised && !isRaised && (!t.measured || t.changed && !up):
			c.Disappeared = append(c.Disappeared, o)
		default:
			c.Unchanged = append(c.Unchanged, d)
		}
	}
	for _, dt := range drops {
		if dt.changed {
			c.Touchpoints = append(c.Touchpoints, RateDelta{Touchpoint: dt.key, Before: round(rate(dt.k1, dt.n1), 4), After: round(rate(dt.k2, dt.n2), 4), P: round(dt.p, 6)})
		}
	}
	return c
}

func findingsByKey(r *Report) map[string]Finding {
	m := make(map[string]Finding, len(r.Findings))
	for _, f := range r.Findings {
		m[f.Key()] = f
	}
	return m
}

// holm runs Holm's step-down correction over the family: sorted by
// p-value, the i-th smallest (from 0) is a change while p <= alpha/(m-i),
// and from the first that is not, none is. It controls the family-wise
// error rate at alpha whatever the dependence between the tests.
func holm(family []*test, alpha float64) {
	for _, t := range family {
		z := twoProportionZ(t.k2, t.n2, t.k1, t.n1)
		t.p = 2 * (1 - normalCDF(math.Abs(z)))
	}
	order := slices.Clone(family)
	slices.SortStableFunc(order, func(a, b *test) int { return cmp.Or(cmp.Compare(a.p, b.p), cmp.Compare(a.key, b.key)) })
	m := len(order)
	for i, t := range order {
		if t.p > alpha/float64(m-i) {
			break
		}
		t.changed = true
	}
}

func headline(r *Report) Headline {
	return Headline{Cases: r.Cases.Total, CompletionRate: round(rate(r.Cases.Completed, r.Cases.Total), 4), Fitness: r.Fitness, Findings: len(r.Findings)}
}

// Regressions reports whether anything got worse beyond noise: a finding
// appeared or regressed, or a drop-off rate rose significantly.
// journeymap diff uses it for its exit code, so that CI can guard a
// journey; on two reports of customers who behave the same it is true at
// most one time in twenty (Alpha).
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
	return c.write(w, false)
}

// WriteMarkdown writes the comparison as Markdown, to paste into a pull
// request or a review.
func (c *Comparison) WriteMarkdown(w io.Writer) error {
	return c.write(w, true)
}

func (c *Comparison) write(w io.Writer, md bool) error {
	var b strings.Builder
	esc := func(s string) string { return s }
	if md {
		esc = prose.Markdown
		fmt.Fprintf(&b, "## Journey %s: before and after\n\n| | before | after |\n|---|---:|---:|\n", esc(c.Journey))
		fmt.Fprintf(&b, "| cases | %d | %d |\n| completed | %s | %s |\n| fitness | %.2f | %.2f |\n| findings | %d | %d |\n",
			c.Before.Cases, c.After.Cases, prose.Percent(c.Before.CompletionRate), prose.Percent(c.After.CompletionRate), c.Before.Fitness, c.After.Fitness, c.Before.Findings, c.After.Findings)
	} else {
		fmt.Fprintf(&b, "Journey %s\n", c.Journey)
		fmt.Fprintf(&b, "  cases       %d -> %d\n", c.Before.Cases, c.After.Cases)
		fmt.Fprintf(&b, "  completed   %s -> %s\n", prose.Percent(c.Before.CompletionRate), prose.Percent(c.After.CompletionRate))
		fmt.Fprintf(&b, "  fitness     %.2f -> %.2f\n", c.Before.Fitness, c.After.Fitness)
		fmt.Fprintf(&b, "  findings    %d -> %d\n", c.Before.Findings, c.After.Findings)
	}
	section := func(title string, n int) bool {
		if n == 0 {
			return false
		}
		if md {
			fmt.Fprintf(&b, "\n### %s (%d)\n\n", title, n)
		} else {
			fmt.Fprintf(&b, "\n%s (%d)\n", title, n)
		}
		return true
	}
	item := func(mark, text string) {
		if md {
			fmt.Fprintf(&b, "- %s\n", esc(text))
		} else {
			fmt.Fprintf(&b, "  %s %s\n", mark, text)
		}
	}
	delta := func(d FindingDelta) string {
		return fmt.Sprintf("%s: rate %s -> %s (p %.2g), cases %d -> %d", d.Key, prose.Percent(d.RateBefore), prose.Percent(d.RateAfter), d.P, d.CasesBefore, d.CasesAfter)
	}
	if section("Appeared", len(c.Appeared)) {
		for _, f := range c.Appeared {
			item("+", "["+string(f.Severity)+"] "+f.Summary)
		}
	}
	if section("Regressed", len(c.Regressed)) {
		for _, d := range c.Regressed {
			item("!", delta(d))
		}
	}
	if section("Improved", len(c.Improved)) {
		for _, d := range c.Improved {
			item("~", delta(d))
		}
	}
	if section("Disappeared", len(c.Disappeared)) {
		for _, f := range c.Disappeared {
			item("-", f.Summary)
		}
	}
	if section("Drop-off rates that changed beyond noise", len(c.Touchpoints)) {
		for _, t := range c.Touchpoints {
			item("*", fmt.Sprintf("%s: %s -> %s (p %.2g)", t.Touchpoint, prose.Percent(t.Before), prose.Percent(t.After), t.P))
		}
	}
	if section("Unchanged", len(c.Unchanged)) {
		for _, d := range c.Unchanged {
			item("=", delta(d))
		}
	}
	fmt.Fprintf(&b, "\nA change is a two-proportion test on the rate behind it; %d tests, corrected together by Holm's method at %.0f%% family-wise error.\n", c.Tests, 100*Alpha)
	_, err := io.WriteString(w, b.String())
	return err
}
