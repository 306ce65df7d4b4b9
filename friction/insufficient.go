package friction

import (
	"fmt"
	"strings"

	"github.com/journeymap/journeymap/internal/prose"
)

// Insufficient is a check that could not be made for lack of cases: too
// few customers reached a touchpoint, took a designed handoff, lived a
// stage, or fell in a segment. It is not silence: every rendering says
// "not enough evidence" for it, and "no friction found" is said only of a
// report with none.
type Insufficient struct {
	// Check is what could not be checked: "journey" (the whole log is
	// smaller than a finding needs), "touchpoint" (drop-off and rework at
	// it), "stage_drop_off" (a stage's own max_dropoff), "handoff" (a
	// designed handoff: ping-pong, wait, drop after it), "stage_effort"
	// (a consistency pair), "max_dwell" (a touchpoint's time expected) or
	// "max_duration" (a stage's).
	Check       string   `json:"check"`
	Touchpoints []string `json:"touchpoints"`
	Stage       string   `json:"stage,omitempty"`
	// Stages are the two stages of a stage_effort check, earlier first.
	Stages []string `json:"stages,omitempty"`
	// Cases is how many cases the check had; Needed how many it needs
	// (Options.MinCases).
	Cases  int64 `json:"cases"`
	Needed int64 `json:"needed"`
}

// insufficient lists the checks the detectors could not make, in journey
// order: O(touchpoints + designed transitions + stages).
func (d *detector) insufficient() []Insufficient {
	need := int64(d.opts.MinCases)
	out := []Insufficient{}
	if total := d.res.Cases.Total; total < need {
		return append(out, Insufficient{Check: "journey", Touchpoints: []string{}, Cases: total, Needed: need})
	}
	for i, t := range d.tps {
		if t.DesignedEnd() || t.Goal {
			continue // nobody drops at a goal or a designed end
		}
		s := &d.res.Touchpoints[i]
		if base := dropBase(s.Cases, s.InProgress, s.Bounces, s.Ended); s.Cases > 0 && base < need {
			out = append(out, Insufficient{Check: "touchpoint", Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: base, Needed: need})
		}
	}
	for si, st := range d.j.Stages() {
		s := &d.res.Stages[si]
		if base := dropBase(s.Cases, s.InProgress, s.Bounces, s.Ended); st.Expect.HasMaxDropoff && s.Cases > 0 && base < need {
			out = append(out, Insufficient{Check: "stage_drop_off", Touchpoints: []string{}, Stage: st.ID, Cases: base, Needed: need})
		}
	}
	for i, t := range d.tps {
		s := &d.res.Touchpoints[i]
		if n := min(s.Cases, s.Dwell.Count()); t.Expect.MaxDwell > 0 && s.Cases > 0 && n < need {
			out = append(out, Insufficient{Check: "max_dwell", Touchpoints: []string{t.ID}, Stage: t.Stage, Cases: n, Needed: need})
		}
	}
	for si, st := range d.j.Stages() {
		if n := d.res.Stages[si].Elapsed.Count(); st.Expect.MaxDuration > 0 && n > 0 && n < need {
			out = append(out, Insufficient{Check: "max_duration", Touchpoints: []string{}, Stage: st.ID, Cases: n, Needed: need})
		}
	}
	for _, tr := range d.j.Transitions() {
		from, _ := d.j.Touchpoint(tr.From)
		to, _ := d.j.Touchpoint(tr.To)
		if tr.From == tr.To || (from.Owner == to.Owner && from.Channel == to.Channel) {
			continue // not a handoff
		}
		var n int64
		if st := d.res.Transitions[[2]int32{int32(d.j.Index(tr.From)), int32(d.j.Index(tr.To))}]; st != nil {
			n = st.Cases
		}
		if n > 0 && n < need {
			out = append(out, Insufficient{Check: "handoff", Touchpoints: []string{tr.From, tr.To}, Stage: to.Stage, Cases: n, Needed: need})
		}
	}
	for _, pair := range d.j.Consistency() {
		n := min(d.res.Stages[d.j.StageIndex(pair[0])].Cases, d.res.Stages[d.j.StageIndex(pair[1])].Cases)
		if n < need {
			out = append(out, Insufficient{Check: "stage_effort", Touchpoints: []string{}, Stage: pair[1], Stages: []string{pair[0], pair[1]}, Cases: n, Needed: need})
		}
	}
	return out
}

// Sentence says in words what could not be checked: "not enough evidence
// at "Select shipping": 12 customers, 30 needed".
func (c Insufficient) Sentence() string {
	what := ""
	switch c.Check {
	case "journey":
		what = "for any finding on this log"
	case "touchpoint":
		what = fmt.Sprintf("for drop-off or rework at %s", strings.Join(c.Touchpoints, ", "))
	case "stage_drop_off":
		what = fmt.Sprintf("for the drop-off allowed in stage %s", c.Stage)
	case "handoff":
		what = fmt.Sprintf("for the handoff %s", strings.Join(c.Touchpoints, " → "))
	case "max_dwell":
		what = fmt.Sprintf("for the time customers spend at %s (max_dwell)", strings.Join(c.Touchpoints, ", "))
	case "max_duration":
		what = fmt.Sprintf("for the time customers take over stage %s (max_duration)", c.Stage)
	case "stage_effort":
		what = fmt.Sprintf("to compare the effort of stage %s with %s", c.Stages[1], c.Stages[0])
	default:
		what = "for " + c.Check
	}
	return fmt.Sprintf("Not enough evidence %s: %d customers, %d needed.", what, c.Cases, c.Needed)
}

// NoFrictionSentence is what every rendering says when a report has no
// finding: "no friction found" only where every check could be made.
func (r *Report) NoFrictionSentence() string {
	if len(r.Insufficient) == 0 {
		return "No friction found: no touchpoint, stage or handoff stands out on this log."
	}
	return fmt.Sprintf("No friction found where the evidence suffices, but not enough evidence for %s (listed under \"Not enough evidence\"): this log cannot say they are free of friction.", prose.Plural(len(r.Insufficient), "check"))
}
