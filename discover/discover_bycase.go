package discover

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/journeymap/journeymap/internal/discovery"
	"github.com/journeymap/journeymap/replay"
)

// Tally counts what Run reports a case at a time, for a
// program that groups events by case itself (a Beam pipeline after its
// GroupByKey). Tallies of disjoint sets of cases merge into the tally of
// them all, and Discovery gives what Run gives on the whole log.
//
// It holds the time of every step (8 bytes each) and every case's
// duration, so that medians are exact, as Run does. The zero value
// is empty and ready; it is not safe for concurrent use.
type Tally struct {
	t     discovery.Tally
	names []int32
	times []int64
	order []int
}

// AddCase counts one case: its events in the order the log holds them
// (Run orders them by time, keeping that order for ties). A case
// without events is not counted.
func (d *Tally) AddCase(events []replay.Event) {
	if len(events) == 0 {
		return
	}
	d.order = d.order[:0]
	for i := range events {
		d.order = append(d.order, i)
	}
	slices.SortStableFunc(d.order, func(a, b int) int { return cmp.Compare(events[a].Time.UnixNano(), events[b].Time.UnixNano()) })
	d.names, d.times = d.names[:0], d.times[:0]
	for _, i := range d.order {
		d.names = append(d.names, d.t.Name(events[i].Touchpoint))
		d.times = append(d.times, events[i].Time.UnixNano())
	}
	d.t.AddCase(d.names, d.times)
}

// Merge adds o's cases to d. o must not be used afterwards.
func (d *Tally) Merge(o *Tally) { d.t.Merge(&o.t) }

// Discovery is the as-is journey of the cases counted.
func (d *Tally) Discovery() *Discovery { return fromTally(&d.t) }

// MarshalBinary encodes the tally exactly, every step time included.
func (d *Tally) MarshalBinary() ([]byte, error) { return d.t.MarshalBinary() }

// UnmarshalBinary decodes what MarshalBinary encoded.
func (d *Tally) UnmarshalBinary(b []byte) error {
	*d = Tally{}
	if err := d.t.UnmarshalBinary(b); err != nil {
		return fmt.Errorf("journey: %w", err)
	}
	return nil
}
