package discover

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/journeymap/journeymap/internal/prose"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/touchpoint"
)

// DraftOptions say how much of a discovered journey a draft keeps.
type DraftOptions struct {
	// ID is the journey's id.
	ID string
	// Coverage keeps the most frequent steps between event names until
	// they hold this share of the steps (0 or 1: every step, up to the
	// limits of a journey file), like process-mining tools' path slider.
	// Every name stays a touchpoint (up to journey.MaxTouchpoints, the most
	// frequent), so that analyze shows the steps left out as deviations
	// rather than unmatched events.
	Coverage float64
	// MinCases drops the steps (and the names) taken in fewer cases'
	// worth of steps than this (0: none dropped).
	MinCases int64
	// TopVariants keeps only the steps taken by the TopVariants most
	// common variants (0: no such limit), as process-mining tools' variant
	// filter does; with Coverage or MinCases, a step must pass all.
	TopVariants int
	// Stages is how many stages to propose, by the order in which event
	// names occur in cases (0: about one per five touchpoints, at most 6).
	Stages int
	// Owner, Channel and Stage propose, by event name, the touchpoint's
	// owning team, channel and stage (the most frequent value of a log
	// column, as journeymap.DraftAttributes finds them). A name without a
	// Stage falls in the stage of the names around it.
	Owner, Channel, Stage map[string]string
	// OwnerHint, where no owner was proposed, says in a sentence which
	// log columns could say who owns each touchpoint; the draft writes it
	// as a comment.
	OwnerHint string
}

// DraftSummary says what a draft left out: it stays in the log, where
// analyze shows it as deviations.
type DraftSummary struct {
	Names, NamesKept int
	Steps, StepsKept int64 // directly-follows steps between different names
	CasesLeftOut     int64 // cases with a name or step left out
}

// WriteYAML writes d as a journey file that Load accepts, with
// WriteDraft's defaults: every name and step, up to a journey file's
// limits.
func (d *Discovery) WriteYAML(w io.Writer, id string) error {
	_, err := d.WriteDraft(w, DraftOptions{ID: id})
	return err
}

