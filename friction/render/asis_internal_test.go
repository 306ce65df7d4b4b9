package render

import (
	"fmt"
	"testing"

	"github.com/journeymap/journeymap/friction"
)

// A step shows from the first coverage level that needs it: the busiest
// steps carry each level's share, and no fewer would.
func TestCoverageTiers(t *testing.T) {
	steps := []int64{10, 100, 0, 30, 5, 50}
	var ts []friction.TransitionReport
	for i, s := range steps {
		ts = append(ts, friction.TransitionReport{From: fmt.Sprint("a", i), To: "b", Steps: s})
	}
	got := coverageTiers(ts)
	want := []int{95, 50, 100, 80, 100, 80}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("step of %d: tier %d, want %d (all %v)", steps[i], got[i], want[i], got)
		}
	}
	// The property, on a longer tail.
	ts = ts[:0]
	var total int64
	for i := range 200 {
		s := int64(1000 / (i + 1))
		total += s
		ts = append(ts, friction.TransitionReport{From: fmt.Sprintf("t%03d", i), To: "x", Steps: s})
	}
	got = coverageTiers(ts)
	for _, lv := range coverageLevels {
		var shown, smallest int64 = 0, -1
		for i, tr := range ts {
			if got[i] <= lv {
				shown += tr.Steps
				if smallest < 0 || tr.Steps < smallest {
					smallest = tr.Steps
				}
			}
		}
		if shown*100 < int64(lv)*total {
			t.Errorf("level %d%%: the steps shown carry %d of %d", lv, shown, total)
		}
		if lv < 100 && (shown-smallest)*100 >= int64(lv)*total {
			t.Errorf("level %d%%: shows more steps than it needs", lv)
		}
	}
}
