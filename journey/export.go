package journey

import (
	"io"

	"github.com/journeymap/journeymap/internal/diagram"
)

// WriteDOT writes the journey as a Graphviz digraph: one cluster per stage in
// stage order, touchpoints in index order, transitions sorted by their ends'
// indexes. Entries are drawn bold, goals as double octagons. Every string is
// escaped, so ids and names with quotes or backslashes render as written.
// Render it with `dot -Tsvg`.
func (j *Journey) WriteDOT(w io.Writer) error { return j.drawing().WriteDOT(w) }

// WriteMermaid writes the journey as a Mermaid flowchart, one subgraph per
// stage, which renders on GitHub, GitLab and most Markdown viewers. Node ids
// are t0, t1, ... by touchpoint index (Mermaid ids cannot hold every
// character a touchpoint id can); labels carry the names, escaped so that
// no name can add markup or a directive. Entries are stadium-shaped, goals
// double circles.
func (j *Journey) WriteMermaid(w io.Writer) error { return j.drawing().WriteMermaid(w) }

// drawing is the journey as the diagram package draws it.
func (j *Journey) drawing() *diagram.Graph {
	g := &diagram.Graph{ID: j.id, Title: j.Name()}
	for si, s := range j.stages {
		st := diagram.Stage{Title: s.DisplayName()}
		for i, t := range j.tps {
			if int(j.stageOf[i]) != si {
				continue
			}
			lines := []string{t.DisplayName()}
			if detail := channelOwner(t.Channel, t.Owner); detail != "" {
				lines = append(lines, detail)
			}
			st.Nodes = append(st.Nodes, diagram.Node{ID: t.ID, Lines: lines, Entry: t.Entry, Goal: t.Goal || t.Succeeds()})
		}
		g.Stages = append(g.Stages, st)
	}
	for a, succ := range j.succ {
		for _, c := range succ {
			g.Edges = append(g.Edges, diagram.Edge{From: j.tps[a].ID, To: j.tps[c].ID})
		}
	}
	return g
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
