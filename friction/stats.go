package friction

import "math"

// z95 is the normal quantile of a two-sided 95% interval; z90 of a
// two-sided 90% one, that is, a one-sided 95% test.
const (
	z95 = 1.959964
	z90 = 1.644854
)

// Wilson returns the Wilson score 95% interval of k successes in n trials:
// unlike the textbook p ± z·se it stays inside [0, 1] and is honest for
// small n and rates near 0 or 1.
func Wilson(k, n int64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	p := float64(k) / float64(n)
	nn := float64(n)
	z2 := z95 * z95
	den := 1 + z2/nn
	center := (p + z2/(2*nn)) / den
	half := z95 * math.Sqrt(p*(1-p)/nn+z2/(4*nn*nn)) / den
	return math.Max(0, center-half), math.Min(1, center+half)
}

// twoProportionZ is the z statistic of k1/n1 against k2/n2 (pooled
// variance); positive when the first rate is higher.
func twoProportionZ(k1, n1, k2, n2 int64) float64 {
	if n1 == 0 || n2 == 0 {
		return 0
	}
	p1, p2 := float64(k1)/float64(n1), float64(k2)/float64(n2)
	p := float64(k1+k2) / float64(n1+n2)
	se := math.Sqrt(p * (1 - p) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 0
	}
	return (p1 - p2) / se
}

// normalCDF is Φ(z).
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// normalQuantile is the inverse of normalCDF, for 0 < p < 1.
func normalQuantile(p float64) float64 { return math.Sqrt2 * math.Erfinv(2*p-1) }

func rate(k, n int64) float64 {
	if n <= 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// round keeps d decimals, so reports do not show float noise.
func round(x float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(x*p) / p
}

// binomialUpper is P(X >= k) for X ~ Binomial(n, p): the exact one-sided
// p-value of k successes or more. It sums the tail's terms from k up,
// in logs, until they no longer count: O(n - k) at worst, and a few
// dozen terms where k is well above n·p.
func binomialUpper(k, n int64, p float64) float64 {
	switch {
	case k <= 0:
		return 1
	case k > n:
		return 0
	case p <= 0:
		return 0
	case p >= 1:
		return 1
	}
	lg := func(x int64) float64 { v, _ := math.Lgamma(float64(x) + 1); return v }
	lp, lq := math.Log(p), math.Log1p(-p)
	term := lg(n) - lg(k) - lg(n-k) + float64(k)*lp + float64(n-k)*lq
	sum := 0.0
	mode := float64(n) * p
	for x := k; x <= n; x++ {
		t := math.Exp(term)
		sum += t
		if float64(x) > mode && t < sum*1e-12 {
			break
		}
		// term(x+1) = term(x) · (n-x)/(x+1) · p/q
		term += math.Log(float64(n-x)) - math.Log(float64(x+1)) + lp - lq
	}
	return math.Min(1, sum)
}
