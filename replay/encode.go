package replay

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/journeymap/journeymap/internal/design"
	"github.com/journeymap/journeymap/internal/exact"
	"github.com/journeymap/journeymap/internal/wire"
	"github.com/journeymap/journeymap/journey"
)

// MarshalBinary encodes the distribution exactly: merging decoded
// distributions gives what merging the originals gives.
func (d *Durations) MarshalBinary() ([]byte, error) {
	hi, lo := d.sum.Parts()
	b := binary.AppendVarint(nil, d.n)
	b = binary.AppendVarint(b, hi)
	b = binary.AppendUvarint(b, lo)
	b = binary.AppendVarint(b, int64(d.min))
	b = binary.AppendVarint(b, int64(d.max))
	if d.buckets == nil {
		b = append(b, 0)
		b = binary.AppendUvarint(b, uint64(len(d.exact)))
		for _, v := range d.exact {
			b = binary.AppendVarint(b, int64(v))
		}
		return b, nil
	}
	b = append(b, 1)
	used := 0
	for _, c := range d.buckets {
		if c != 0 {
			used++
		}
	}
	b = binary.AppendUvarint(b, uint64(used))
	for k, c := range d.buckets {
		if c != 0 {
			b = binary.AppendUvarint(b, uint64(k))
			b = binary.AppendVarint(b, c)
		}
	}
	return b, nil
}

// errDurations is UnmarshalBinary's error for bytes MarshalBinary did not
// write.
var errDurations = errors.New("journey: not an encoded Durations")

// UnmarshalBinary decodes what MarshalBinary encoded.
func (d *Durations) UnmarshalBinary(b []byte) error {
	r := wire.NewReader(b)
	*d = Durations{n: r.Int()}
	hi := r.Int()
	d.sum = exact.SumOf(hi, r.Uint())
	d.min, d.max = time.Duration(r.Int()), time.Duration(r.Int())
	switch kind, n := r.Byte(), r.Count(); {
	case d.n < 0 || kind > 1:
		r.Fail()
	case kind == 0:
		if n > exactLimit || int64(n) != d.n {
			r.Fail()
		}
		for range n {
			d.exact = append(d.exact, time.Duration(r.Int()))
		}
	default:
		d.buckets = make([]int64, 0, 1024)
		for range n {
			k := r.Index(int(bucketOf(math.MaxInt64)) + 1)
			d.count(uint16(k), r.Int())
		}
	}
	if !r.OK() {
		*d = Durations{}
		return errDurations
	}
	return nil
}

// resultWire is a Result as it is encoded: its exported figures, and the
// per-case aggregates that need the journey to read.
type resultWire struct {
	Shape          [4]int // touchpoints, stages, pairs, consistency pairs: which journey it was replayed through
	Events         [7]int64
	Cases          [6]int64
	Ended          map[string]int64
	Counts         Counts
	LogStart       time.Time
	LogEnd         time.Time
	Touchpoints    []TouchpointStats
	Transitions    []TransitionStats
	Stages         []StageStats
	UnmatchedNames map[string]int64
	LooseNames     map[string]string
	Channels       []string
	CaseList       []Case
	Segments       map[string]*resultWire
	Durations      Durations
	Resolution     Durations
	StagePairs     []int64   // by Journey.pairSlot (renamed when the slots were renumbered: an older result does not decode)
	Consistency    [][]int64 // per pair: both, then main by designed channel
}

func (r *Result) wire() *resultWire {
	w := &resultWire{
		Events:   [7]int64{r.Events.Read, r.Events.Replayed, r.Events.Unmatched, r.Events.Malformed, r.Events.Duplicates, r.Events.Folded, r.Events.Outside},
		Cases:    [6]int64{r.Cases.Total, r.Cases.Completed, r.Cases.Dropped, r.Cases.InProgress, r.Cases.NoVisit, r.Cases.UnmatchedOnly},
		Ended:    r.Cases.Ended,
		Counts:   r.Counts,
		LogStart: r.LogStart, LogEnd: r.LogEnd,
		Touchpoints: r.Touchpoints, Stages: r.Stages,
		UnmatchedNames: r.UnmatchedNames, LooseNames: r.LooseNames, Channels: r.Channels, CaseList: r.CaseList,
		Durations: r.Durations, Resolution: r.Resolution, StagePairs: r.together,
	}
	if r.j != nil {
		w.Shape = [4]int{len(r.j.Touchpoints), r.j.NStages, r.j.NPairs, len(r.j.ConsIdx)}
	}
	for _, k := range slices.SortedFunc(maps.Keys(r.Transitions), func(a, b [2]int32) int { return cmpPair(a, b) }) {
		w.Transitions = append(w.Transitions, *r.Transitions[k])
	}
	for _, c := range r.consistency {
		w.Consistency = append(w.Consistency, append([]int64{c.both}, c.main...))
	}
	if len(r.Segments) > 0 {
		w.Segments = map[string]*resultWire{}
		for name, seg := range r.Segments {
			w.Segments[name] = seg.wire()
		}
	}
	return w
}

