// Package exact computes the means and medians journeymap reports the way
// PM4Py and numpy define them, and so that no order of the samples, and
// no split of them into parts merged later, changes a figure.
//
// A Sum adds int64 nanoseconds in 128 bits: exact for any 2^63 samples,
// where a float64 sum would lose the small ones next to the large ones
// and depend on their order. Select is quickselect (expected O(n), with a
// sort finishing small ranges and any range that has not shrunk after
// 2·log2(n) rounds, so O(n log n) at worst); MedianSeconds and Quantile
// use it instead of sorting. Replay's Durations and discovery's edges
// and cases both count through this package.
package exact

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
)

// Sum is an exact sum of int64 values. The zero value is 0.
type Sum struct {
	hi int64
	lo uint64
}

// Add adds v.
func (s *Sum) Add(v int64) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(v), 0)
	s.hi += v>>63 + int64(carry)
}

// Merge adds o.
func (s *Sum) Merge(o Sum) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, o.lo, 0)
	s.hi += o.hi + int64(carry)
}

// Float is the sum as a float64.
func (s Sum) Float() float64 {
	if s.hi == -1 && s.lo >= 1<<63 { // a small negative sum: the formula below would cancel it away
		return float64(int64(s.lo))
	}
	return float64(s.hi)*(1<<64) + float64(s.lo)
}

// Quo is the sum divided by n > 0, rounded down, for a sum that is not
// negative; ok is false when the quotient does not fit an int64.
func (s Sum) Quo(n int64) (q int64, ok bool) {
	if s.hi < 0 || uint64(s.hi) >= uint64(n) {
		return 0, false
	}
	u, _ := bits.Div64(uint64(s.hi), s.lo, uint64(n))
	if u > math.MaxInt64 {
		return 0, false
	}
	return int64(u), true
}

// Seconds converts nanoseconds to seconds.
func Seconds(ns int64) float64 { return float64(ns) / 1e9 }

// MeanSeconds is the mean of x (nanoseconds, at least one) in seconds,
// from an exact sum.
func MeanSeconds(x []int64) float64 {
	var s Sum
	for _, v := range x {
		s.Add(v)
	}
	return s.Float() / float64(len(x)) / 1e9
}

// MedianSeconds is the median of x (nanoseconds, at least one) in
// seconds, as numpy computes it over the times in seconds: the middle
// value, or the mean of the two middle ones. It reorders x.
func MedianSeconds(x []int64) float64 {
	n := len(x)
	if n%2 == 1 {
		v, _ := nth(x, n/2)
		return Seconds(v)
	}
	a, b := nth(x, n/2-1)
	return (Seconds(a) + Seconds(b)) / 2
}

// radixBits is how many of the values' top bits nth counts at a time:
// 2^11 counts fit in a core's first-level cache.
const radixBits = 11

// nth returns the values sorting x would put at k and at k+1 (at k again
// if k is the last), reordering x. It counts the values by their top bits
// (below the bits all of them share) to find the group that holds the
// k'th, and moves that group to the front to look only at it: a few
// reads of x a round, with no comparison a branch predictor can miss,
// where quickselect's partitions miss one time in two on values in no
// order. O(len(x)) time, at most 64/radixBits rounds.
func nth(x []int64, k int) (int64, int64) {
	for len(x) > 64 {
		lo, hi := x[0], x[0]
		for _, v := range x {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo == hi {
			return lo, lo
		}
		// Values as offsets from lo (in uint64: any two int64s differ by
		// less than 2^64), grouped by the offsets' top radixBits bits.
		base := uint64(lo)
		shift := max(bits.Len64(uint64(hi)-base)-radixBits, 0)
		var count [1 << radixBits]int
		for _, v := range x {
			count[(uint64(v)-base)>>shift]++
		}
		g, before := 0, 0 // k's group, and how many values come before it
		for before+count[g] <= k {
			before += count[g]
			g++
		}
		g2 := g // k+1's
		if k+1 < len(x) && before+count[g] == k+1 {
			for g2 = g + 1; count[g2] == 0; g2++ {
			}
		}
		if shift == 0 { // a group is one value
			return int64(base + uint64(g)), int64(base + uint64(g2))
		}
		if g2 != g { // the k'th is its group's greatest, the next the next group's least
			a, b := int64(math.MinInt64), int64(math.MaxInt64)
			for _, v := range x {
				switch (uint64(v) - base) >> shift {
				case uint64(g):
					a = max(a, v)
				case uint64(g2):
					b = min(b, v)
				}
			}
			return a, b
		}
		j := 0
		for i, v := range x {
			if (uint64(v)-base)>>shift == uint64(g) {
				x[i], x[j] = x[j], v
				j++
			}
		}
		x, k = x[:j], k-before
	}
	Select(x, k)
	if k+1 < len(x) {
		return x[k], slices.Min(x[k+1:])
	}
	return x[k], x[k]
}

// Quantile is the q-quantile (0 <= q <= 1) of x (at least one),
// interpolating between the two nearest values as numpy's default
// ("linear") method does. It reorders x.
func Quantile[T ~int64](x []T, q float64) T {
	pos := q * float64(len(x)-1)
	lo := int(math.Floor(pos))
	Select(x, lo)
	if lo+1 >= len(x) {
		return x[lo]
	}
	hi := slices.Min(x[lo+1:])
	return x[lo] + T((pos-float64(lo))*float64(hi-x[lo]))
}

// Select reorders s so that s[k] is what sorting s would put there, with
// nothing greater before it and nothing smaller after it (quickselect
// with a median-of-three pivot).
func Select[T cmp.Ordered](s []T, k int) {
	lo, hi := 0, len(s)-1
	budget := 2 * bits.Len(uint(len(s)))
	for hi-lo > 16 {
		if budget == 0 {
			break
		}
		budget--
		m := lo + (hi-lo)/2
		if s[m] < s[lo] {
			s[m], s[lo] = s[lo], s[m]
		}
		if s[hi] < s[lo] {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if s[hi] < s[m] {
			s[hi], s[m] = s[m], s[hi]
		}
		p := s[m]
		i, j := lo, hi
		for i <= j {
			for s[i] < p {
				i++
			}
			for s[j] > p {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return // j < k < i: s[k] equals the pivot, in place
		}
	}
	slices.Sort(s[lo : hi+1])
}

// Parts are the sum's high and low 64 bits, for encoding; SumOf makes
// the Sum back.
func (s Sum) Parts() (hi int64, lo uint64) { return s.hi, s.lo }

// SumOf is the Sum whose Parts are hi and lo.
func SumOf(hi int64, lo uint64) Sum { return Sum{hi: hi, lo: lo} }
