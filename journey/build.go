package journey

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/dominikbraun/graph"

	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/touchpoint"
)

// build checks what the file's parts say of each other and freezes the
// journey into its graph and index. Problems are reported on d.
func (d *decoder) build(raw *rawJourney) *Journey {
	j := &Journey{id: raw.id, name: raw.name, settings: raw.settings}
	if j.settings.CaseTimeout == 0 {
		j.settings.CaseTimeout = DefaultCaseTimeout
	}
	if j.settings.MinCases == 0 {
		j.settings.MinCases = DefaultMinCases
	}

	// Stages.
	j.stageIdx = map[string]int32{}
	for _, s := range raw.stages {
		if s.ID == "" {
			continue
		}
		if _, dup := j.stageIdx[s.ID]; dup {
			d.report(s.pos, false, "", "stage %q is declared twice; stage ids must be unique", s.ID)
			continue
		}
		j.stageIdx[s.ID] = int32(len(j.stages))
		j.stages = append(j.stages, s.Stage)
	}
	stageIDs := make([]string, len(j.stages))
	for i, s := range j.stages {
		stageIDs[i] = s.ID
	}

	// Touchpoints, ordered by stage then file order.
	var tps []rawTouchpoint
	seenTP := map[string]bool{}
	for _, t := range raw.tps {
		if t.ID == "" {
			continue
		}
		if seenTP[t.ID] {
			d.report(t.pos, false, "", "touchpoint %q is declared twice; touchpoint ids must be unique", t.ID)
			continue
		}
		seenTP[t.ID] = true
		if _, ok := j.stageIdx[t.Stage]; !ok && t.Stage != "" {
			d.report(t.stagePos, false, didYouMean(t.Stage, stageIDs), "touchpoint %q is in unknown stage %q", t.ID, t.Stage)
			continue
		}
		if t.Stage == "" {
			continue
		}
		tps = append(tps, t)
	}
	sort.SliceStable(tps, func(a, b int) bool { return j.stageIdx[tps[a].Stage] < j.stageIdx[tps[b].Stage] })
	n := len(tps)
	j.tps = make([]touchpoint.Touchpoint, n)
	j.byID = make(map[string]int32, n)
	j.byName = make(map[string]int32, n)
	j.stageOf = make([]int32, n)
	for i, t := range tps {
		j.tps[i] = t.Touchpoint
		j.byID[t.ID] = int32(i)
		j.byName[t.ID] = int32(i)
		j.stageOf[i] = j.stageIdx[t.Stage]
	}
	// Match names: claimed once, by one touchpoint, and never another's id.
	for i, t := range tps {
		for k, m := range t.Match {
			if m == t.ID {
				continue
			}
			if o, ok := j.byName[m]; ok && o != int32(i) {
				d.report(t.matchPos[k], false, "an event name must mean one touchpoint; remove it from one of them", "match name %q of touchpoint %q is already claimed by touchpoint %q", m, t.ID, j.tps[o].ID)
				continue
			}
			j.byName[m] = int32(i)
		}
	}
	// Loose forms: where two touchpoints' names meet in one, neither can
	// be met loosely without a guess, so the journey says so.
	j.byLoose = make(map[string]int32, len(j.byName))
	for _, name := range slices.Sorted(maps.Keys(j.byName)) {
		i := j.byName[name]
		l := LooseName(name)
		if o, ok := j.byLoose[l]; ok && o != i {
			t := tps[i]
			d.report(t.pos, false, "rename one of them, so that an event name written loosely (\"Select Shipping\") means one touchpoint", "touchpoints %q and %q have names that read alike (%q)", j.tps[o].ID, t.ID, l)
			continue
		}
		j.byLoose[l] = i
	}
	tpIDs := make([]string, 0, len(raw.tps))
	for _, t := range raw.tps {
		tpIDs = append(tpIDs, t.ID)
	}

	// Transitions.
	j.g = graph.New(func(t touchpoint.Touchpoint) string { return t.ID }, graph.Directed())
	for _, t := range j.tps {
		_ = j.g.AddVertex(t) // ids are unique by now
	}
	j.trans = map[[2]int32]int32{}
	known := func(id string, p Position, end string) (int32, bool) {
		i, ok := j.byID[id]
		// A missing end, or a touchpoint dropped for another error, was reported already.
		if !ok && !seenTP[id] && id != "" {
			d.report(p, false, didYouMean(id, tpIDs), "transition %s unknown touchpoint %q", end, id)
		}
		return i, ok
	}
	for _, t := range raw.transitions {
		from, okFrom := known(t.from, t.fromPos, "from")
		for k, to := range t.to {
			toIdx, okTo := known(to, t.toPos[k], "to")
			if !okFrom || !okTo {
				continue
			}
			if _, dup := j.trans[[2]int32{from, toIdx}]; dup {
				d.report(t.toPos[k], true, "", "transition %s -> %s is declared twice", t.from, to)
				continue
			}
			j.trans[[2]int32{from, toIdx}] = int32(len(j.transitions))
			j.transitions = append(j.transitions, Transition{From: t.from, To: to, Expect: t.expect})
			if err := j.g.AddEdge(t.from, to); err != nil && !errors.Is(err, graph.ErrEdgeAlreadyExists) {
				d.report(t.toPos[k], false, "", "transition %s -> %s: %v", t.from, to, err)
			}
		}
	}

	// Consistency pairs, normalised to [earlier, later].
	for _, p := range raw.consistency {
		if p.stages[0] == "" || p.stages[1] == "" {
			continue // malformed pair, reported while decoding
		}
		ok := true
		for k, s := range p.stages {
			if _, found := j.stageIdx[s]; !found {
				d.report(p.pos[k], false, didYouMean(s, stageIDs), "consistency names unknown stage %q", s)
				ok = false
			}
		}
		if !ok {
			continue
		}
		if p.stages[0] == p.stages[1] {
			d.report(p.pos[1], false, "", "consistency pair compares stage %q with itself; name two different stages", p.stages[0])
			continue
		}
		if j.stageIdx[p.stages[0]] > j.stageIdx[p.stages[1]] {
			p.stages[0], p.stages[1] = p.stages[1], p.stages[0]
		}
		j.consistency = append(j.consistency, p.stages)
	}

	if n == 0 {
		if len(d.errs()) == 0 {
			d.report(raw.touchpointsPos, false, "", "journey has no usable touchpoints")
		}
		return j
	}
	j.ix = &design.Index{ID: j.id, CaseTimeout: j.settings.CaseTimeout, Touchpoints: j.tps, NStages: len(j.stages), ByName: j.byName, ByLoose: j.byLoose, StageOf: j.stageOf}
	j.freeze()
	j.indexCaseAggregates()

	// Entries, goals and reachability.
	var entries []int32
	for i, t := range j.tps {
		if t.Entry {
			entries = append(entries, int32(i))
		}
	}
	declared := func(f func(rawTouchpoint) bool) bool { return slices.ContainsFunc(raw.tps, f) }
	if !declared(func(t rawTouchpoint) bool { return t.Entry }) {
		d.report(raw.touchpointsPos, false, "mark where customers start with \"entry: true\"", "no touchpoint is an entry")
	}
	if !declared(func(t rawTouchpoint) bool { return t.Goal || t.Succeeds() }) {
		d.report(raw.touchpointsPos, false, "mark where a journey ends well with \"goal: true\" or \"outcome: success\"", "no touchpoint is a goal or a success outcome")
	}
	j.reachable = make([]bool, n)
	for _, e := range entries {
		_ = graph.BFS(j.g, j.tps[e].ID, func(id string) bool {
			j.reachable[j.byID[id]] = true
			return false
		})
	}
	if len(entries) > 0 {
		for i, t := range tps {
			if j.reachable[i] {
				continue
			}
			if t.DesignedEnd() {
				what := "goal"
				if !t.Goal {
					what = "outcome " + strconv.Quote(t.Outcome) + " at"
				}
				d.report(t.pos, false, "add a transition into it, or mark a touchpoint on the way as \"entry: true\"", "%s %q cannot be reached from any entry", what, t.ID)
			} else {
				d.report(t.pos, true, "add a transition into it, or remove it", "touchpoint %q cannot be reached from any entry", t.ID)
			}
		}
	}
	return j
}

