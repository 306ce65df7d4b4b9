package discovery

import (
	"bytes"
	"encoding/binary"
	"errors"
	"maps"
	"slices"
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
		for _, c := range s.chunks {
			for _, ns := range c {
				b = binary.AppendVarint(b, ns)
			}
		}
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded into an empty t.
func (t *Tally) UnmarshalBinary(data []byte) (err error) {
	r := bytes.NewReader(data)
	v := func() int64 {
		x, err := binary.ReadVarint(r)
		if err != nil {
			panic(errTally)
		}
		return x
	}
	count := func() int { // a length, at most what is left to read
		x, err := binary.ReadUvarint(r)
		if err != nil || x > uint64(r.Len()) {
			panic(errTally)
		}
		return int(x)
	}
	index := func() int {
		x, err := binary.ReadUvarint(r)
		if err != nil || x >= uint64(len(t.Names)) {
			panic(errTally)
		}
		return int(x)
	}
	bytesOf := func() string {
		b := make([]byte, count())
		r.Read(b)
		return string(b)
	}
	defer func() {
		if p := recover(); p != nil {
			if p != errTally {
				panic(p)
			}
			err = errTally
		}
	}()
	*t = Tally{}
	n := count()
	for range n {
		name := bytesOf()
		if k := t.Name(name); int(k) != len(t.Names)-1 {
			panic(errTally) // a name twice
		}
		t.Start = append(t.Start, v())
		t.End = append(t.End, v())
		t.Rework = append(t.Rework, v())
	}
	t.seen = make([]int32, n)
	t.Cases, t.Events = v(), v()
	t.Variants = map[string]int64{}
	for range count() {
		k := bytesOf()
		if len(k)%4 != 0 {
			panic(errTally)
		}
		for i := 0; i < len(k); i += 4 {
			if binary.LittleEndian.Uint32([]byte(k[i:])) >= uint32(n) {
				panic(errTally)
			}
		}
		t.Variants[k] = v()
	}
	t.Durations = make([]int64, count())
	for i := range t.Durations {
		t.Durations[i] = v()
	}
	t.edges.fit(n)
	for range count() {
		from, to := index(), index()
		e := t.edges.edge(int32(from), int32(to))
		steps := count()
		if steps == 0 {
			panic(errTally) // an edge is counted only when a step takes it
		}
		for range steps {
			t.edges.times[e].add(v())
		}
	}
	if r.Len() != 0 {
		panic(errTally)
	}
	return nil
}
