package discovery

import (
	"encoding/binary"
	"errors"
	"maps"
	"slices"

	"github.com/journeymap/journeymap/internal/wire"
)

var errTally = errors.New("not an encoded discovery tally")

// MarshalBinary encodes the tally exactly (every step time included), so
// that tallies counted on other machines can be sent to one and merged.
func (t *Tally) MarshalBinary() ([]byte, error) {
	t.fit(len(t.Names))
	b := binary.AppendUvarint(nil, uint64(len(t.Names)))
	for i, n := range t.Names {
		b = binary.AppendUvarint(b, uint64(len(n)))
		b = append(b, n...)
		b = binary.AppendVarint(b, t.Start[i])
		b = binary.AppendVarint(b, t.End[i])
		b = binary.AppendVarint(b, t.Rework[i])
	}
	b = binary.AppendVarint(b, t.Cases)
	b = binary.AppendVarint(b, t.Events)
	b = binary.AppendUvarint(b, uint64(len(t.Variants)))
	for _, k := range slices.Sorted(maps.Keys(t.Variants)) {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		b = binary.AppendVarint(b, t.Variants[k])
	}
	b = binary.AppendUvarint(b, uint64(len(t.Durations)))
	for _, d := range t.Durations {
		b = binary.AppendVarint(b, d)
	}
	b = binary.AppendUvarint(b, uint64(len(t.edges.pairs)))
	for e, p := range t.edges.pairs {
		b = binary.AppendUvarint(b, uint64(p[0]))
		b = binary.AppendUvarint(b, uint64(p[1]))
		s := &t.edges.times[e]
		b = binary.AppendUvarint(b, uint64(s.n))
		for c := range s.parts() {
			for _, ns := range c {
				b = binary.AppendVarint(b, ns)
			}
		}
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into an empty t.
func (t *Tally) UnmarshalBinary(data []byte) error {
	r := wire.NewReader(data)
	*t = Tally{}
	n := r.Count()
	for range n {
		if k := t.Name(r.String()); int(k) != len(t.Start) {
			r.Fail() // a name twice
		}
		t.Start = append(t.Start, r.Int())
		t.End = append(t.End, r.Int())
		t.Rework = append(t.Rework, r.Int())
	}
	n = len(t.Names)
	t.seen = make([]int32, n)
	t.Cases, t.Events = r.Int(), r.Int()
	t.Variants = map[string]int64{}
	for range r.Count() {
		k := r.String()
		if len(k)%4 != 0 {
			r.Fail()
		}
		for i := 0; i+4 <= len(k); i += 4 {
			if binary.LittleEndian.Uint32([]byte(k[i:])) >= uint32(n) {
				r.Fail()
			}
		}
		t.Variants[k] = r.Int()
	}
	t.Durations = make([]int64, r.Count())
	for i := range t.Durations {
		t.Durations[i] = r.Int()
	}
	t.edges.fit(n)
	for range r.Count() {
		from, to := r.Index(n), r.Index(n)
		steps := r.Count()
		if steps == 0 {
			r.Fail() // an edge is counted only when a step takes it
			break
		}
		e := t.edges.edge(int32(from), int32(to))
		for range steps {
			t.edges.times[e].add(r.Int())
		}
	}
	if !r.OK() {
		*t = Tally{}
		return errTally
	}
	return nil
}
