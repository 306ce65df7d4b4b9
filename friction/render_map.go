package friction

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/internal/diagram"
)

// friction levels of a touchpoint: the worst severity of a finding about it.
const (
	levelNone = iota
	levelLow
	levelMedium
	levelHigh
)

var levelNames = [...]string{"none", "low", "medium", "high"}

// touchpointLevels maps each touchpoint id to the worst severity of the
// findings about it; a stage-level finding marks its stage (stageLevels),
// not every touchpoint in it, so that the eye finds the one step that hurts.
func (r *Report) touchpointLevels() map[string]int {
	lv := map[string]int{}
	for _, f := range r.Findings {
		if f.Evidence["scope"] == "stage" {
			continue
		}
		for _, t := range f.Touchpoints {
			lv[t] = max(lv[t], levelOf(f.Severity))
		}
	}
	return lv
}

// stageLevels maps each stage id to the worst severity of the stage-level
// findings about it.
func (r *Report) stageLevels() map[string]int {
	lv := map[string]int{}
	for _, f := range r.Findings {
		if f.Evidence["scope"] == "stage" {
			lv[f.Stage] = max(lv[f.Stage], levelOf(f.Severity))
		}
	}
	return lv
}

func levelOf(severity Severity) int {
	return map[Severity]int{Low: levelLow, Medium: levelMedium, High: levelHigh}[severity]
}

// worstAbout returns, for each touchpoint and each step (from, to), the
// worst finding that names it: the word beside the colour.
func (r *Report) worstAbout() (tps map[string]Finding, steps map[[2]string]Finding) {
	tps, steps = map[string]Finding{}, map[[2]string]Finding{}
	for _, f := range r.Findings { // worst first
		if f.Evidence["scope"] == "stage" {
			continue
		}
		for _, t := range f.Touchpoints {
			if _, ok := tps[t]; !ok {
				tps[t] = f
			}
		}
		if f.Kind == InconsistentHandoff && len(f.Touchpoints) == 2 {
			k := [2]string{f.Touchpoints[0], f.Touchpoints[1]}
			if _, ok := steps[k]; !ok {
				steps[k] = f
			}
		}
	}
	return tps, steps
}

// drawing is the journey map as the diagram package draws it: touchpoints
// coloured by the findings about them, with the worst one's severity and
// reason in words, stages marked by their own findings, edges labelled
// with their traffic, undesigned steps dashed red, steps a finding names
// red.
func (r *Report) drawing() *diagram.Graph {
	lv, slv := r.touchpointLevels(), r.stageLevels()
	worstTP, worstStep := r.worstAbout()
	g := &diagram.Graph{ID: r.Journey.ID, Title: r.Journey.Name + ": friction",
		Fills: map[string]string{"none": levelFill[levelNone][0], "low": levelFill[levelLow][0], "medium": levelFill[levelMedium][0], "high": levelFill[levelHigh][0]},
		ClassDefs: []string{
			"none fill:" + levelFill[levelNone][0] + ",stroke:" + levelFill[levelNone][1],
			"low fill:" + levelFill[levelLow][0] + ",stroke:" + levelFill[levelLow][1] + ",stroke-dasharray:2 3",
			"medium fill:" + levelFill[levelMedium][0] + ",stroke:" + levelFill[levelMedium][1] + ",stroke-width:2px,stroke-dasharray:7 4",
			"high fill:" + levelFill[levelHigh][0] + ",stroke:" + levelFill[levelHigh][1] + ",stroke-width:4px",
		}}
	for si, tps := range r.stageTouchpoints() {
		title := r.Stages[si].Name
		if l := slv[r.Stages[si].ID]; l > levelNone {
			title += " · " + levelCue[l] + " stage friction"
		}
		st := diagram.Stage{Title: title}
		for _, t := range tps {
			lines := []string{t.Name, fmt.Sprintf("%d cases · %s drop", t.Cases, pct(t.DropRate.Value))}
			if f, ok := worstTP[t.ID]; ok {
				lines = append(lines, levelCue[levelOf(f.Severity)]+": "+string(f.Reason))
			}
			st.Nodes = append(st.Nodes, diagram.Node{ID: t.ID, Lines: lines, Entry: t.Entry, Goal: t.settles(), Class: levelNames[lv[t.ID]]})
		}
		g.Stages = append(g.Stages, st)
	}
	maxSteps := int64(1)
	for _, t := range r.Transitions {
		maxSteps = max(maxSteps, t.Steps)
	}
	label := func(t TransitionReport) string {
		if r.EdgeLabels == "wait" && t.Steps > 0 {
			return human(t.WaitMedS)
		}
		return fmt.Sprint(t.Steps)
	}
	for _, t := range r.Transitions {
		e := diagram.Edge{From: t.From, To: t.To, Label: label(t), Width: edgeWidth(t.Steps, maxSteps)}
		switch {
		case t.Steps == 0:
			e.Style, e.Label, e.Width = diagram.Unused, "", 0
		case !t.Designed:
			e.Style, e.Label = diagram.Undesigned, label(t)+" (undesigned)"
		}
		if f, ok := worstStep[[2]string{t.From, t.To}]; ok && t.Steps > 0 {
			e.Style, e.Label = diagram.Friction, fmt.Sprintf("%s · %s: %s", label(t), f.Severity, f.Reason)
		}
		g.Edges = append(g.Edges, e)
	}
	return g
}

