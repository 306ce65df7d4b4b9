package journey

import (
	"fmt"
	"io"
	"strings"
)

// WriteDOT writes the journey as a Graphviz digraph: one cluster per stage in
// stage order, touchpoints in index order, transitions sorted by their ends'
// indexes. Entries are drawn bold, goals double-circled. Every string is
// escaped, so ids and names with quotes or backslashes render as written.
// Render it with `dot -Tsvg`.
func (j *Journey) WriteDOT(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotQuote(j.id))
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n  rankdir=LR;\n  node [shape=box, style=rounded];\n", dotQuote(j.Name()))
	for si, s := range j.stages {
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n", dotQuote(fmt.Sprintf("cluster_%d", si)), dotQuote(s.DisplayName()))
		for i, t := range j.tps {
			if int(j.stageOf[i]) != si {
				continue
			}
			label := t.DisplayName()
			if detail := channelOwner(t.Channel, t.Owner); detail != "" {
				label += "\n" + detail
			}
			attrs := "label=" + dotQuote(label)
			switch {
			case t.Goal:
				attrs += ", shape=doublecircle"
			case t.Entry:
				attrs += ", penwidth=2"
			}
			fmt.Fprintf(&b, "    %s [%s];\n", dotQuote(t.ID), attrs)
		}
		b.WriteString("  }\n")
	}
	for a, succ := range j.succ {
		for _, c := range succ {
			fmt.Fprintf(&b, "  %s -> %s;\n", dotQuote(j.tps[a].ID), dotQuote(j.tps[c].ID))
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func channelOwner(channel, owner string) string {
	switch {
	case channel != "" && owner != "":
		return channel + " · " + owner
	case channel != "":
		return channel
	}
	return owner
}

// dotQuote writes s as a DOT double-quoted string.
func dotQuote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// WriteMermaid writes the journey as a Mermaid flowchart, one subgraph per
// stage, which renders on GitHub, GitLab and most Markdown viewers. Node ids
// are t0, t1, ... by touchpoint index (Mermaid ids cannot hold every
// character a touchpoint id can); labels carry the names. Entries are
// stadium-shaped, goals double circles.
func (j *Journey) WriteMermaid(w io.Writer) error {
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	for si, s := range j.stages {
		fmt.Fprintf(&b, "  subgraph s%d[%s]\n    direction TB\n", si, mermaidLabel(s.DisplayName()))
		for i, t := range j.tps {
			if int(j.stageOf[i]) != si {
				continue
			}
			label := t.DisplayName()
			if detail := channelOwner(t.Channel, t.Owner); detail != "" {
				label += "<br/><small>" + detail + "</small>"
			}
			open, close := "[", "]"
			switch {
			case t.Goal:
				open, close = "(((", ")))"
			case t.Entry:
				open, close = "([", "])"
			}
			fmt.Fprintf(&b, "    t%d%s%s%s\n", i, open, mermaidLabel(label), close)
		}
		b.WriteString("  end\n")
	}
	for a, succ := range j.succ {
		for _, c := range succ {
			fmt.Fprintf(&b, "  t%d --> t%d\n", a, c)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidLabel quotes a label for Mermaid, escaping what would end it.
func mermaidLabel(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "\n", "<br/>", "\r", "")
	return `"` + r.Replace(s) + `"`
}
