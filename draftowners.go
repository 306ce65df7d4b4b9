package journeymap

import (
	"cmp"
	"context"
	"io"
	"slices"
	"strings"
)

// Column is a log column that could say who owns each touchpoint, with
// how many distinct values it has and the share of events that have one.
type Column struct {
	Name   string
	Values int
	Share  float64
}

// maxOwnerValues is the most distinct values a column may have to be
// proposed as owners: teams, not people or customers.
const maxOwnerValues = 50

// OwnerCandidates reads the log at eventsPath once more and returns the
// columns that could serve as the touchpoints' owners where no
// organisational column (org:group, org:role) fits: those with 2 to 50
// distinct values, no more than half as many as there are cases (a
// column per customer is not a team), on at least half of the events, named like a team
// first (group, team, section, department, unit, queue, role, owner,
// resource), then by fewest values. A log that cannot be read again
// proposes none. It holds at most 51 values a column.
func OwnerCandidates(ctx context.Context, eventsPath string, opts Options) ([]Column, error) {
	if !Rereadable(eventsPath, opts) {
		return nil, nil
	}
	eo := readOptions(opts)
	eo.Attrs = nil // every column
	r, err := openLogWith(ctx, eventsPath, opts, eo)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	values := map[string]map[string]bool{}
	cases := map[string]bool{} // up to 2*maxOwnerValues: enough to tell a column per customer
	seen := map[string]int64{}
	var events int64
	for n := 0; ; n++ {
		if n&4095 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ev, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		events++
		if len(cases) < 2*maxOwnerValues && !cases[ev.Case] {
			cases[strings.Clone(ev.Case)] = true
		}
		for _, a := range ev.Attrs {
			if a.Value == "" || strings.HasPrefix(a.Key, "time:") || a.Key == "lifecycle:transition" {
				continue
			}
			vs := values[a.Key]
			if vs == nil {
				vs = map[string]bool{}
				values[a.Key] = vs
			}
			if len(vs) <= maxOwnerValues {
				vs[strings.Clone(a.Value)] = true
			}
			seen[a.Key]++
		}
	}
	var out []Column
	for k, vs := range values {
		if share := float64(seen[k]) / float64(max(events, 1)); len(vs) >= 2 && len(vs) <= maxOwnerValues && 2*len(vs) <= len(cases) && share >= 0.5 {
			out = append(out, Column{Name: k, Values: len(vs), Share: share})
		}
	}
	teamLike := func(name string) int {
		for _, w := range []string{"group", "team", "section", "department", "unit", "queue", "role", "owner", "resource"} {
			if strings.Contains(strings.ToLower(name), w) {
				return 0
			}
		}
		return 1
	}
	slices.SortFunc(out, func(a, b Column) int {
		return cmp.Or(cmp.Compare(teamLike(a.Name), teamLike(b.Name)), cmp.Compare(a.Values, b.Values), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}