// stageTouchpoints groups the report's touchpoints by stage, in stage order.
func (r *Report) stageTouchpoints() [][]TouchpointReport {
	idx := map[string]int{}
	for i, s := range r.Stages {
		idx[s.ID] = i
	}
	out := make([][]TouchpointReport, len(r.Stages))
	for _, t := range r.Touchpoints {
		out[idx[t.Stage]] = append(out[idx[t.Stage]], t)
	}
	return out
}

// WriteMarkdown writes the report as Markdown: the headline, the stage
// funnel, a Mermaid diagram of the journey coloured by friction (it renders
// on GitHub, GitLab and most code-hosting pages), and the findings table.
func (r *Report) WriteMarkdown(w io.Writer) error {
	var b strings.Builder
	cell := markdownText
	fmt.Fprintf(&b, "# Journey friction: %s\n\n", cell(r.Journey.Name))
	fmt.Fprintf(&b, "- **Cases**: %d: %d completed (%s), ", r.Cases.Total, r.Cases.Completed, pct(rate(r.Cases.Completed, r.Cases.Total)))
	if n := r.Cases.EndedTotal(); n > 0 {
		fmt.Fprintf(&b, "%d ended by design (%s), ", n, cell(r.Cases.EndedWords()))
	}
	fmt.Fprintf(&b, "%d dropped, %d in progress\n", r.Cases.Dropped, r.Cases.InProgress)
	fmt.Fprintf(&b, "- **Events**: %d read = %d replayed + %d unmatched + %d malformed", r.Events.Read, r.Events.Replayed, r.Events.Unmatched, r.Events.Malformed)
	if r.Events.Outside > 0 {
		fmt.Fprintf(&b, " + %d outside the period", r.Events.Outside)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "- **Fitness**: %.2f of steps follow the designed journey\n\n", r.Fitness)
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "> **Warning**: %s\n\n", cell(w))
	}
	b.WriteString("## Journey map\n\n▲ high friction (vermillion, thick border); ◆ medium (orange, dashed); ▽ low (blue, dotted). Stadium: entry; double circle: goal. Edge labels: steps observed; red: undesigned or named by a finding.\n\n```mermaid\n")
	r.writeMermaid(&b)
	b.WriteString("```\n\n## Stages\n\n| stage | cases | dropped | bounced | drop rate | steps | handoffs | channel switches | elapsed (median) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Stages {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s | %.1f | %.1f | %.1f | %s |\n", cell(s.Name), s.Cases, s.Dropped, s.Bounced, pct(s.DropRate.Value), s.Effort.Steps, s.Effort.Handoffs, s.Effort.ChannelSwitches, human(s.Effort.ElapsedMedS))
	}
	if rows := r.segmentRows(); len(rows) > 0 {
		b.WriteString("\n## Segments\n\n| segment | stage | cases | dropped | drop rate (95% interval) | findings in the segment |\n|---|---|---:|---:|---:|---:|\n")
		for _, row := range rows {
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %s (%s–%s) | %d |\n", cell(row.Segment), cell(row.Stage), row.Cases, row.Dropped, pct(row.DropRate.Value), pct(row.DropRate.CI[0]), pct(row.DropRate.CI[1]), row.Findings)
		}
		for _, s := range r.Segments {
			fmt.Fprintf(&b, "\n### Segment %s: %d cases, %d findings\n\n", cell(s.Segment), s.Cases.Total, len(s.Findings))
			for i, f := range s.Findings {
				fmt.Fprintf(&b, "%d. **%s** %s / %s: %s\n", i+1, f.Severity, f.Kind, f.Reason, cell(f.Summary))
			}
		}
	}
	fmt.Fprintf(&b, "\n## Findings (%d, worst first)\n\n", len(r.Findings))
	if len(r.Findings) == 0 {
		b.WriteString(cell(r.NoFrictionSentence()) + "\n")
	} else {
		if w := r.RecoverableSentence(); w != "" {
			fmt.Fprintf(&b, "%s\n\n", cell(w))
		}
		b.WriteString("| # | severity | finding | touchpoints | cases | score | what to do |\n|---:|---|---|---|---:|---:|---|\n")
		for i, f := range r.Findings {
			todo := cell(f.Recommendation)
			if f.WhatIf.Worth() {
				todo += " " + cell(f.WhatIf.Sentence())
			}
			fmt.Fprintf(&b, "| %d | %s | **%s / %s**: %s | %s | %d | %.1f | %s |\n", i+1, f.Severity, f.Kind, f.Reason, cell(f.Summary), cell(strings.Join(f.Touchpoints, ", ")), f.Cases, f.Score, todo)
		}
		name := r.touchpointName()
		for i, f := range r.Findings {
			if ex := f.ExampleSentences(name); len(ex) > 0 {
				fmt.Fprintf(&b, "\nExamples of finding %d:\n\n", i+1)
				for _, e := range ex {
					fmt.Fprintf(&b, "- %s\n", cell(e))
				}
			}
		}
	}
	if len(r.NearMisses)+len(r.LooseNames) > 0 {
		b.WriteString("\n## Event names\n\n")
		for _, name := range slices.Sorted(maps.Keys(r.NearMisses)) {
			fmt.Fprintf(&b, "- unmatched %s: probably %s\n", cell(name), cell(r.NearMisses[name]))
		}
		for _, name := range slices.Sorted(maps.Keys(r.LooseNames)) {
			fmt.Fprintf(&b, "- %s met %s loosely\n", cell(name), cell(r.LooseNames[name]))
		}
	}
	if len(r.Insufficient) > 0 {
		fmt.Fprintf(&b, "\n## Not enough evidence (%s could not be made)\n\n", plural(len(r.Insufficient), "check"))
		for _, c := range r.Insufficient {
			fmt.Fprintf(&b, "- %s\n", cell(c.Sentence()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) writeMermaid(b *strings.Builder) { r.drawing().WriteMermaid(b) }

// WriteMermaid writes the journey map alone as a Mermaid flowchart, as
// WriteMarkdown embeds it.
func (r *Report) WriteMermaid(w io.Writer) error { return r.drawing().WriteMermaid(w) }

// WriteDOT writes the journey map as Graphviz DOT: stages as clusters,
// touchpoints coloured by the findings about them (their severity and
// reason in words too), entries bold and goals double, edge width by
// traffic, undesigned steps dashed red, steps a finding names red.
func (r *Report) WriteDOT(w io.Writer) error { return r.drawing().WriteDOT(w) }

// edgeWidth maps traffic to a line width from 1 to 9 (square root, so that
// small flows stay visible next to large ones).
func edgeWidth(steps, maxSteps int64) float64 {
	if steps <= 0 || maxSteps <= 0 {
		return 1
	}
	return round(1+8*math.Sqrt(float64(steps)/float64(maxSteps)), 1)
}
