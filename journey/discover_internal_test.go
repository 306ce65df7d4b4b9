package journey

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// median selects instead of sorting; it must give what sorting gives, on
// any input, including the orders that defeat a naive quickselect.
func TestMedianMatchesSorting(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := map[string]func(n int) []float64{
		"random": func(n int) []float64 {
			s := make([]float64, n)
			for i := range s {
				s[i] = rng.Float64() * 1e6
			}
			return s
		},
		"few values": func(n int) []float64 {
			s := make([]float64, n)
			for i := range s {
				s[i] = float64(rng.IntN(3))
			}
			return s
		},
		"sorted": func(n int) []float64 {
			s := make([]float64, n)
			for i := range s {
				s[i] = float64(i)
			}
			return s
		},
		"reversed": func(n int) []float64 {
			s := make([]float64, n)
			for i := range s {
				s[i] = float64(n - i)
			}
			return s
		},
		"equal": func(n int) []float64 { return slices.Repeat([]float64{7}, n) },
		"organ pipe": func(n int) []float64 {
			s := make([]float64, n)
			for i := range s {
				s[i] = float64(min(i, n-i))
			}
			return s
		},
	}
	for name, shape := range shapes {
		for _, n := range []int{1, 2, 3, 16, 17, 18, 100, 1001, 4096, 20000} {
			x := shape(n)
			s := slices.Clone(x)
			slices.Sort(s)
			want := s[n/2]
			if n%2 == 0 {
				want = (s[n/2-1] + s[n/2]) / 2
			}
			if got := median(x); got != want {
				t.Errorf("%s, n=%d: median %v, want %v", name, n, got, want)
			}
			slices.Sort(x)
			if !slices.Equal(x, s) {
				t.Errorf("%s, n=%d: median lost or changed values", name, n)
			}
		}
	}
}
