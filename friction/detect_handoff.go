package friction

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/internal/prose"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// handoffs examines every observed step on which owner or channel changed.
func (d *detector) handoffs() {
	minCases := int64(d.opts.MinCases)
	keys := d.keys

	// Baselines: drop-off right after a step that is not a handoff, into
	// each stage and in all, and the cases leaving each touchpoint.
	var plainDrop, plainCases int64
	stageDrop := make([]int64, len(d.j.Stages()))
	stageCases := make([]int64, len(d.j.Stages()))
	leaving := map[int32]int64{}
	// Arrivals at each touchpoint by any step from elsewhere, and the
	// cases whose last step that was and who dropped there.
	arrived, droppedAfter := map[int32]int64{}, map[int32]int64{}
	for _, k := range keys {
		tr := d.res.Transitions[k]
		if tr.From != tr.To {
			arrived[tr.To] += tr.Cases
			droppedAfter[tr.To] += tr.DropAfter
		}
		if tr.Handoffs == 0 {
			plainDrop += tr.DropAfter
			plainCases += tr.Cases
			si := d.j.StageIndexOf(int(tr.To))
			stageDrop[si] += tr.DropAfter
			stageCases[si] += tr.Cases
		}
		if tr.From != tr.To {
			leaving[tr.From] += tr.Cases
		}
	}
	pingPongDone := map[[2]int32]bool{}
	var bounces []Finding
	for _, k := range keys {
		tr := d.res.Transitions[k]
		if tr.Handoffs == 0 || tr.From == tr.To {
			continue
		}
		from, to := d.tps[tr.From], d.tps[tr.To]
		ids := []string{from.ID, to.ID}
		what := handoffWords(from.Owner, to.Owner, from.Channel, to.Channel)

		// ping_pong, once per pair of touchpoints.
		pair := [2]int32{min(tr.From, tr.To), max(tr.From, tr.To)}
		if !pingPongDone[pair] && tr.Cases >= minCases {
			back := d.res.Transitions[[2]int32{tr.To, tr.From}]
			pp, cases, owner := tr.PingPongCases, tr.Cases, false
			if tr.OwnerPingPongCases > pp {
				pp, owner = tr.OwnerPingPongCases, true
			}
			share := rate(pp, cases)
			lo, hi := Wilson(pp, cases)
			d.measure(keyOf(InconsistentHandoff, PingPong, ids...), pp, cases)
			if share >= d.opts.PingPongShare && lo >= d.opts.PingPongShare/2 && pp >= minCases {
				pingPongDone[pair] = true
				ev := map[string]any{"cases_handed_over": cases, "cases_back": pp, "share": round(share, 4), "ci95": [2]float64{round(lo, 4), round(hi, 4)}, "level": "touchpoint"}
				if owner {
					ev["level"] = "owner"
				}
				if back != nil {
					ev["steps_back"] = back.Count
				}
				bounce := fmt.Sprintf("back to %q", from.DisplayName())
				if owner && from.Owner != "" {
					bounce = fmt.Sprintf("back to %s", from.Owner)
				}
				bounces = append(bounces, Finding{
					Kind: InconsistentHandoff, Reason: PingPong, Touchpoints: ids, Stage: to.Stage, Cases: pp,
					Score:          weights[PingPong] * float64(pp),
					Summary:        fmt.Sprintf("%d of %d customers handed from %q to %q (%s) are sent %s later: they bounce between the two.", pp, cases, from.DisplayName(), to.DisplayName(), what, bounce),
					Recommendation: fmt.Sprintf("Give %q the authority and information to finish what customers come for, so they are not sent back to %q; agree one owner for the case.", to.DisplayName(), from.DisplayName()),
					Evidence:       ev,
				})
			}
		}

		// slow_handoff: the median wait is over max_wait, surely: more than
		// half of the waits exceed it, by a sign test at 95% (the Wilson
		// lower bound of the share over it is above one half).
		maxWait := d.j.Settings().MaxWait
		if t, ok := d.j.Transition(from.ID, to.ID); ok && t.Expect.MaxWait > 0 {
			maxWait = t.Expect.MaxWait
		}
		if maxWait > 0 && tr.Count >= minCases {
			over := tr.Wait.CountAbove(maxWait)
			d.measure(keyOf(InconsistentHandoff, SlowHandoff, ids...), over, tr.Count)
			if lo, _ := Wilson(over, tr.Count); lo > 0.5 {
				med := tr.Wait.Median()
				excessHours := (med - maxWait).Hours()
				rec := fmt.Sprintf("Set a service level for the handover from %s to %s and track it; tell customers when to expect the next step.", orNone(from.Owner), orNone(to.Owner))
				if from.Owner == to.Owner {
					rec = fmt.Sprintf("Set a service level for the step from %q to %q (%s owns both) and track it; tell customers when to expect the next step.", from.DisplayName(), to.DisplayName(), orNone(from.Owner))
				}
				d.add(Finding{
					Kind: InconsistentHandoff, Reason: SlowHandoff, Touchpoints: ids, Stage: to.Stage, Cases: tr.Cases,
					Score:          weights[SlowHandoff] * float64(tr.Cases) * math.Min(2, 1+excessHours/maxWait.Hours()),
					Summary:        fmt.Sprintf("Customers wait a median %s between %q and %q (%s), over the %s allowed: %s of the waits are longer.", prose.Seconds(med.Seconds()), from.DisplayName(), to.DisplayName(), what, journey.FormatDuration(maxWait), prose.Percent(rate(over, tr.Count))),
					Recommendation: rec,
					Evidence:       map[string]any{"steps": tr.Count, "median_wait_s": secs(med), "p90_wait_s": secs(tr.Wait.Quantile(0.9)), "max_wait_s": secs(maxWait), "waits_over": over},
				})
			}
		}

		// score_drop: CSAT falls, or CES rises, across the handoff, by at
		// least ScoreDrop points and beyond noise (Welch's z over 1.96).
		if !d.scoreDrop(tr, ids, what, "CSAT", tr.ScoresBefore.CSAT[:], tr.ScoresAfter.CSAT[:]) {
			d.scoreDrop(tr, ids, what, "CES", tr.ScoresBefore.CES[:], tr.ScoresAfter.CES[:])
		}

		// drop_after_handoff: customers who arrive by this handoff give up
		// right after it significantly more often than those who arrive at
		// the same touchpoint by other routes. Otherwise the drop-off is the
		// touchpoint's, and its finding lists the routes in.
		otherDrop, otherCases := droppedAfter[tr.To]-tr.DropAfter, arrived[tr.To]-tr.Cases
		if tr.Cases >= minCases && otherCases >= minCases {
			d.measure(keyOf(InconsistentHandoff, DropAfterHandoff, ids...), tr.DropAfter, tr.Cases)
		}
		if tr.Cases >= minCases && tr.DropAfter >= max(10, minCases/2) && otherCases >= minCases {
			r, base := rate(tr.DropAfter, tr.Cases), rate(otherDrop, otherCases)
			z := twoProportionZ(tr.DropAfter, tr.Cases, otherDrop, otherCases)
			if z >= d.opts.OutlierZ && r >= 2*base && r-base >= 0.05 {
				lo, hi := Wilson(tr.DropAfter, tr.Cases)
				d.add(Finding{
					Kind: InconsistentHandoff, Reason: DropAfterHandoff, Touchpoints: ids, Stage: to.Stage, Cases: tr.DropAfter,
					Score:          float64(tr.DropAfter) - float64(tr.Cases)*base,
					Summary:        fmt.Sprintf("%d of %d customers handed from %q to %q (%s) give up right there: %s, against %s of those who reach %q another way.", tr.DropAfter, tr.Cases, from.DisplayName(), to.DisplayName(), what, prose.Percent(r), prose.Percent(base), to.DisplayName()),
					Recommendation: fmt.Sprintf("Make the move to %q a warm handover: pass the case with its context, and contact customers who go silent after it.", to.DisplayName()),
					Evidence:       map[string]any{"cases": tr.Cases, "dropped_after": tr.DropAfter, "rate": round(r, 4), "ci95": [2]float64{round(lo, 4), round(hi, 4)}, "other_routes_rate": round(base, 4), "other_routes_cases": otherCases, "z": round(z, 2)},
				})
			}
		}

		// undesigned: customers find their own way.
		if !tr.Designed && tr.Cases >= minCases {
			share := rate(tr.Cases, leaving[tr.From])
			d.measure(keyOf(InconsistentHandoff, Undesigned, ids...), tr.Cases, leaving[tr.From])
			if share >= d.opts.UndesignedShare {
				d.add(Finding{
					Kind: InconsistentHandoff, Reason: Undesigned, Touchpoints: ids, Stage: to.Stage, Cases: tr.Cases,
					Score:          weights[Undesigned] * float64(tr.Cases),
					Summary:        fmt.Sprintf("%d customers (%s of those leaving %q) go from there to %q (%s), a handoff the journey does not design.", tr.Cases, prose.Percent(share), from.DisplayName(), to.DisplayName(), what),
					Recommendation: fmt.Sprintf("Either design the step from %q to %q (who owns it, what is passed on) or fix what sends customers there.", from.DisplayName(), to.DisplayName()),
					Evidence:       map[string]any{"cases": tr.Cases, "steps": tr.Count, "share_of_leaving": round(share, 4), "median_wait_s": secs(tr.Wait.Median())},
				})
			}
		}
	}
	d.oneBouncePerPair(bounces)
}

