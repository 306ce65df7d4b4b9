package exact

import (
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func shapes(rng *rand.Rand) map[string]func(n int) []int64 {
	return map[string]func(n int) []int64{
		"random": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = rng.Int64N(1e15)
			}
			return s
		},
		"few values": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = rng.Int64N(3)
			}
			return s
		},
		"sorted": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = int64(i)
			}
			return s
		},
		"reversed": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = int64(n - i)
			}
			return s
		},
		"equal": func(n int) []int64 { return slices.Repeat([]int64{7}, n) },
		// Whole seconds, as most logs' steps are.
		"seconds": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = rng.Int64N(86400) * 1e9
			}
			return s
		},
		// A few values far from the rest: the rest share one group of the
		// top bits, which must be counted again by the next bits.
		"outliers": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = rng.Int64N(1000)
			}
			s[0], s[n-1] = math.MaxInt64, math.MinInt64
			return s
		},
		"extremes": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = []int64{math.MinInt64, math.MaxInt64, 0, -1, 1, math.MinInt64 + 1}[rng.IntN(6)]
			}
			return s
		},
		"organ pipe": func(n int) []int64 {
			s := make([]int64, n)
			for i := range s {
				s[i] = int64(min(i, n-i))
			}
			return s
		},
	}
}

var sizes = []int{1, 2, 3, 16, 17, 18, 100, 1001, 4096, 20000}

// MedianSeconds selects instead of sorting; it must give what sorting
// gives, on any input, including the orders that defeat a naive
// quickselect, and lose no value.
func TestMedianMatchesSorting(t *testing.T) {
	for name, shape := range shapes(rand.New(rand.NewPCG(3, 4))) {
		for _, n := range sizes {
			x := shape(n)
			s := slices.Clone(x)
			slices.Sort(s)
			want := Seconds(s[n/2])
			if n%2 == 0 {
				want = (Seconds(s[n/2-1]) + Seconds(s[n/2])) / 2
			}
			if got := MedianSeconds(x); got != want {
				t.Errorf("%s, n=%d: median %v, want %v", name, n, got, want)
			}
			slices.Sort(x)
			if !slices.Equal(x, s) {
				t.Errorf("%s, n=%d: median lost or changed values", name, n)
			}
		}
	}
}

// FuzzMedian: on any values, MedianSeconds is sorting's middle value (or
// the mean of the middle two), and x keeps its values.
func FuzzMedian(f *testing.F) {
	f.Add([]byte{1, 2, 3}, uint8(70))
	f.Add([]byte{0xff, 0, 0x80}, uint8(200))
	f.Fuzz(func(t *testing.T, seed []byte, n uint8) {
		if len(seed) == 0 || n == 0 {
			return
		}
		// n values from the seed's bytes, spread to every bit of an int64.
		x := make([]int64, n)
		for i := range x {
			b := seed[i%len(seed)]
			x[i] = int64(uint64(b)*0x0101010101010101>>(b%64)) * int64(1-2*(i%2))
		}
		s := slices.Clone(x)
		slices.Sort(s)
		want := Seconds(s[len(s)/2])
		if len(s)%2 == 0 {
			want = (Seconds(s[len(s)/2-1]) + Seconds(s[len(s)/2])) / 2
		}
		if got := MedianSeconds(x); got != want {
			t.Fatalf("median %v, want %v", got, want)
		}
		slices.Sort(x)
		if !slices.Equal(x, s) {
			t.Fatal("median lost or changed values")
		}
	})
}

// Quantile is numpy's linear interpolation over the sorted values.
func TestQuantileMatchesSorting(t *testing.T) {
	for name, shape := range shapes(rand.New(rand.NewPCG(5, 6))) {
		for _, n := range sizes {
			for _, q := range []float64{0, 0.1, 0.5, 0.9, 0.95, 1} {
				x := shape(n)
				s := slices.Clone(x)
				slices.Sort(s)
				pos := q * float64(n-1)
				lo := int(math.Floor(pos))
				hi := min(lo+1, n-1)
				want := s[lo] + int64((pos-float64(lo))*float64(s[hi]-s[lo]))
				if got := Quantile(x, q); got != want {
					t.Errorf("%s, n=%d, q=%v: %v, want %v", name, n, q, got, want)
				}
			}
		}
	}
}

// A Sum is exact: no order of the values, and no split into merged
// parts, changes it, even where float sums would lose the small values
// next to the big ones.
func TestSumExact(t *testing.T) {
	x := []int64{math.MaxInt64, 1, math.MaxInt64, 1, 3}
	want := new(big.Float).SetInt(new(big.Int).Add(new(big.Int).Mul(big.NewInt(math.MaxInt64), big.NewInt(2)), big.NewInt(5)))
	w, _ := want.Quo(want, big.NewFloat(5e9)).Float64()
	assert.Equal(t, w, MeanSeconds(x))

	small := append(slices.Repeat([]int64{1}, 1000), 1<<62)
	a := MeanSeconds(small)
	slices.Reverse(small)
	assert.Equal(t, a, MeanSeconds(small))

	var whole, left, right Sum
	for i, v := range small {
		whole.Add(v)
		if i%3 == 0 {
			left.Add(v)
		} else {
			right.Add(v)
		}
	}
	left.Merge(right)
	assert.Equal(t, whole, left)
	q, ok := whole.Quo(int64(len(small)))
	assert.True(t, ok)
	assert.Equal(t, int64((1<<62+1000)/1001), q)

	var neg Sum
	neg.Add(-5)
	neg.Add(3)
	assert.Equal(t, -2.0, neg.Float())
	_, ok = neg.Quo(1)
	assert.False(t, ok, "a negative sum has no unsigned quotient")
}