func cmpPair(a, b [2]int32) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) }

// MarshalBinary encodes the result, so that results replayed on other
// machines can be sent to one and merged (a Beam combiner's
// accumulator). Decode decodes it.
func (r *Result) MarshalBinary() ([]byte, error) {
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(r.wire()); err != nil {
		return nil, fmt.Errorf("journey: encoding a result: %w", err)
	}
	return b.Bytes(), nil
}

// Decode decodes a Result that Result.MarshalBinary encoded from a
// replay through j (or a journey of the same shape, loaded from the same
// file). It is an error if the bytes are not such a result.
func Decode(jr *journey.Journey, b []byte) (*Result, error) {
	j, err := indexOf(jr)
	if err != nil {
		return nil, err
	}
	var w resultWire
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&w); err != nil {
		return nil, fmt.Errorf("journey: decoding a result: %w", err)
	}
	return fromWire(j, &w)
}

func fromWire(j *design.Index, w *resultWire) (*Result, error) {
	if w.Shape != [4]int{len(j.Touchpoints), j.NStages, j.NPairs, len(j.ConsIdx)} ||
		len(w.Touchpoints) != len(j.Touchpoints) || len(w.Stages) != j.NStages ||
		len(w.StagePairs) != j.NPairs || len(w.Consistency) != len(j.ConsIdx) {
		return nil, fmt.Errorf("journey: the result was replayed through another journey (%d touchpoints, %d stages), not %q (%d, %d)", w.Shape[0], w.Shape[1], j.ID, len(j.Touchpoints), j.NStages)
	}
	r := newResult(j, nil)
	r.Events.Read, r.Events.Replayed, r.Events.Unmatched, r.Events.Malformed, r.Events.Duplicates, r.Events.Folded, r.Events.Outside = w.Events[0], w.Events[1], w.Events[2], w.Events[3], w.Events[4], w.Events[5], w.Events[6]
	r.Cases.Total, r.Cases.Completed, r.Cases.Dropped, r.Cases.InProgress, r.Cases.NoVisit, r.Cases.UnmatchedOnly = w.Cases[0], w.Cases[1], w.Cases[2], w.Cases[3], w.Cases[4], w.Cases[5]
	r.Cases.Ended = w.Ended
	r.Counts = w.Counts
	r.LogStart, r.LogEnd = w.LogStart, w.LogEnd
	r.Touchpoints, r.Stages = w.Touchpoints, w.Stages
	for i := range r.Touchpoints {
		for prev := range r.Touchpoints[i].DropPrev {
			if prev < -1 || int(prev) >= len(j.Touchpoints) {
				return nil, fmt.Errorf("journey: the result has a drop after touchpoint %d; %q has %d", prev, j.ID, len(j.Touchpoints))
			}
		}
	}
	for _, c := range w.CaseList {
		for _, tp := range c.Path {
			if tp < 0 || int(tp) >= len(j.Touchpoints) {
				return nil, fmt.Errorf("journey: the result has a case through touchpoint %d; %q has %d", tp, j.ID, len(j.Touchpoints))
			}
		}
	}
	for i := range w.Transitions {
		t := &w.Transitions[i]
		if t.From < -1 || t.To < 0 || int(t.From) >= len(j.Touchpoints) || int(t.To) >= len(j.Touchpoints) {
			return nil, fmt.Errorf("journey: the result has a transition between touchpoints %d and %d; %q has %d", t.From, t.To, j.ID, len(j.Touchpoints))
		}
		r.Transitions[[2]int32{t.From, t.To}] = t
	}
	r.UnmatchedNames, r.LooseNames, r.Channels, r.CaseList = w.UnmatchedNames, w.LooseNames, w.Channels, w.CaseList
	r.Durations, r.Resolution = w.Durations, w.Resolution
	r.together = w.StagePairs
	for k, c := range w.Consistency {
		if len(c) != 1+len(j.DchNames) {
			return nil, fmt.Errorf("journey: the result counts %d channels where %q designs %d", len(c)-1, j.ID, len(j.DchNames))
		}
		r.consistency[k] = consistencyCount{both: c[0], main: c[1:]}
	}
	for name, sw := range w.Segments {
		seg, err := fromWire(j, sw)
		if err != nil {
			return nil, err
		}
		r.Segments[name] = seg
	}
	return r, nil
}