// WriteDraft writes d as a draft journey file that Load accepts, for a
// person to finish: touchpoints for the event names (the most frequent,
// as Coverage, MinCases and TopVariants keep), in stages proposed by the order in which
// they occur in cases; entries where cases start; transitions for the
// directly-follows steps kept (a name repeated in a row is a comment, not
// a designed loop, so that analyze shows the repeats); each end with the
// number of cases that end there and a question: a success, a designed end
// (outcome:), or a drop-off? The most common end is marked a goal so that
// the draft validates. A log with more names than journey.MaxTouchpoints, or steps
// past journey.MaxFileSize, is cut to the most frequent, and the file says so.
func (d *Discovery) WriteDraft(w io.Writer, opts DraftOptions) (DraftSummary, error) {
	var sum DraftSummary
	if err := touchpoint.ValidateID(opts.ID); err != nil {
		return sum, err
	}
	if d.Cases == 0 {
		return sum, fmt.Errorf("the log has no events: nothing to discover")
	}
	cov := opts.Coverage
	if cov <= 0 || cov > 1 {
		cov = 1
	}

	// Events per name: steps into it, and cases starting at it.
	freq := map[string]int64{}
	for n, c := range d.Start {
		freq[n] += c
	}
	for _, e := range d.DFG {
		freq[e.To] += e.Count
	}
	names := slices.Sorted(maps.Keys(freq))
	slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(freq[b], freq[a]) })
	sum.Names = len(names)
	keep := map[string]bool{}
	topEnd := ""
	for _, n := range slices.Sorted(maps.Keys(d.End)) {
		if topEnd == "" || d.End[n] > d.End[topEnd] {
			topEnd = n
		}
	}
	topStart := ""
	for _, n := range slices.Sorted(maps.Keys(d.Start)) {
		if topStart == "" || d.Start[n] > d.Start[topStart] {
			topStart = n
		}
	}
	keep[topStart], keep[topEnd] = true, true // a draft needs an entry and a goal
	for _, n := range names {
		if len(keep) >= journey.MaxTouchpoints {
			break
		}
		if opts.MinCases > 0 && freq[n] < opts.MinCases {
			continue
		}
		keep[n] = true
	}
	for _, n := range []string{topStart, topEnd} {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}

	// Steps between kept names, most frequent first, self-loops aside.
	var steps, loops []DFGEdge
	for _, e := range d.DFG {
		switch {
		case e.From == e.To:
			if keep[e.From] {
				loops = append(loops, e)
			}
		default:
			sum.Steps += e.Count
			if keep[e.From] && keep[e.To] {
				steps = append(steps, e)
			}
		}
	}
	slices.SortStableFunc(steps, func(a, b DFGEdge) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To))
	})
	var stepTotal int64
	for _, e := range steps {
		stepTotal += e.Count
	}
	// The steps of the most common variants, when only those are kept.
	var inTop map[[2]string]bool
	if opts.TopVariants > 0 {
		inTop = map[[2]string]bool{}
		for _, v := range d.Variants[:min(opts.TopVariants, len(d.Variants))] {
			for i := 1; i < len(v.Path); i++ {
				inTop[[2]string{v.Path[i-1], v.Path[i]}] = true
			}
		}
	}
	var kept []DFGEdge
	var stepHeld int64
	budget := journey.MaxFileSize * 3 / 4 // the transitions' share of a journey file's size
	size := 0
	for _, e := range steps {
		if cov < 1 && float64(stepHeld) >= cov*float64(stepTotal) || opts.MinCases > 0 && e.Count < opts.MinCases ||
			inTop != nil && !inTop[[2]string{e.From, e.To}] || size > budget {
			continue
		}
		kept = append(kept, e)
		stepHeld += e.Count
		size += len(e.From) + len(e.To) + 80
	}
	// Entries: where cases start, but rare starts are left to analyze, as
	// deviations from an entry.
	entry := map[string]bool{}
	for n, c := range d.Start {
		if keep[n] && (cov == 1 && opts.MinCases == 0 && opts.TopVariants == 0 || n == topStart || c >= max(opts.MinCases, d.Cases/100)) {
			entry[n] = true
		}
	}
	kept = reachAll(kept, steps, keep, entry)
	for _, e := range kept {
		sum.StepsKept += e.Count
	}
	sum.NamesKept = len(keep)

	// Cases with a name or step left out, from the variants.
	has := map[[2]string]bool{}
	for _, e := range kept {
		has[[2]string{e.From, e.To}] = true
	}
	for _, v := range d.Variants {
		for i, n := range v.Path {
			if !keep[n] || i > 0 && v.Path[i-1] != n && !has[[2]string{v.Path[i-1], n}] {
				sum.CasesLeftOut += v.Cases
				break
			}
		}
	}

	// Stages by where names occur in cases: the mean position, from 0 at
	// a case's start to 1 at its end, over the variants.
	pos := map[string]float64{}
	weight := map[string]float64{}
	for _, v := range d.Variants {
		for i, n := range v.Path {
			x := 0.0
			if len(v.Path) > 1 {
				x = float64(i) / float64(len(v.Path)-1)
			}
			pos[n] += x * float64(v.Cases)
			weight[n] += float64(v.Cases)
		}
	}
	var ordered []string
	for _, n := range names {
		if keep[n] {
			if weight[n] > 0 {
				pos[n] /= weight[n]
			}
			ordered = append(ordered, n)
		}
	}
	slices.SortStableFunc(ordered, func(a, b string) int { return cmp.Or(cmp.Compare(pos[a], pos[b]), cmp.Compare(a, b)) })
	k := opts.Stages
	if k <= 0 {
		k = min(6, max(1, (len(ordered)+4)/5))
	}
	k = min(k, len(ordered))
	stageOf := map[string]int{}
	for i, n := range ordered {
		stageOf[n] = i * k / len(ordered)
	}
	var stageNames []string // from the log's stage column, when it has one
	if len(opts.Stage) > 0 {
		idx := map[string]int{}
		for _, n := range ordered { // stages in the order their first name occurs
			if st := opts.Stage[n]; st != "" {
				if _, ok := idx[st]; !ok {
					idx[st] = len(stageNames)
					stageNames = append(stageNames, st)
				}
			}
		}
		last := 0
		for _, n := range ordered {
			if st, ok := idx[opts.Stage[n]]; ok {
				last = st
			}
			stageOf[n] = last
		}
		k = max(1, len(stageNames))
	}

	ids, groups := touchpointIDs(ordered, freq)
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var b strings.Builder
	fmt.Fprintf(&b, "# Draft journey discovered by journeymap from %d cases and %d events.\n", d.Cases, d.Events)
	if sum.NamesKept < sum.Names || sum.StepsKept < sum.Steps {
		fmt.Fprintf(&b, "# Kept %d of %d event names and %d of %d steps (%.0f%%); %d cases have a name or step left out.\n",
			sum.NamesKept, sum.Names, sum.StepsKept, sum.Steps, 100*float64(sum.StepsKept)/math.Max(1, float64(sum.Steps)), sum.CasesLeftOut)
		b.WriteString("# What is left out stays in the log: analyze shows it as deviations.\n")
	}
	if len(d.Variants) > 0 {
		var held int64
		var top []string
		for _, v := range d.Variants[:min(5, len(d.Variants))] {
			held += v.Cases
			shown := make([]string, min(8, len(v.Path)))
			for i, n := range v.Path[:len(shown)] {
				shown[i] = prose.Printable(n) // a name never breaks the comment's line
			}
			path := strings.Join(shown, " > ")
			if len(v.Path) > 8 {
				path += " > ..."
			}
			top = append(top, fmt.Sprintf("%d cases: %s", v.Cases, path))
		}
		fmt.Fprintf(&b, "# The %d most frequent variants cover %.0f%% of the cases:\n", len(top), 100*float64(held)/float64(d.Cases))
		for _, t := range top {
			fmt.Fprintf(&b, "#   %s\n", t)
		}
	}
	b.WriteString("# Stages are proposed from the order in which names occur in cases: rename and regroup them,\n")
	b.WriteString("# add channels and owners, and remove the transitions that should not happen.\n")
	if opts.OwnerHint != "" { // one comment line, whatever the hint holds
		fmt.Fprintf(&b, "# %s\n", strings.NewReplacer("\n", " ", "\r", " ").Replace(opts.OwnerHint))
	}
	b.WriteString("# Each end asks how cases end there: \"outcome: success\" (ended well, whatever follows),\n")
	b.WriteString("# \"outcome: <word>\" for a designed end (declined, cancelled...), or nothing where customers give up.\n")
	fmt.Fprintf(&b, "id: %s\nname: %s\nstages:\n", opts.ID, q("As-is journey of "+opts.ID))
	for s := range k {
		first := ""
		for _, n := range ordered {
			if stageOf[n] == s {
				first = n
				break
			}
		}
		name := fmt.Sprintf("Stage %d (from %s)", s+1, prose.Printable(first))
		if s < len(stageNames) {
			name = stageNames[s]
		}
		fmt.Fprintf(&b, "  - id: stage_%d\n    name: %s\n", s+1, q(name))
	}
	b.WriteString("touchpoints:\n")
	for _, n := range ordered {
		members := groups[n]
		if members == nil {
			continue // written with the name it reads alike, the most frequent
		}
		fmt.Fprintf(&b, "  - id: %s\n", ids[n])
		fmt.Fprintf(&b, "    name: %s\n    stage: stage_%d\n", q(n), stageOf[n]+1)
		var match []string
		for _, m := range members {
			if m != ids[n] {
				match = append(match, q(m))
			}
		}
		if len(match) > 0 {
			fmt.Fprintf(&b, "    match: [%s]\n", strings.Join(match, ", "))
		}
		if len(members) > 1 {
			fmt.Fprintf(&b, "    # %d event names that read alike are this one touchpoint\n", len(members))
		}
		if ch := opts.Channel[n]; ch != "" {
			fmt.Fprintf(&b, "    channel: %s\n", q(touchpoint.NormalizeChannel(ch)))
		}
		if o := opts.Owner[n]; o != "" {
			fmt.Fprintf(&b, "    owner: %s\n", q(o))
		}
		var starts, ends int64
		isEntry, isGoal := false, false
		for _, m := range members {
			starts += d.Start[m]
			ends += d.End[m]
			isEntry = isEntry || entry[m]
			isGoal = isGoal || m == topEnd
		}
		if isEntry {
			fmt.Fprintf(&b, "    entry: true  # %d cases start here\n", starts)
		}
		if ends > 0 {
			fmt.Fprintf(&b, "    # %d cases (%.0f%%) end here: a success, a designed end (outcome: ...), or a drop-off?\n", ends, 100*float64(ends)/float64(d.Cases))
			if isGoal {
				b.WriteString("    goal: true   # the most common end, marked so that the draft validates: check it\n")
			}
		}
	}
	// Steps between names of one touchpoint are repeats of it; steps
	// between two touchpoints, by any of their names, one transition (the
	// busiest name pair's median).
	byIDs := map[[2]string]DFGEdge{}
	for _, e := range kept {
		a, z := ids[e.From], ids[e.To]
		if a == z {
			loops = append(loops, e)
			continue
		}
		k := [2]string{a, z}
		if o, ok := byIDs[k]; ok {
			if e.Count > o.Count {
				o.MedianS = e.MedianS
			}
			o.Count += e.Count
			byIDs[k] = o
			continue
		}
		byIDs[k] = e
	}
	repeats := map[string]int64{}
	for _, e := range loops {
		repeats[ids[e.From]] += e.Count
	}
	for _, id := range slices.Sorted(maps.Keys(repeats)) {
		fmt.Fprintf(&b, "# %s is repeated right away %d times: add {from: %s, to: %s} if that is by design (a work item resumed).\n", id, repeats[id], id, id)
	}
	b.WriteString("transitions:\n")
	for _, k := range slices.SortedFunc(maps.Keys(byIDs), func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }) {
		e := byIDs[k]
		fmt.Fprintf(&b, "  - {from: %s, to: %s}  # %d steps, median %s\n", k[0], k[1], e.Count, journey.FormatDuration(time.Duration(e.MedianS*1e9).Round(time.Second)))
	}
	_, err := io.WriteString(w, b.String())
	return sum, err
}

