package friction

import (
	"math"
	"testing"

	"github.com/journeymap/journeymap/replay"
	"github.com/stretchr/testify/assert"
)

// Findings that lose customers rank first, by customers lost, then
// effort findings by score, whatever their scores' sizes.
func TestSortFindingsLossFirst(t *testing.T) {
	fs := []Finding{
		{Kind: InconsistentHandoff, Reason: StageEffort, Stage: "exchange", Score: 500, Cases: 5000},
		{Kind: DropOff, Reason: AboveExpected, Touchpoints: []string{"a"}, Score: 100, Cases: 1300},
		{Kind: RedundantTouchpoint, Reason: Repeated, Touchpoints: []string{"b"}, Score: 80, Cases: 320},
		{Kind: InconsistentHandoff, Reason: DropAfterHandoff, Touchpoints: []string{"c", "d"}, Score: 150, Cases: 400},
	}
	sortFindings(fs)
	var got []Reason
	for _, f := range fs {
		got = append(got, f.Reason)
	}
	assert.Equal(t, []Reason{DropAfterHandoff, AboveExpected, StageEffort, Repeated}, got)
}

// A finding on a handful of cases is never above low, however large its
// score against a small log; past the handful, the score decides.
func TestGradeCapsAHandful(t *testing.T) {
	d := detector{res: &replay.Result{}, opts: Options{MinCases: 30}}
	d.res.Cases.Total = 40
	assert.Equal(t, Low, d.gradeOf(Finding{Cases: 4, Score: 4}), "4 of 40 would be high by share")
	assert.Equal(t, Low, d.gradeOf(Finding{Cases: 9, Score: 9}))
	assert.Equal(t, High, d.gradeOf(Finding{Cases: 10, Score: 10}))
	d.opts.MinCases = 300
	assert.Equal(t, Low, d.gradeOf(Finding{Cases: 99, Score: 99}), "the handful grows with MinCases")
}

// binomialUpper agrees with the tail summed term by term, and is the
// test that keeps 4 drops where 0.5 were expected from being an outlier
// at z = 3 when the normal approximation says otherwise.
func TestBinomialUpper(t *testing.T) {
	direct := func(k, n int64, p float64) float64 {
		s := 0.0
		for x := k; x <= n; x++ {
			lc, _ := math.Lgamma(float64(n) + 1)
			a, _ := math.Lgamma(float64(x) + 1)
			b, _ := math.Lgamma(float64(n-x) + 1)
			s += math.Exp(lc - a - b + float64(x)*math.Log(p) + float64(n-x)*math.Log1p(-p))
		}
		return s
	}
	for _, c := range []struct {
		k, n int64
		p    float64
	}{{4, 40, 0.0125}, {0, 10, 0.3}, {10, 10, 0.5}, {30, 200, 0.05}, {120, 1000, 0.1}, {3, 5, 0.9}} {
		assert.InDelta(t, direct(c.k, c.n, c.p), binomialUpper(c.k, c.n, c.p), 1e-9, "%+v", c)
	}
	// 4 of 40 against a rest of 1.25%: z is 3.8, but the exact tail is
	// 0.0016, above the 0.00135 that z = 3 stands for.
	assert.Greater(t, twoProportionZ(4, 40, 25, 2000), 3.0)
	assert.Greater(t, binomialUpper(4, 40, 0.0125), normalCDF(-3))
	assert.Equal(t, 0.0, binomialUpper(5, 4, 0.5))
	assert.Equal(t, 1.0, binomialUpper(0, 4, 0.5))
}
