package replay_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// Results of another journey do not merge: an error, and r untouched.
// A result merged into itself counts twice; a clone shares nothing.
func TestMergeRefusesAnotherJourney(t *testing.T) {
	ctx := context.Background()
	j := loadSmall(t)
	other, err := journey.Load("../examples/retail/journey.yaml")
	require.NoError(t, err)
	evs := randomLog(1, 500)
	r, err := replay.Run(ctx, j, replay.SliceEvents(evs), replay.Options{KeepCases: true})
	require.NoError(t, err)
	o, err := replay.Run(ctx, other, replay.SliceEvents([]replay.Event{ev("x", "home", 0)}), replay.Options{})
	require.NoError(t, err)

	before := replay.Canonical(r.Clone())
	err = r.Merge(o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "results merge only when replayed through the same journey")
	assert.Equal(t, before, replay.Canonical(r.Clone()), "r is as it was")

	twice, err := replay.Run(ctx, j, replay.SliceEvents(append(append([]replay.Event{}, evs...), renamed(evs, "b-")...)), replay.Options{KeepCases: true})
	require.NoError(t, err)
	self := r.Clone()
	require.NoError(t, self.Merge(self))
	assert.Equal(t, twice.Cases, self.Cases)
	assert.Equal(t, twice.Events, self.Events)
	assert.Equal(t, twice.Counts, self.Counts)
	assert.Len(t, self.CaseList, 2*len(r.CaseList))

	c := r.Clone()
	require.NoError(t, c.Merge(r))
	assert.Equal(t, before, replay.Canonical(r.Clone()), "merging a clone into r's copy leaves r alone")
	if len(c.CaseList) > 0 && len(c.CaseList[0].Path) > 0 {
		c.CaseList[0].Path[0] = 99
		assert.NotEqual(t, int32(99), r.CaseList[0].Path[0], "a clone shares no case path")
	}
}

// renamed gives the events new case ids.
func renamed(evs []replay.Event, prefix string) []replay.Event {
	out := make([]replay.Event, len(evs))
	for i, e := range evs {
		e.Case = prefix + e.Case
		out[i] = e
	}
	return out
}

// The names met loosely survive the encoding a Beam worker sends.
func TestEncodedResultKeepsLooseNames(t *testing.T) {
	j := loadSmall(t)
	r, err := replay.Run(context.Background(), j, replay.SliceEvents([]replay.Event{ev("c1", "Home", 0), ev("c1", "PRODUCT", 1)}), replay.Options{})
	require.NoError(t, err)
	require.NotEmpty(t, r.LooseNames)
	b, err := r.MarshalBinary()
	require.NoError(t, err)
	back, err := replay.Decode(j, b)
	require.NoError(t, err)
	assert.Equal(t, r.LooseNames, back.LooseNames)
}

// A segment column of ids holds at most MaxSegments results; the cases
// of the others are replayed into OverflowSegment, none lost.
func TestSegmentsAreBounded(t *testing.T) {
	j := loadSmall(t)
	var evs []replay.Event
	for i := range replay.MaxSegments + 500 {
		e := ev(fmt.Sprintf("c%d", i), "home", 0)
		e.Segment = fmt.Sprintf("s%d", i)
		evs = append(evs, e)
	}
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{BySegment: true, Workers: 1})
	require.NoError(t, err)
	assert.LessOrEqual(t, len(res.Segments), replay.MaxSegments+1)
	require.Contains(t, res.Segments, replay.OverflowSegment)
	var cases int64
	for _, s := range res.Segments {
		cases += s.Cases.Total
	}
	assert.Equal(t, res.Cases.Total, cases, "every case in one segment")
	assert.Equal(t, int64(len(evs)), res.Cases.Total)
}