// reachAll adds to kept, for every kept name that no kept entry reaches
// along kept steps, the most frequent observed step into it from a name
// that is reached, so that every touchpoint of the draft can be met.
// steps are sorted most frequent first. The search goes on from each
// added step rather than starting again: O(V + E) for the search, and
// O(E) to find each step added.
func reachAll(kept, steps []DFGEdge, keep, entry map[string]bool) []DFGEdge {
	next := map[string][]string{}
	for _, e := range kept {
		next[e.From] = append(next[e.From], e.To)
	}
	reached := map[string]bool{}
	var queue []string
	visit := func(n string) {
		if !reached[n] {
			reached[n] = true
			queue = append(queue, n)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(keep)) {
		if entry[n] {
			visit(n)
		}
	}
	for {
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, to := range next[n] {
				visit(to)
			}
		}
		// A kept step from a reached name reaches its target, so the
		// step found is never one kept already.
		i := slices.IndexFunc(steps, func(e DFGEdge) bool { return reached[e.From] && !reached[e.To] })
		if i < 0 {
			return kept
		}
		kept = append(kept, steps[i])
		visit(steps[i].To)
	}
}

// touchpointIDs gives each kept event name its touchpoint's id. Names
// that read alike (journey.LooseName: "Submit", "submit", "SUBMIT") are
// one touchpoint, under the most frequent of them (groups holds its
// names, most frequent first; the others have no group): a journey
// cannot tell them apart when a log writes them loosely. An id is the
// name's slug, suffixed until it is no other touchpoint's name and reads
// like none (journey.Parse refuses both).
func touchpointIDs(names []string, freq map[string]int64) (ids map[string]string, groups map[string][]string) {
	byFreq := slices.Clone(names)
	slices.SortStableFunc(byFreq, func(a, b string) int { return cmp.Or(cmp.Compare(freq[b], freq[a]), cmp.Compare(a, b)) })
	rep := map[string]string{} // loose form -> the group's name
	groups = map[string][]string{}
	owner := map[string]string{} // every name and loose form -> its group
	for _, n := range byFreq {
		l := journey.LooseName(n)
		r, ok := rep[l]
		if !ok {
			r = n
			rep[l] = n
		}
		groups[r] = append(groups[r], n)
		owner[n], owner[l] = r, r
	}
	ids = map[string]string{}
	for _, r := range slices.Sorted(maps.Keys(groups)) {
		base := slug(r)
		idv := base
		for c := 2; ; c++ {
			o1, taken1 := owner[idv]
			o2, taken2 := owner[journey.LooseName(idv)]
			if (!taken1 || o1 == r) && (!taken2 || o2 == r) {
				break
			}
			idv = fmt.Sprintf("%s_%d", base, c)
		}
		owner[idv], owner[journey.LooseName(idv)] = r, r
		for _, n := range groups[r] {
			ids[n] = idv
		}
	}
	return ids, groups
}
