// Package closest finds the names nearest to a misspelt one, for the
// "did you mean" of an error message.
package closest

import (
	"cmp"
	"slices"
)

// Names returns up to n candidates within a plausible typo of s (one edit
// in a short word, two in a long one, more for a long one), closest first,
// ties in the candidates' order. dist is the distance to use, such as
// EditDistance on normalised forms.
func Names(s string, candidates []string, n int, dist func(a, b string) int) []string {
	type hit struct {
		name string
		d, i int
	}
	limit := 1 + len(s)/4
	var hits []hit
	for i, c := range candidates {
		if d := dist(s, c); c != "" && d <= limit {
			hits = append(hits, hit{c, d, i})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.i, b.i)) })
	var out []string
	for _, h := range hits {
		if len(out) == n {
			break
		}
		if !slices.Contains(out, h.name) {
			out = append(out, h.name)
		}
	}
	return out
}

// EditDistance is the Levenshtein distance between a and b, in bytes:
// O(len(a)·len(b)) time, O(len(b)) memory.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
