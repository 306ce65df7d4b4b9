package friction

import (
	"fmt"
	"io"
	"math"
	"strings"
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
// findings that name it.
func (r *Report) touchpointLevels() map[string]int {
	lv := map[string]int{}
	for _, f := range r.Findings {
		l := map[string]int{SeverityLow: levelLow, SeverityMedium: levelMedium, SeverityHigh: levelHigh}[f.Severity]
		for _, t := range f.Touchpoints {
			lv[t] = max(lv[t], l)
		}
	}
	return lv
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
	cell := func(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }
	fmt.Fprintf(&b, "# Journey friction: %s\n\n", cell(r.Journey.Name))
	fmt.Fprintf(&b, "- **Cases**: %d: %d completed (%s), ", r.Cases.Total, r.Cases.Completed, pct(rate(r.Cases.Completed, r.Cases.Total)))
	if n := r.Cases.EndedTotal(); n > 0 {
		fmt.Fprintf(&b, "%d ended by design (%s), ", n, cell(r.Cases.EndedWords()))
	}
	fmt.Fprintf(&b, "%d dropped, %d in progress\n", r.Cases.Dropped, r.Cases.InProgress)
	fmt.Fprintf(&b, "- **Events**: %d read = %d replayed + %d unmatched + %d malformed\n", r.Events.Read, r.Events.Replayed, r.Events.Unmatched, r.Events.Malformed)
	fmt.Fprintf(&b, "- **Fitness**: %.2f of steps follow the designed journey\n\n", r.Fitness)
	b.WriteString("## Journey map\n\nRed: high friction; orange: medium; yellow: low. Edge labels: steps observed.\n\n```mermaid\n")
	r.writeMermaid(&b)
	b.WriteString("```\n\n## Stages\n\n| stage | cases | dropped | bounced | drop rate | steps | handoffs | channel switches | elapsed (median) |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range r.Stages {
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %s | %.1f | %.1f | %.1f | %s |\n", cell(s.Name), s.Cases, s.Dropped, s.Bounced, pct(s.DropRate.Value), s.Effort.Steps, s.Effort.Handoffs, s.Effort.ChannelSwitches, human(s.Effort.ElapsedMedS))
	}
	fmt.Fprintf(&b, "\n## Findings (%d, worst first)\n\n", len(r.Findings))
	if len(r.Findings) == 0 {
		b.WriteString("No friction found.\n")
	} else {
		b.WriteString("| # | severity | finding | touchpoints | cases | score | what to do |\n|---:|---|---|---|---:|---:|---|\n")
		for i, f := range r.Findings {
			fmt.Fprintf(&b, "| %d | %s | **%s / %s**: %s | %s | %d | %.1f | %s |\n", i+1, f.Severity, f.Kind, f.Reason, cell(f.Summary), cell(strings.Join(f.Touchpoints, ", ")), f.Cases, f.Score, cell(f.Recommendation))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Report) writeMermaid(b *strings.Builder) {
	lv := r.touchpointLevels()
	ids := map[string]string{}
	b.WriteString("flowchart LR\n")
	n := 0
	for si, tps := range r.stageTouchpoints() {
		fmt.Fprintf(b, "  subgraph s%d[\"%s\"]\n", si, mermaidText(r.Stages[si].Name))
		for _, t := range tps {
			ids[t.ID] = fmt.Sprintf("t%d", n)
			n++
			fmt.Fprintf(b, "    %s[\"%s<br/><small>%d cases · %s drop</small>\"]:::%s\n", ids[t.ID], mermaidText(t.Name), t.Cases, pct(t.DropRate.Value), levelNames[lv[t.ID]])
		}
		b.WriteString("  end\n")
	}
	for _, t := range r.Transitions {
		switch {
		case t.Steps == 0:
			fmt.Fprintf(b, "  %s -.-> %s\n", ids[t.From], ids[t.To])
		case !t.Designed:
			fmt.Fprintf(b, "  %s -. \"%d (undesigned)\" .-> %s\n", ids[t.From], t.Steps, ids[t.To])
		default:
			fmt.Fprintf(b, "  %s -- \"%d\" --> %s\n", ids[t.From], t.Steps, ids[t.To])
		}
	}
	b.WriteString("  classDef none fill:#e8f5e9,stroke:#66bb6a\n  classDef low fill:#fff9c4,stroke:#fbc02d\n  classDef medium fill:#ffe0b2,stroke:#fb8c00\n  classDef high fill:#ffcdd2,stroke:#e53935,stroke-width:3px\n")
}

func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "<", "#lt;", ">", "#gt;").Replace(s)
}

// WriteDOT writes the journey map as Graphviz DOT: stages as clusters,
// touchpoints coloured by friction, edge width by traffic, undesigned
// steps dashed red.
func (r *Report) WriteDOT(w io.Writer) error {
	var b strings.Builder
	q := func(s string) string {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
	}
	fill := [...]string{"#e8f5e9", "#fff9c4", "#ffe0b2", "#ffcdd2"}
	lv := r.touchpointLevels()
	fmt.Fprintf(&b, "digraph %s {\n  label=%s;\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\"];\n", q(r.Journey.ID), q(r.Journey.Name+": friction"))
	for si, tps := range r.stageTouchpoints() {
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n", q(fmt.Sprintf("cluster_%d", si)), q(r.Stages[si].Name))
		for _, t := range tps {
			fmt.Fprintf(&b, "    %s [label=%s, fillcolor=%s];\n", q(t.ID), q(fmt.Sprintf("%s\n%d cases, %s drop", t.Name, t.Cases, pct(t.DropRate.Value))), q(fill[lv[t.ID]]))
		}
		b.WriteString("  }\n")
	}
	maxSteps := int64(1)
	for _, t := range r.Transitions {
		maxSteps = max(maxSteps, t.Steps)
	}
	for _, t := range r.Transitions {
		attrs := fmt.Sprintf("penwidth=%.1f, label=%s", edgeWidth(t.Steps, maxSteps), q(fmt.Sprint(t.Steps)))
		switch {
		case t.Steps == 0:
			attrs = "style=dotted, color=gray"
		case !t.Designed:
			attrs += ", style=dashed, color=red"
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", q(t.From), q(t.To), attrs)
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// edgeWidth maps traffic to a line width from 1 to 9 (square root, so that
// small flows stay visible next to large ones).
func edgeWidth(steps, maxSteps int64) float64 {
	if steps <= 0 || maxSteps <= 0 {
		return 1
	}
	return round(1+8*math.Sqrt(float64(steps)/float64(maxSteps)), 1)
}
