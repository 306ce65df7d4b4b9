package journey

import (
	"slices"
	"strings"
	"time"

	"github.com/dominikbraun/graph"

	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/touchpoint"
)

// Default settings, used where a journey file does not set its own.
const (
	// DefaultCaseTimeout: a customer idle this long at a non-goal touchpoint
	// before the end of the log has dropped. Three days covers a weekend plus
	// a working day, the usual horizon for a customer to come back on their own.
	DefaultCaseTimeout = 72 * time.Hour
	// DefaultMinCases is the fewest cases a friction finding needs: below it a
	// rate's 95% interval is too wide to act on.
	DefaultMinCases = 30
)

// Stage is a phase of the journey as the customer lives it (discover,
// purchase, delivery, exchange). Stages are ordered.
type Stage struct {
	ID     string
	Name   string
	Expect touchpoint.Expectations
}

// DisplayName is Name, or ID when no name was given.
func (s Stage) DisplayName() string {
	if s.Name != "" {
		return s.Name
	}
	return s.ID
}

// Transition is a designed, directed step from one touchpoint to another.
type Transition struct {
	From, To string
	Expect   touchpoint.Expectations
}

// Settings are the journey-wide knobs of the `settings:` block.
type Settings struct {
	CaseTimeout time.Duration // default DefaultCaseTimeout
	MinCases    int           // default DefaultMinCases
	// MaxDropoff is the default drop-off threshold for touchpoints and stages
	// that set none; HasMaxDropoff says whether the file set it.
	MaxDropoff    float64
	HasMaxDropoff bool
	MaxWait       time.Duration // default max_wait for designed transitions; 0 = none
}

// Journey is a designed customer journey: stages, touchpoints and the
// transitions between them, as a directed graph. A Journey is immutable once
// loaded and safe for concurrent use by any number of goroutines.
//
// Touchpoints are numbered 0..Len()-1 in stage order (and file order within a
// stage); Index and Touchpoints use that numbering, and so do replay results.
type Journey struct {
	id, name    string
	stages      []Stage
	tps         []touchpoint.Touchpoint // in index order
	transitions []Transition            // in file order
	consistency [][2]string
	settings    Settings
	warnings    []*Diagnostic

	g graph.Graph[string, touchpoint.Touchpoint]

	// Frozen index, built once at load time, read by replay's hot loop.
	byID       map[string]int32 // touchpoint ID -> index
	byName     map[string]int32 // every event name (IDs and match names) -> index
	byLoose    map[string]int32 // the loose form of every event name (LooseName) -> index
	stageOf    []int32          // touchpoint index -> stage index
	stageIdx   map[string]int32
	succ, pred [][]int32 // sorted by index
	trans      map[[2]int32]int32
	reachable  []bool // reachable from some entry

	// ix is what replay reads: the designed bitset, the shortest paths
	// and the numbering of the per-case aggregates, sharing tps, stageOf,
	// byName and byLoose.
	ix *design.Index
}

func init() { design.Of = func(j any) *design.Index { return j.(*Journey).ix } }

// ID is the journey's identifier.
func (j *Journey) ID() string { return j.id }

// Name is the journey's display name (its ID when the file gives none).
func (j *Journey) Name() string {
	if j.name != "" {
		return j.name
	}
	return j.id
}

// Len is the number of touchpoints.
func (j *Journey) Len() int { return len(j.tps) }

// Stages returns the stages in the order the customer lives them.
func (j *Journey) Stages() []Stage { return slices.Clone(j.stages) }

// Stage returns the stage with the given ID.
func (j *Journey) Stage(id string) (Stage, bool) {
	i, ok := j.stageIdx[id]
	if !ok {
		return Stage{}, false
	}
	return j.stages[i], true
}

// StageIndex returns the position of stage id in Stages, or -1.
func (j *Journey) StageIndex(id string) int {
	if i, ok := j.stageIdx[id]; ok {
		return int(i)
	}
	return -1
}

// Touchpoints returns every touchpoint in stage order; within a stage, in the
// order of the file. Position i in the result is touchpoint index i.
func (j *Journey) Touchpoints() []touchpoint.Touchpoint { return slices.Clone(j.tps) }

// At returns the touchpoint with index i (0 <= i < Len()).
func (j *Journey) At(i int) touchpoint.Touchpoint { return j.tps[i] }

// Touchpoint returns the touchpoint with the given ID.
func (j *Journey) Touchpoint(id string) (touchpoint.Touchpoint, bool) {
	i, ok := j.byID[id]
	if !ok {
		return touchpoint.Touchpoint{}, false
	}
	return j.tps[i], true
}

// Index returns the index of the touchpoint with the given ID, or -1.
func (j *Journey) Index(id string) int {
	if i, ok := j.byID[id]; ok {
		return int(i)
	}
	return -1
}

// Lookup returns the touchpoint an event name means: its ID or one of its
// match names. Event names are compared exactly.
func (j *Journey) Lookup(eventName string) (touchpoint.Touchpoint, bool) {
	i, ok := j.byName[eventName]
	if !ok {
		return touchpoint.Touchpoint{}, false
	}
	return j.tps[i], true
}