// freeze builds the replay index: adjacency lists, the designed bitset and
// the all-pairs shortest designed paths, by a breadth-first search from every
// touchpoint that visits successors in index order (so ties are broken the
// same way on every run). dominikbraun/graph's ShortestPath picks among equal
// paths by map order and rebuilds its adjacency map on every call, so it is
// not used for the table.
func (j *Journey) freeze() {
	n := len(j.tps)
	j.succ = make([][]int32, n)
	j.pred = make([][]int32, n)
	j.ix.Designed = make([]uint64, (n*n+63)/64)
	for k := range j.trans {
		a, b := k[0], k[1]
		j.succ[a] = append(j.succ[a], b)
		j.pred[b] = append(j.pred[b], a)
		bit := int(a)*n + int(b)
		j.ix.Designed[bit>>6] |= 1 << (bit & 63)
	}
	for i := range n {
		slices.Sort(j.succ[i])
		slices.Sort(j.pred[i])
	}
	// The tables are kept by target (next[to*n+from]) so that following
	// a path to one target, as replay does for every skip, reads one row.
	// The search runs forward from each source, as it always has (its
	// ties decide which touchpoints a skip passes), a chunk of sources at
	// a time into scratch rows, which are then written out by target.
	j.ix.Next = make([]int16, n*n)
	j.ix.Dist = make([]int16, n*n)
	const chunk = 64
	nextRow := make([]int16, chunk*n)
	distRow := make([]int16, chunk*n)
	queue := make([]int32, 0, n)
	for s0 := 0; s0 < n; s0 += chunk {
		s1 := min(s0+chunk, n)
		for s := s0; s < s1; s++ {
			next, dist := nextRow[(s-s0)*n:(s-s0+1)*n], distRow[(s-s0)*n:(s-s0+1)*n]
			for t := range n {
				next[t], dist[t] = -1, -1
			}
			next[s], dist[s] = int16(s), 0
			queue = append(queue[:0], int32(s))
			for len(queue) > 0 {
				u := queue[0]
				queue = queue[1:]
				for _, v := range j.succ[u] {
					if dist[v] >= 0 {
						continue
					}
					dist[v] = dist[u] + 1
					if int(u) == s {
						next[v] = int16(v)
					} else {
						next[v] = next[u]
					}
					queue = append(queue, v)
				}
			}
		}
		for t := range n {
			col := t*n + s0
			for s := s0; s < s1; s++ {
				j.ix.Next[col+s-s0] = nextRow[(s-s0)*n+t]
				j.ix.Dist[col+s-s0] = distRow[(s-s0)*n+t]
			}
		}
	}
}