// oneBouncePerPair adds the ping-pong findings, one per pair of teams: a
// bounce between two owners is one finding, the largest, however many
// pairs of their touchpoints it shows between (the others are listed in
// its evidence). A bounce within one team, across channels, is one per
// pair of touchpoints.
func (d *detector) oneBouncePerPair(bounces []Finding) {
	slices.SortStableFunc(bounces, func(a, b Finding) int { return cmp.Or(cmp.Compare(b.Cases, a.Cases), cmp.Compare(a.Key(), b.Key())) })
	kept := map[[2]string]*Finding{}
	var order [][2]string
	for _, f := range bounces {
		a, _ := d.j.Touchpoint(f.Touchpoints[0])
		b, _ := d.j.Touchpoint(f.Touchpoints[1])
		pair := [2]string{"tp:" + min(a.ID, b.ID), max(a.ID, b.ID)}
		if a.Owner != b.Owner {
			pair = [2]string{"owner:" + min(a.Owner, b.Owner), max(a.Owner, b.Owner)}
		}
		if k := kept[pair]; k != nil {
			also, _ := k.Evidence["also_between"].([][2]string)
			k.Evidence["also_between"] = append(also, [2]string{f.Touchpoints[0], f.Touchpoints[1]})
			continue
		}
		f := f
		kept[pair] = &f
		order = append(order, pair)
	}
	for _, p := range order {
		f := kept[p]
		if also, ok := f.Evidence["also_between"].([][2]string); ok {
			var names []string
			for _, a := range also {
				x, _ := d.j.Touchpoint(a[0])
				y, _ := d.j.Touchpoint(a[1])
				names = append(names, fmt.Sprintf("%q and %q", x.DisplayName(), y.DisplayName()))
			}
			f.Summary += fmt.Sprintf(" The same two teams bounce customers between %s too.", strings.Join(names, ", "))
		}
		d.add(*f)
	}
}

