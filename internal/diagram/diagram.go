// Package diagram draws a journey as Graphviz DOT or a Mermaid flowchart:
// stages as clusters or subgraphs, touchpoints as nodes (entries and goals
// marked), designed and observed steps as edges. Package journey draws the
// design with it; package friction draws the same picture decorated with
// traffic and friction. Every string is escaped here, once, for each
// format: a touchpoint named with quotes, markup, a Mermaid directive or a
// line break renders as written and cannot change the drawing.
package diagram

import (
	"fmt"
	"io"
	"strings"
)

// Graph is a journey drawing.
type Graph struct {
	ID, Title string
	Stages    []Stage
	Edges     []Edge
	// Fills, for DOT, and ClassDefs, for Mermaid, style the node classes.
	Fills     map[string]string // class -> fill colour
	ClassDefs []string          // Mermaid "classDef" lines, without the keyword
}

// Stage is a column of the drawing.
type Stage struct {
	Title string
	Nodes []Node
}

// Node is a touchpoint.
type Node struct {
	ID          string   // the touchpoint id
	Lines       []string // the label: its name first, details after
	Entry, Goal bool
	Class       string // a friction level, or ""
}

// Edge is a step between two touchpoints.
type Edge struct {
	From, To string
	Label    string
	Style    EdgeStyle
	Width    float64 // DOT pen width; 0 for the default
}

// EdgeStyle says how an edge is drawn.
type EdgeStyle uint8

const (
	Designed   EdgeStyle = iota // a designed step: solid
	Undesigned                  // observed, not designed: dashed red
	Unused                      // designed, never taken: dotted grey
	Friction                    // named by a finding: solid red
)

// WriteDOT writes g as a Graphviz digraph (render with `dot -Tsvg`).
// Entries are drawn bold, goals as double octagons.
func (g *Graph) WriteDOT(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n  label=%s;\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\"];\n", QuoteDOT(g.ID), QuoteDOT(g.Title))
	for si, s := range g.Stages {
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n", QuoteDOT(fmt.Sprintf("cluster_%d", si)), QuoteDOT(s.Title))
		for _, n := range s.Nodes {
			attrs := "label=" + QuoteDOT(strings.Join(n.Lines, "\n"))
			if fill, ok := g.Fills[n.Class]; ok {
				attrs += ", fillcolor=" + QuoteDOT(fill)
			}
			switch {
			case n.Goal:
				attrs += ", shape=doubleoctagon"
			case n.Entry:
				attrs += ", penwidth=2.5"
			}
			fmt.Fprintf(&b, "    %s [%s];\n", QuoteDOT(n.ID), attrs)
		}
		b.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		var attrs []string
		if e.Width > 0 {
			attrs = append(attrs, fmt.Sprintf("penwidth=%.1f", e.Width))
		}
		if e.Label != "" {
			attrs = append(attrs, "label="+QuoteDOT(e.Label))
		}
		switch e.Style {
		case Undesigned:
			attrs = append(attrs, "style=dashed", "color=red")
		case Unused:
			attrs = append(attrs, "style=dotted", "color=gray")
		case Friction:
			attrs = append(attrs, "color=red")
		}
		fmt.Fprintf(&b, "  %s -> %s", QuoteDOT(e.From), QuoteDOT(e.To))
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// QuoteDOT writes s as a DOT double-quoted string.
func QuoteDOT(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s) + `"`
}

// WriteMermaid writes g as a Mermaid flowchart, one subgraph per stage,
// stacked top to bottom: Mermaid lays a journey's long chain of steps out
// as one rank after another, so left to right it is a strip ten times as
// wide as it is high, unreadable at page width; top to bottom it reads
// like a page. (Left to right with each stage top to bottom was tried:
// Mermaid ignores a subgraph's direction once its nodes link outside it,
// which a journey's always do, and drew a strip again; TestMermaidRenders
// measures it.) Node ids are t0, t1, ... in drawing order (Mermaid ids
// cannot hold every character a touchpoint id can); labels carry the
// names. Entries are stadium-shaped, goals double circles; undesigned
// steps are dotted and red; stages are grey bands, not Mermaid's yellow.
func (g *Graph) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart TB\n")
	ids := map[string]string{}
	n := 0
	for si, s := range g.Stages {
		fmt.Fprintf(&b, "  subgraph s%d[%s]\n    direction LR\n", si, MermaidLabel(s.Title))
		for _, node := range s.Nodes {
			ids[node.ID] = fmt.Sprintf("t%d", n)
			n++
			open, close := "[", "]"
			switch {
			case node.Goal:
				open, close = "(((", ")))"
			case node.Entry:
				open, close = "([", "])"
			}
			label := MermaidText(node.Lines[0])
			if len(node.Lines) > 1 {
				var rest []string
				for _, l := range node.Lines[1:] {
					rest = append(rest, MermaidText(l))
				}
				label += "<br/><small>" + strings.Join(rest, "<br/>") + "</small>"
			}
			fmt.Fprintf(&b, "    %s%s\"%s\"%s", ids[node.ID], open, label, close)
			if node.Class != "" {
				b.WriteString(":::" + node.Class)
			}
			b.WriteString("\n")
		}
		b.WriteString("  end\n")
	}
	for k, e := range g.Edges {
		from, to := ids[e.From], ids[e.To]
		label := ""
		if e.Label != "" {
			label = " " + MermaidLabel(e.Label) + " "
		}
		switch e.Style {
		case Undesigned:
			fmt.Fprintf(&b, "  %s %s %s\n  linkStyle %d stroke:#d32f2f,stroke-width:2px\n", from, dotted(label), to, k)
		case Unused:
			fmt.Fprintf(&b, "  %s %s %s\n  linkStyle %d stroke:#9e9e9e\n", from, dotted(label), to, k)
		case Friction:
			fmt.Fprintf(&b, "  %s --%s--> %s\n  linkStyle %d stroke:#d32f2f,stroke-width:3px\n", from, label, to, k)
		default:
			if label != "" {
				fmt.Fprintf(&b, "  %s --%s--> %s\n", from, label, to)
			} else {
				fmt.Fprintf(&b, "  %s --> %s\n", from, to)
			}
		}
	}
	for si := range g.Stages {
		fmt.Fprintf(&b, "  style s%d fill:#f5f7f8,stroke:#cfd8dc,color:#37474f\n", si)
	}
	for _, c := range g.ClassDefs {
		b.WriteString("  classDef " + c + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// dotted is a dotted Mermaid arrow with label (" \"x\" ") or none.
func dotted(label string) string {
	if label == "" {
		return "-.->"
	}
	return "-." + label + ".->"
}

// MermaidText escapes text for inside a quoted Mermaid label, with
// Mermaid's entity codes: the quote that would end it, the angle brackets
// of markup, the % of a %%{init}%% directive, the # of an entity code, and
// line breaks (as spaces).
func MermaidText(s string) string {
	return strings.NewReplacer(
		"#", "#35;", `"`, "#quot;", "<", "#lt;", ">", "#gt;", "%", "#37;", "&", "#amp;",
		"`", "#96;", "\r\n", " ", "\n", " ", "\r", " ",
	).Replace(s)
}

// MermaidLabel is MermaidText, quoted.
func MermaidLabel(s string) string { return `"` + MermaidText(s) + `"` }
