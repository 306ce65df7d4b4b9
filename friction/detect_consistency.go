package friction

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/internal/prose"
)

// effortDim is one dimension of stage effort: its name, the earlier and
// later stage's mean per case, and the smallest difference that counts.
type effortDim struct {
	name           string
	earlier, later float64
	minDelta       float64
}

// consistency compares the stage pairs the journey declares should feel
// alike: the later stage must not cost far more effort (stage_effort) nor
// force customers off the channel they used before (forced_channel_switch).
func (d *detector) consistency() {
	minCases := int64(d.opts.MinCases)
	for k, pair := range d.j.Consistency() {
		ei, li := d.j.StageIndex(pair[0]), d.j.StageIndex(pair[1])
		es, ls := &d.res.Stages[ei], &d.res.Stages[li]
		if es.Cases < minCases || ls.Cases < minCases {
			continue
		}
		e, l := d.report.Stages[ei].Effort, d.report.Stages[li].Effort
		dims := []effortDim{
			{"steps", e.Steps, l.Steps, 1},
			{"contacts", e.Contacts, l.Contacts, 1},
			{"handoffs", e.Handoffs, l.Handoffs, 0.5},
			{"channel_switches", e.ChannelSwitches, l.ChannelSwitches, 0.5},
			{"elapsed_median_h", e.ElapsedMedS / 3600, l.ElapsedMedS / 3600, 1},
		}
		if _, n1 := meanCES(&es.Scores); n1 >= minCases {
			if _, n2 := meanCES(&ls.Scores); n2 >= minCases {
				dims = append(dims, effortDim{"ces", e.CES, l.CES, 1})
			}
		}
		var worse []string
		ev := map[string]any{"earlier_stage": pair[0], "later_stage": pair[1], "earlier_cases": es.Cases, "later_cases": ls.Cases, "scope": "stage"}
		for _, dm := range dims {
			ev[dm.name] = [2]float64{round(dm.earlier, 2), round(dm.later, 2)}
			if dm.later-dm.earlier >= dm.minDelta && dm.later >= d.opts.EffortRatio*dm.earlier {
				worse = append(worse, dm.name)
			}
		}
		ev["worse_on"] = worse
		en, ln := d.stageName(pair[0]), d.stageName(pair[1])
		// Three dimensions at least: handoffs and channel switches often
		// count the same step twice, and a later stage may rightly involve
		// another team.
		if len(worse) >= 3 {
			d.add(Finding{
				Kind: InconsistentHandoff, Reason: StageEffort, Stage: pair[1], Touchpoints: d.busiestHandoffs(li), Cases: ls.Cases,
				Score:          weights[StageEffort] * float64(ls.Cases) * float64(len(worse)),
				Summary:        fmt.Sprintf("%q costs customers far more than %q: %s per customer.", ln, en, effortWords(dims, worse)),
				Recommendation: fmt.Sprintf("Design %q to the standard of %q: one owner, fewer handoffs, and the channel the customer started on.", ln, en),
				Evidence:       ev,
			})
		}
		d.forcedSwitch(k, pair, li)
	}
}

func (d *detector) stageName(id string) string {
	s, _ := d.j.Stage(id)
	return s.DisplayName()
}

func effortWords(dims []effortDim, worse []string) string {
	var parts []string
	for _, dm := range dims {
		if !slices.Contains(worse, dm.name) {
			continue
		}
		name := strings.ReplaceAll(strings.TrimSuffix(dm.name, "_median_h"), "_", " ")
		if dm.name == "elapsed_median_h" {
			parts = append(parts, fmt.Sprintf("%s elapsed against %s", prose.Seconds(dm.later*3600), prose.Seconds(dm.earlier*3600)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%.1f %s against %.1f", dm.later, name, dm.earlier))
	}
	return strings.Join(parts, ", ")
}

// busiestHandoffs lists the touchpoints of the later stage at the ends of
// its most-used handoffs, most first (at most four).
func (d *detector) busiestHandoffs(stage int) []string {
	counts := map[int32]int64{}
	for _, tr := range d.res.Transitions {
		if tr.Handoffs == 0 {
			continue
		}
		for _, t := range []int32{tr.From, tr.To} {
			if d.j.StageIndexOf(int(t)) == stage {
				counts[t] += tr.Handoffs
			}
		}
	}
	idx := make([]int32, 0, len(counts))
	for t := range counts {
		idx = append(idx, t)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if counts[a] != counts[b] {
			return int(counts[b] - counts[a])
		}
		return int(a - b)
	})
	var ids []string
	for _, t := range idx[:min(4, len(idx))] {
		ids = append(ids, d.tps[t].ID)
	}
	return ids
}

// forcedSwitch: customers did the earlier stage mostly on a channel that
// the later stage offers no touchpoint on.
func (d *detector) forcedSwitch(k int, pair [2]string, li int) {
	laterChannels := map[string]bool{}
	for i, t := range d.tps {
		if d.j.StageIndexOf(i) == li {
			laterChannels[t.Channel] = true
		}
	}
	both, byMain := d.res.ChannelConsistency(k)
	forced := map[string]int64{}
	for ch, n := range byMain {
		if ch != "" && !laterChannels[ch] {
			forced[ch] = n
		}
	}
	for _, ch := range slices.Sorted(maps.Keys(forced)) {
		n := forced[ch]
		if n < int64(d.opts.MinCases) || rate(n, both) < 0.5 {
			continue
		}
		var offered []string
		for c := range laterChannels {
			if c != "" {
				offered = append(offered, c)
			}
		}
		slices.Sort(offered)
		en, ln := d.stageName(pair[0]), d.stageName(pair[1])
		d.add(Finding{
			Kind: InconsistentHandoff, Reason: ForcedChannelSwitch, Stage: pair[1], Touchpoints: d.stageTouchpoints(li), Cases: n,
			Score:          weights[ForcedChannelSwitch] * float64(n),
			Summary:        fmt.Sprintf("%d customers (%s) did %q mostly on %s, but %q offers no %s touchpoint: they must switch to %s.", n, prose.Percent(rate(n, both)), en, ch, ln, ch, strings.Join(offered, ", ")),
			Recommendation: fmt.Sprintf("Offer %q on %s, where these customers already are.", ln, ch),
			Evidence:       map[string]any{"channel": ch, "forced_cases": n, "cases_in_both_stages": both, "later_stage_channels": offered, "scope": "stage"},
		})
	}
}

func (d *detector) stageTouchpoints(stage int) []string {
	var ids []string
	for i, t := range d.tps {
		if d.j.StageIndexOf(i) == stage {
			ids = append(ids, t.ID)
		}
	}
	return ids
}
