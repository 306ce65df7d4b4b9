package render

import (
	"cmp"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/friction"
)

// AsIs returns r to be drawn as the as-is journey of a log (what
// `journeymap discover` draws): the same map and numbers, titled as the
// log's journey, with no findings, no checks and no what-if: a picture of
// what customers did, not a judgement of it. r is not changed.
func AsIs(r *friction.Report) *friction.Report {
	c := *r
	c.AsIs = true
	c.Findings, c.Insufficient, c.Recoverable, c.Measures = nil, nil, nil, nil
	return &c
}

// Coverage levels of the map's "steps that carry N% of the traffic"
// control, in percent; 100 shows every step.
var coverageLevels = []int{50, 80, 90, 95, 100}

// denseEdges is how many observed steps make a map dense enough to offer
// the coverage control.
const denseEdges = 30

// coverageTiers gives each transition the lowest coverage level at which
// it shows: the steps sorted by traffic (most first, ties in from-to
// order) are taken until they carry the level's share of all steps, and
// a step shows from the first level that needs it. Steps never taken show
// only with every step (100). O(T log T) for T transitions.
func coverageTiers(ts []friction.TransitionReport) []int {
	order := make([]int, len(ts))
	var total int64
	for i, t := range ts {
		order[i] = i
		total += t.Steps
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(ts[b].Steps, ts[a].Steps), cmp.Compare(ts[a].From, ts[b].From), cmp.Compare(ts[a].To, ts[b].To))
	})
	tier := make([]int, len(ts))
	var before int64
	for _, i := range order {
		tier[i] = 100
		if ts[i].Steps > 0 {
			for _, lv := range coverageLevels {
				if before*100 < int64(lv)*total { // the level still needs this step
					tier[i] = lv
					break
				}
			}
		}
		before += ts[i].Steps
	}
	return tier
}

// heading is a report's title: "Journey friction: NAME", or for the
// as-is map "As-is journey: NAME" (NAME alone where it says so already,
// as discover's drafts do).
func heading(r *friction.Report) string {
	if !r.AsIs {
		return "Journey friction: " + r.Journey.Name
	}
	if strings.HasPrefix(strings.ToLower(r.Journey.Name), "as-is") {
		return r.Journey.Name
	}
	return "As-is journey: " + r.Journey.Name
}
