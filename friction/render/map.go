package render

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/diagram"
	"github.com/journeymap/journeymap/internal/prose"
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
func touchpointLevels(r *friction.Report) map[string]int {
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
func stageLevels(r *friction.Report) map[string]int {
	lv := map[string]int{}
	for _, f := range r.Findings {
		if f.Evidence["scope"] == "stage" {
			lv[f.Stage] = max(lv[f.Stage], levelOf(f.Severity))
		}
	}
	return lv
}

func levelOf(severity friction.Severity) int {
	return map[friction.Severity]int{friction.Low: levelLow, friction.Medium: levelMedium, friction.High: levelHigh}[severity]
}

// worstAbout returns, for each touchpoint and each step (from, to), the
// worst finding that names it: the word beside the colour.
func worstAbout(r *friction.Report) (tps map[string]friction.Finding, steps map[[2]string]friction.Finding) {
	tps, steps = map[string]friction.Finding{}, map[[2]string]friction.Finding{}
	for _, f := range r.Findings { // worst first
		if f.Evidence["scope"] == "stage" {
			continue
		}
		for _, t := range f.Touchpoints {
			if _, ok := tps[t]; !ok {
				tps[t] = f
			}
		}
		if f.Kind == friction.InconsistentHandoff && len(f.Touchpoints) == 2 {
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
func drawing(r *friction.Report) *diagram.Graph {
	lv, slv := touchpointLevels(r), stageLevels(r)
	worstTP, worstStep := worstAbout(r)
	title := r.Journey.Name + ": friction"
	if r.AsIs {
		title = heading(r)
	}
	g := &diagram.Graph{ID: r.Journey.ID, Title: title,
		Fills: map[string]string{"none": levelFill[levelNone][0], "low": levelFill[levelLow][0], "medium": levelFill[levelMedium][0], "high": levelFill[levelHigh][0]},
		ClassDefs: []string{
			"none fill:" + levelFill[levelNone][0] + ",stroke:" + levelFill[levelNone][1],
			"low fill:" + levelFill[levelLow][0] + ",stroke:" + levelFill[levelLow][1] + ",stroke-dasharray:2 3",
			"medium fill:" + levelFill[levelMedium][0] + ",stroke:" + levelFill[levelMedium][1] + ",stroke-width:2px,stroke-dasharray:7 4",
			"high fill:" + levelFill[levelHigh][0] + ",stroke:" + levelFill[levelHigh][1] + ",stroke-width:4px",
		}}
	for si, tps := range stageTouchpoints(r) {
		title := r.Stages[si].Name
		if l := slv[r.Stages[si].ID]; l > levelNone {
			title += " · " + levelCue[l] + " stage friction"
			if f, ok := worstStage(r, r.Stages[si].ID); ok {
				title += ": " + strings.ReplaceAll(string(f.Reason), "_", " ")
			}
		}
		st := diagram.Stage{Title: title}
		for _, t := range tps {
			lines := []string{t.Name, fmt.Sprintf("%d cases · %s drop", t.Cases, prose.Percent(t.DropRate.Value))}
			if sc := scoreLine(t.Metrics); sc != "" {
				lines = append(lines, sc)
			}
			if f, ok := worstTP[t.ID]; ok {
				lines = append(lines, levelCue[levelOf(f.Severity)]+": "+string(f.Reason))
			}
			st.Nodes = append(st.Nodes, diagram.Node{ID: t.ID, Lines: lines, Entry: t.Entry, Goal: t.Settles(), Class: levelNames[lv[t.ID]]})
		}
		g.Stages = append(g.Stages, st)
	}
	maxSteps := int64(1)
	for _, t := range r.Transitions {
		maxSteps = max(maxSteps, t.Steps)
	}
	label := func(t friction.TransitionReport) string {
		switch {
		case r.EdgeLabels == "wait" && t.Steps > 0:
			return prose.Seconds(t.WaitMedS)
		case r.AsIs && t.Steps > 0: // how often, and how long
			return fmt.Sprintf("%d · %s", t.Steps, prose.Seconds(t.WaitMedS))
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
func stageTouchpoints(r *friction.Report) [][]friction.TouchpointReport {
	idx := map[string]int{}
	for i, s := range r.Stages {
		idx[s.ID] = i
	}
	out := make([][]friction.TouchpointReport, len(r.Stages))
	for _, t := range r.Touchpoints {
		out[idx[t.Stage]] = append(out[idx[t.Stage]], t)
	}
	return out
}

// Markdown writes the report as Markdown: the headline, the stage
// funnel, a Mermaid diagram of the journey coloured by friction (it renders
// on GitHub, GitLab and most code-hosting pages), and the findings table.
func Markdown(w io.Writer, r *friction.Report) error {
	var b strings.Builder
	cell := prose.Markdown
	fmt.Fprintf(&b, "# %s\n\n", cell(heading(r)))
	fmt.Fprintf(&b, "- **Cases**: %d: %d completed (%s), ", r.Cases.Total, r.Cases.Completed, prose.Share(r.Cases.Completed, r.Cases.Total))
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
	if len(r.Findings) > 0 {
		f := r.Findings[0]
		fmt.Fprintf(&b, "## Fix first\n\n**%s %s / %s**: %s\n\n→ %s\n\n", f.Severity, f.Kind, f.Reason, cell(f.Summary), cell(f.Recommendation))
		if f.WhatIf.Worth() {
			fmt.Fprintf(&b, "≈ %s\n\n", cell(f.WhatIf.Sentence()))
		}
	}
	if r.AsIs {
		b.WriteString("## Journey map\n\nThe log's journey as customers took it. Stadium: entry; double circle: goal. Edge labels: steps · median wait.\n\n```mermaid\n")
	} else {
		b.WriteString("## Journey map\n\n▲ high friction (vermillion, thick border); ◆ medium (orange, dashed); ▽ low (blue, dotted). Stadium: entry; double circle: goal. Edge labels: steps observed; red: undesigned or named by a finding.\n\n```mermaid\n")
	}
	writeMermaid(r, &b)
	b.WriteString("```\n\n## Stages\n\n| stage | cases | dropped | bounced | drop rate | steps | handoffs | channel switches | elapsed (median) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Stages {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s | %.1f | %.1f | %.1f | %s |\n", cell(s.Name), s.Cases, s.Dropped, s.Bounced, prose.Percent(s.DropRate.Value), s.Effort.Steps, s.Effort.Handoffs, s.Effort.ChannelSwitches, prose.Seconds(s.Effort.ElapsedMedS))
	}
	if rows := segmentRows(r); len(rows) > 0 {
		b.WriteString("\n## Segments\n\n| segment | stage | cases | dropped | drop rate (95% interval) | findings in the segment |\n|---|---|---:|---:|---:|---:|\n")
		for _, row := range rows {
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %s (%s–%s) | %d |\n", cell(row.Segment), cell(row.Stage), row.Cases, row.Dropped, prose.Percent(row.DropRate.Value), prose.Percent(row.DropRate.CI[0]), prose.Percent(row.DropRate.CI[1]), row.Findings)
		}
		for _, s := range r.Segments {
			fmt.Fprintf(&b, "\n### Segment %s: %d cases, %d findings\n\n", cell(s.Segment), s.Cases.Total, len(s.Findings))
			for i, f := range s.Findings {
				fmt.Fprintf(&b, "%d. **%s** %s / %s: %s\n", i+1, f.Severity, f.Kind, f.Reason, cell(f.Summary))
			}
		}
	}
	if r.AsIs {
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "\n## Findings (%d, worst first)\n\n", len(r.Findings))
	if len(r.Findings) == 0 {
		b.WriteString(cell(r.NoFrictionSentence()) + "\n")
	} else {
		if w := r.RecoverableSentence(); w != "" {
			fmt.Fprintf(&b, "%s\n\n", cell(w))
		}
		name := r.Names()
		b.WriteString("| # | severity | finding | touchpoints | cases | score | what to do |\n|---:|---|---|---|---:|---:|---|\n")
		for i, f := range r.Findings {
			todo := cell(f.Recommendation)
			if f.WhatIf.Worth() {
				todo += " " + cell(f.WhatIf.Sentence())
			}
			names := make([]string, len(f.Touchpoints))
			for k, id := range f.Touchpoints {
				names[k] = name(id)
			}
			fmt.Fprintf(&b, "| %d | %s | **%s / %s**: %s | %s | %d | %.1f | %s |\n", i+1, f.Severity, f.Kind, f.Reason, cell(f.Summary), cell(strings.Join(names, ", ")), f.Cases, f.Score, todo)
		}
		for i, f := range r.Findings {
			fmt.Fprintf(&b, "\n<details><summary>Evidence of finding %d</summary>\n\n", i+1)
			for _, e := range evidenceSentences(f.Evidence, name) {
				fmt.Fprintf(&b, "- %s\n", cell(e))
			}
			b.WriteString("\n</details>\n")
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
		fmt.Fprintf(&b, "\n## Not enough evidence (%s could not be made)\n\n", prose.Plural(len(r.Insufficient), "check"))
		for _, c := range r.Insufficient {
			fmt.Fprintf(&b, "- %s\n", cell(c.Sentence()))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMermaid(r *friction.Report, b *strings.Builder) { drawing(r).WriteMermaid(b) }

// Mermaid writes the journey map alone as a Mermaid flowchart, as
// Markdown embeds it.
func Mermaid(w io.Writer, r *friction.Report) error { return drawing(r).WriteMermaid(w) }

// DOT writes the journey map as Graphviz DOT: stages as clusters,
// touchpoints coloured by the findings about them (their severity and
// reason in words too), entries bold and goals double, edge width by
// traffic, undesigned steps dashed red, steps a finding names red.
func DOT(w io.Writer, r *friction.Report) error { return drawing(r).WriteDOT(w) }

// edgeWidth maps traffic to a line width from 1 to 9 (square root, so that
// small flows stay visible next to large ones).
func edgeWidth(steps, maxSteps int64) float64 {
	if steps <= 0 || maxSteps <= 0 {
		return 1
	}
	return math.Round(10*(1+8*math.Sqrt(float64(steps)/float64(maxSteps)))) / 10
}

// worstStage is the worst finding about the stage itself, if any.
func worstStage(r *friction.Report, stage string) (friction.Finding, bool) {
	for _, f := range r.Findings { // worst first
		if f.Stage == stage && f.Evidence["scope"] == "stage" {
			return f, true
		}
	}
	return friction.Finding{}, false
}