// LooseName is the form in which an event name meets a touchpoint when
// it meets none exactly: lower case, with each run of spaces, hyphens and
// underscores read as one "_", trimmed ("Select  Shipping" and
// "select-shipping" are "select_shipping").
func LooseName(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(name) {
		if r == ' ' || r == '-' || r == '_' || r == '\t' {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// LookupIndex is Lookup returning the touchpoint index, or -1.
func (j *Journey) LookupIndex(eventName string) int {
	if i, ok := j.byName[eventName]; ok {
		return int(i)
	}
	return -1
}

// StageOf returns the stage ID of the touchpoint with the given ID, or "".
func (j *Journey) StageOf(id string) string {
	i, ok := j.byID[id]
	if !ok {
		return ""
	}
	return j.tps[i].Stage
}

// StageIndexOf returns the stage index of touchpoint index i.
func (j *Journey) StageIndexOf(i int) int { return int(j.stageOf[i]) }

// Entries returns the IDs of the touchpoints where a case may start.
func (j *Journey) Entries() []string {
	return j.idsWhere(func(t touchpoint.Touchpoint) bool { return t.Entry })
}

// Goals returns the IDs of the touchpoints where a case ends well.
func (j *Journey) Goals() []string {
	return j.idsWhere(func(t touchpoint.Touchpoint) bool { return t.Goal })
}

// Ends returns the IDs of the touchpoints where a case may end by design:
// goals, and touchpoints with an outcome (success or another word).
func (j *Journey) Ends() []string {
	return j.idsWhere(func(t touchpoint.Touchpoint) bool { return t.DesignedEnd() })
}

func (j *Journey) idsWhere(keep func(touchpoint.Touchpoint) bool) []string {
	var ids []string
	for _, t := range j.tps {
		if keep(t) {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

// Successors returns the IDs of the touchpoints a designed transition leads
// to from id, in index order.
func (j *Journey) Successors(id string) []string { return j.neighbours(id, j.succ) }

// Predecessors returns the IDs of the touchpoints with a designed transition
// into id, in index order.
func (j *Journey) Predecessors(id string) []string { return j.neighbours(id, j.pred) }

func (j *Journey) neighbours(id string, adj [][]int32) []string {
	i, ok := j.byID[id]
	if !ok {
		return nil
	}
	out := make([]string, len(adj[i]))
	for k, n := range adj[i] {
		out[k] = j.tps[n].ID
	}
	return out
}

// IsDesigned reports whether the journey has a transition from -> to.
func (j *Journey) IsDesigned(from, to string) bool {
	a, ok1 := j.byID[from]
	b, ok2 := j.byID[to]
	return ok1 && ok2 && j.isDesigned(a, b)
}

func (j *Journey) isDesigned(a, b int32) bool { return j.ix.IsDesigned(a, b) }

// IsDesignedIndex is IsDesigned on touchpoint indexes.
func (j *Journey) IsDesignedIndex(from, to int) bool { return j.isDesigned(int32(from), int32(to)) }

// Transition returns the designed transition from -> to.
func (j *Journey) Transition(from, to string) (Transition, bool) {
	a, ok1 := j.byID[from]
	b, ok2 := j.byID[to]
	if !ok1 || !ok2 {
		return Transition{}, false
	}
	k, ok := j.trans[[2]int32{a, b}]
	if !ok {
		return Transition{}, false
	}
	return j.transitions[k], true
}

// Transitions returns every designed transition in file order.
func (j *Journey) Transitions() []Transition { return slices.Clone(j.transitions) }

// ShortestPath returns the touchpoint IDs on a shortest designed path from
// one touchpoint to another, both ends included, and whether there is one.
// Among paths of equal length it picks the one through the lowest indexes
// (stage order), so the answer is the same on every run.
func (j *Journey) ShortestPath(from, to string) ([]string, bool) {
	a, ok1 := j.byID[from]
	b, ok2 := j.byID[to]
	if !ok1 || !ok2 {
		return nil, false
	}
	idx := j.path(a, b)
	if idx == nil {
		return nil, false
	}
	ids := make([]string, len(idx))
	for k, i := range idx {
		ids[k] = j.tps[i].ID
	}
	return ids, true
}

// Distance is the number of designed steps on a shortest path between two
// touchpoint indexes, or -1 when there is none.
func (j *Journey) Distance(from, to int) int { return int(j.hops(int32(from), int32(to))) }

// path returns the indexes on the shortest path a -> b, or nil.
func (j *Journey) path(a, b int32) []int32 {
	if j.hops(a, b) < 0 {
		return nil
	}
	p := []int32{a}
	for cur := a; cur != b; {
		cur = j.nextHop(cur, b)
		p = append(p, cur)
	}
	return p
}

// Reachable reports whether some entry can reach the touchpoint along
// designed transitions.
func (j *Journey) Reachable(id string) bool {
	i, ok := j.byID[id]
	return ok && j.reachable[i]
}

// Consistency returns the stage pairs that should feel alike, each as
// [earlier, later].
func (j *Journey) Consistency() [][2]string { return slices.Clone(j.consistency) }

// Settings returns the journey-wide settings with defaults filled in.
func (j *Journey) Settings() Settings { return j.settings }

// Warnings returns the problems found at load time that do not stop the
// journey from working, such as a touchpoint no entry can reach.
func (j *Journey) Warnings() []*Diagnostic { return slices.Clone(j.warnings) }

// Graph returns a copy of the journey as a dominikbraun/graph directed graph
// keyed by touchpoint ID, for callers who want that library's algorithms.
// Changing the copy does not change the journey.
func (j *Journey) Graph() (graph.Graph[string, touchpoint.Touchpoint], error) {
	return j.g.Clone()
}
