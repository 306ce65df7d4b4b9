package friction

import (
	"fmt"
	"math"

	"github.com/journeymap/journeymap/journey"
)

// handoffs examines every observed step on which owner or channel changed.
func (d *detector) handoffs() {
	minCases := int64(d.opts.MinCases)
	keys := sortedTransitions(d.res)

	// Baselines: drop-off right after a step that is not a handoff, into
	// each stage and in all, and the cases leaving each touchpoint.
	var plainDrop, plainCases int64
	stageDrop := make([]int64, len(d.j.Stages()))
	stageCases := make([]int64, len(d.j.Stages()))
	leaving := map[int32]int64{}
	for _, k := range keys {
		tr := d.res.Transitions[k]
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
				d.add(Finding{
					Kind: KindHandoff, Reason: PingPong, Touchpoints: ids, Stage: to.Stage, Cases: pp,
					Score:          weights[PingPong] * float64(pp),
					Summary:        fmt.Sprintf("%d of %d customers handed from %q to %q (%s) are sent %s later: they bounce between the two.", pp, cases, from.DisplayName(), to.DisplayName(), what, bounce),
					Recommendation: fmt.Sprintf("Give %q the authority and information to finish what customers come for, so they are not sent back to %q; agree one owner for the case.", to.DisplayName(), from.DisplayName()),
					Evidence:       ev,
				})
			}
		}

		// slow_handoff: the median wait is over max_wait.
		maxWait := d.j.Settings().MaxWait
		if t, ok := d.j.Transition(from.ID, to.ID); ok && t.Expect.MaxWait > 0 {
			maxWait = t.Expect.MaxWait
		}
		if maxWait > 0 && tr.Count >= minCases && tr.Wait.Median() > maxWait {
			med := tr.Wait.Median()
			excessHours := (med - maxWait).Hours()
			rec := fmt.Sprintf("Set a service level for the handover from %s to %s and track it; tell customers when to expect the next step.", orNone(from.Owner), orNone(to.Owner))
			if from.Owner == to.Owner {
				rec = fmt.Sprintf("Set a service level for the step from %q to %q (%s owns both) and track it; tell customers when to expect the next step.", from.DisplayName(), to.DisplayName(), orNone(from.Owner))
			}
			d.add(Finding{
				Kind: KindHandoff, Reason: SlowHandoff, Touchpoints: ids, Stage: to.Stage, Cases: tr.Cases,
				Score:          weights[SlowHandoff] * float64(tr.Cases) * math.Min(4, 1+excessHours/maxWait.Hours()),
				Summary:        fmt.Sprintf("Customers wait a median %s between %q and %q (%s), over the %s allowed.", human(med.Seconds()), from.DisplayName(), to.DisplayName(), what, journey.FormatDuration(maxWait)),
				Recommendation: rec,
				Evidence:       map[string]any{"steps": tr.Count, "median_wait_s": secs(med), "p90_wait_s": secs(tr.Wait.Quantile(0.9)), "max_wait_s": secs(maxWait)},
			})
		}

		// score_drop: CSAT falls, or CES rises, across the handoff.
		cb, nb := meanCSAT(&tr.ScoresBefore)
		ca, na := meanCSAT(&tr.ScoresAfter)
		eb, mb := meanCES(&tr.ScoresBefore)
		ea, ma := meanCES(&tr.ScoresAfter)
		switch {
		case nb >= minCases && na >= minCases && cb-ca >= d.opts.ScoreDrop:
			d.scoreDrop(tr, ids, what, "CSAT", cb, ca, nb, na)
		case mb >= minCases && ma >= minCases && ea-eb >= d.opts.ScoreDrop:
			d.scoreDrop(tr, ids, what, "CES", eb, ea, mb, ma)
		}

		// drop_after_handoff: customers give up right after it, more than
		// after steps that stay with one team and channel into the same
		// stage (or anywhere, when the stage has too few such steps).
		baseDrop, baseCases := plainDrop, plainCases
		if si := d.j.StageIndexOf(int(tr.To)); stageCases[si] >= minCases {
			baseDrop, baseCases = stageDrop[si], stageCases[si]
		}
		if tr.Cases >= minCases && tr.DropAfter >= max(10, minCases/2) && baseCases >= minCases {
			r, base := rate(tr.DropAfter, tr.Cases), rate(baseDrop, baseCases)
			z := twoProportionZ(tr.DropAfter, tr.Cases, baseDrop, baseCases)
			if z >= d.opts.OutlierZ && r >= 2*base && r-base >= 0.05 {
				lo, hi := Wilson(tr.DropAfter, tr.Cases)
				d.add(Finding{
					Kind: KindHandoff, Reason: DropAfter, Touchpoints: ids, Stage: to.Stage, Cases: tr.DropAfter,
					Score:          float64(tr.DropAfter) - float64(tr.Cases)*base,
					Summary:        fmt.Sprintf("%d of %d customers handed from %q to %q (%s) give up right there: %s, against %s after steps that stay with one team and channel.", tr.DropAfter, tr.Cases, from.DisplayName(), to.DisplayName(), what, pct(r), pct(base)),
					Recommendation: fmt.Sprintf("Make the move to %q a warm handover: pass the case with its context, and contact customers who go silent after it.", to.DisplayName()),
					Evidence:       map[string]any{"cases": tr.Cases, "dropped_after": tr.DropAfter, "rate": round(r, 4), "ci95": [2]float64{round(lo, 4), round(hi, 4)}, "baseline_rate": round(base, 4), "z": round(z, 2)},
				})
			}
		}

		// undesigned: customers find their own way.
		if !tr.Designed && tr.Cases >= minCases {
			share := rate(tr.Cases, leaving[tr.From])
			if share >= d.opts.UndesignedShare {
				d.add(Finding{
					Kind: KindHandoff, Reason: Undesigned, Touchpoints: ids, Stage: to.Stage, Cases: tr.Cases,
					Score:          weights[Undesigned] * float64(tr.Cases),
					Summary:        fmt.Sprintf("%d customers (%s of those leaving %q) go from there to %q (%s), a handoff the journey does not design.", tr.Cases, pct(share), from.DisplayName(), to.DisplayName(), what),
					Recommendation: fmt.Sprintf("Either design the step from %q to %q (who owns it, what is passed on) or fix what sends customers there.", from.DisplayName(), to.DisplayName()),
					Evidence:       map[string]any{"cases": tr.Cases, "steps": tr.Count, "share_of_leaving": round(share, 4), "median_wait_s": secs(tr.Wait.Median())},
				})
			}
		}
	}
}

func (d *detector) scoreDrop(tr *journey.TransitionStats, ids []string, what, metric string, before, after float64, nb, na int64) {
	from, to := d.tps[tr.From], d.tps[tr.To]
	word := "falls"
	if metric == "CES" {
		word = "rises (more effort)"
	}
	d.add(Finding{
		Kind: KindHandoff, Reason: ScoreDrop, Touchpoints: ids, Stage: to.Stage, Cases: tr.Cases,
		Score:          weights[ScoreDrop] * float64(tr.Cases) * math.Abs(after-before),
		Summary:        fmt.Sprintf("Mean %s %s from %.1f to %.1f when customers are handed from %q to %q (%s).", metric, word, before, after, from.DisplayName(), to.DisplayName(), what),
		Recommendation: fmt.Sprintf("Read the comments behind the %s answers at %q and fix what the handover loses.", metric, to.DisplayName()),
		Evidence:       map[string]any{"metric": metric, "before": round(before, 2), "after": round(after, 2), "answers_before": nb, "answers_after": na},
	})
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