// scoreDrop raises score_drop when the mean of metric falls (CSAT) or
// rises (CES) across the handoff by at least ScoreDrop points, and by
// Welch's test beyond noise; it reports whether it did.
func (d *detector) scoreDrop(tr *replay.TransitionStats, ids []string, what, metric string, distBefore, distAfter []int64) bool {
	minCases := int64(d.opts.MinCases)
	before, nb := meanOf(distBefore, 1)
	after, na := meanOf(distAfter, 1)
	if nb < minCases || na < minCases {
		return false
	}
	worse := before - after // CSAT: lower is worse
	low := countAtMost(distAfter, 1, 3)
	if metric == "CES" {
		worse = after - before // CES: higher is more effort
		low = na - countAtMost(distAfter, 1, 4)
	}
	d.measure(keyOf(InconsistentHandoff, ScoreDrop, ids...), low, na)
	se := math.Sqrt(varianceOf(distBefore, 1)/float64(nb) + varianceOf(distAfter, 1)/float64(na))
	if worse < d.opts.ScoreDrop || se > 0 && worse/se < z95 {
		return false
	}
	from, to := d.tps[tr.From], d.tps[tr.To]
	word := "falls"
	if metric == "CES" {
		word = "rises (more effort)"
	}
	d.add(Finding{
		Kind: InconsistentHandoff, Reason: ScoreDrop, Touchpoints: ids, Stage: to.Stage, Cases: tr.Cases,
		Score:          weights[ScoreDrop] * float64(tr.Cases) * math.Abs(after-before),
		Summary:        fmt.Sprintf("Mean %s %s from %.1f to %.1f when customers are handed from %q to %q (%s).", metric, word, before, after, from.DisplayName(), to.DisplayName(), what),
		Recommendation: fmt.Sprintf("Read the comments behind the %s answers at %q and fix what the handover loses.", metric, to.DisplayName()),
		Evidence:       map[string]any{"metric": metric, "before": round(before, 2), "after": round(after, 2), "answers_before": nb, "answers_after": na},
	})
	return true
}

func handoffWords(fromOwner, toOwner, fromCh, toCh string) string {
	var parts []string
	if fromOwner != toOwner {
		parts = append(parts, orNone(fromOwner)+" to "+orNone(toOwner))
	}
	if fromCh != toCh {
		parts = append(parts, orNone(fromCh)+" to "+orNone(toCh))
	}
	if len(parts) == 0 {
		return "channel switched by the customer"
	}
	if len(parts) == 2 {
		return parts[0] + ", " + parts[1]
	}
	return parts[0]
}