func (j *Journey) nextHop(a, b int32) int32 { return j.ix.NextHop(a, b) }

func (j *Journey) hops(a, b int32) int32 { return j.ix.Hops(a, b) }

// The path tables hold touchpoint indexes and hop counts in 16 bits.
const _ = uint(math.MaxInt16 - MaxTouchpoints)

// indexCaseAggregates numbers the pairs of touchpoints that share a stage
// and the designed channels, for the aggregates replay keeps of each case
// instead of the case itself.
func (j *Journey) indexCaseAggregates() {
	n := len(j.tps)
	j.ix.StagePlace = make([]int32, n)
	j.ix.PairBase = make([]int, len(j.stages))
	inStage := make([]int32, len(j.stages))
	for i := range n {
		s := j.stageOf[i]
		j.ix.StagePlace[i] = inStage[s]
		inStage[s]++
	}
	j.ix.NPairs = 0
	for s, m := range inStage {
		j.ix.PairBase[s] = j.ix.NPairs
		j.ix.NPairs += int(m) * int(m-1) / 2
	}
	j.ix.DchNames = j.ix.DchNames[:0]
	for _, t := range j.tps {
		j.ix.DchNames = append(j.ix.DchNames, t.Channel)
	}
	slices.Sort(j.ix.DchNames)
	j.ix.DchNames = slices.Compact(j.ix.DchNames)
	j.ix.Dch = make([]int32, n)
	for i, t := range j.tps {
		k, _ := slices.BinarySearch(j.ix.DchNames, t.Channel)
		j.ix.Dch[i] = int32(k)
	}
	j.ix.ConsIdx = j.ix.ConsIdx[:0]
	for _, p := range j.consistency {
		j.ix.ConsIdx = append(j.ix.ConsIdx, [2]int32{j.stageIdx[p[0]], j.stageIdx[p[1]]})
	}
}

// Loops returns the designed loops: groups of touchpoints a customer can
// circle through (strongly connected components of more than one touchpoint,
// and touchpoints with a designed self-loop), each in index order, ordered by
// their first touchpoint.
func (j *Journey) Loops() [][]string {
	comps, err := graph.StronglyConnectedComponents(j.g)
	if err != nil {
		return nil
	}
	var loops [][]int32
	for _, c := range comps {
		idx := make([]int32, len(c))
		for k, id := range c {
			idx[k] = j.byID[id]
		}
		if len(idx) == 1 && !j.isDesigned(idx[0], idx[0]) {
			continue
		}
		slices.Sort(idx)
		loops = append(loops, idx)
	}
	slices.SortFunc(loops, func(a, b []int32) int { return int(a[0] - b[0]) })
	out := make([][]string, len(loops))
	for i, l := range loops {
		for _, k := range l {
			out[i] = append(out[i], j.tps[k].ID)
		}
	}
	return out
}

func (j *Journey) String() string {
	return fmt.Sprintf("journey %q: %d stages, %d touchpoints, %d transitions", j.id, len(j.stages), len(j.tps), len(j.transitions))
}
