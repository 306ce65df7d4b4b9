package friction

import (
	"fmt"
	"slices"

	"github.com/journeymap/journeymap/internal/prose"
)

// foldConsequences folds the findings that are the consequence of another
// into that finding's evidence, so that the same customers are explained
// once, by the most specific cause (contract 4.4):
//
//   - a score_drop across the handoff of a ping_pong is what the bounce
//     costs in satisfaction: it joins the ping_pong;
//   - a ping_pong across the two ends of a shortcut folded into a
//     bypassable finding is the shortcut seen again at the level of teams;
//   - a drop_after_handoff into a touchpoint with a drop_off finding is
//     one group of customers lost: where arrivals by other routes drop
//     beyond what the journey allows too, the touchpoint is the cause and
//     the handoff its evidence; where they do not, the handoff is the
//     cause and the drop-off its evidence.
//
// O(F²) for F findings, a few dozen.
func (d *detector) foldConsequences() {
	gone := map[int]bool{}
	for i := range d.out {
		f := &d.out[i]
		switch f.Reason {
		case ScoreDrop:
			if pp := d.bounceOf(f.Touchpoints[0], f.Touchpoints[1]); pp != nil {
				pp.Evidence["score_drop"] = map[string]any{"metric": f.Evidence["metric"], "before": f.Evidence["before"], "after": f.Evidence["after"], "cases": f.Cases}
				word := "falls"
				if f.Evidence["metric"] == "CES" {
					word = "rises (more effort)"
				}
				pp.Summary += fmt.Sprintf(" Mean %v also %s from %.1f to %.1f across the handoff.", f.Evidence["metric"], word, f.Evidence["before"], f.Evidence["after"])
				gone[i] = true
			}
		case PingPong:
			if b := d.shortcutOf(f.Touchpoints[0], f.Touchpoints[1]); b != nil {
				b.Evidence["ping_pong_cases"] = f.Cases
				b.Summary += fmt.Sprintf(" %d customers who take the shortcut are bounced back across it.", f.Cases)
				gone[i] = true
			}
		}
	}
	for i := range d.out {
		h := &d.out[i]
		if h.Reason != DropAfterHandoff || gone[i] {
			continue
		}
		di := slices.IndexFunc(d.out, func(f Finding) bool {
			return f.Kind == DropOff && f.Evidence["scope"] != "stage" && f.Touchpoints[0] == h.Touchpoints[1]
		})
		if di < 0 || gone[di] {
			continue
		}
		drop := &d.out[di]
		other, _ := h.Evidence["other_routes_rate"].(float64)
		if d.touchpointIsCause(drop, other) {
			drop.Evidence["handoff_before"] = map[string]any{"from": h.Touchpoints[0], "dropped_after": h.Cases, "rate": h.Evidence["rate"], "other_routes_rate": other}
			drop.Summary += fmt.Sprintf(" %d of them gave up right after the handoff from %q (%s, against %s by other routes).", h.Cases, d.name(d.j.Index(h.Touchpoints[0])), prose.Percent(h.Evidence["rate"].(float64)), prose.Percent(other))
			gone[i] = true
		} else {
			h.Evidence["drop_off_at"] = map[string]any{"touchpoint": drop.Touchpoints[0], "dropped": drop.Cases, "rate": drop.Evidence["rate"]}
			h.Summary += fmt.Sprintf(" They are most of the %d customers lost at %q; those arriving another way do not drop unusually.", drop.Cases, d.name(d.j.Index(drop.Touchpoints[0])))
			if sh, ok := drop.Evidence["slow_handoff_before"].(map[string]any); ok && sh["from"] == h.Touchpoints[0] {
				// The handoff is the cause, and its slow waits the reason.
				h.Evidence["slow_handoff_before"] = sh
				h.Summary += " " + d.slowSentence(sh)
				h.Recommendation = d.slowAdvice(sh, d.j.Index(drop.Touchpoints[0])) + h.Recommendation
			}
			gone[di] = true
		}
	}
	kept := d.out[:0]
	for i, f := range d.out {
		if !gone[i] {
			kept = append(kept, f)
		}
	}
	d.out = kept
}

// touchpointIsCause reports whether customers arriving at a drop-off's
// touchpoint by routes other than a handoff still drop there beyond what
// the journey allows (its max_dropoff) or at twice the journey's rate
// elsewhere (an outlier's bar).
func (d *detector) touchpointIsCause(drop *Finding, otherRate float64) bool {
	if limit, ok := drop.Evidence["expected_max"].(float64); ok {
		return otherRate > limit
	}
	if rest, ok := drop.Evidence["rest_of_journey_rate"].(float64); ok {
		return otherRate >= 2*rest && otherRate-rest >= 0.05
	}
	return true
}

// shortcutOf returns the bypassable finding into whose evidence the
// undesigned step a -> b (or b -> a) was folded as a shortcut, or nil.
func (d *detector) shortcutOf(a, b string) *Finding {
	for i := range d.out {
		f := &d.out[i]
		if f.Reason != Bypassable {
			continue
		}
		sc, _ := f.Evidence["shortcuts"].([]map[string]any)
		for _, s := range sc {
			if (s["from"] == a && s["to"] == b) || (s["from"] == b && s["to"] == a) {
				return f
			}
		}
	}
	return nil
}
