package replay

import "slices"

// Canonical sorts the exact samples of every distribution in r, so that
// results built by adding the same samples in another order compare equal.
func Canonical(r *Result) *Result {
	norm := func(d *Durations) { slices.Sort(d.exact) }
	r.j = nil     // the same journey on both sides, and too deep to print
	r.trIdx = nil // a cache of Transitions, filled in the order they were met
	norm(&r.Durations)
	norm(&r.Resolution)
	for _, s := range r.Segments {
		Canonical(s)
	}
	for i := range r.Touchpoints {
		norm(&r.Touchpoints[i].Dwell)
		norm(&r.Touchpoints[i].TimeToDrop)
	}
	for _, t := range r.Transitions {
		norm(&t.Wait)
		norm(&t.DropWait)
	}
	for i := range r.Stages {
		norm(&r.Stages[i].Elapsed)
	}
	return r
}
