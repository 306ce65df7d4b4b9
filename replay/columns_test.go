package replay_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// A block of Columns that does not hold together is an error saying what
// to fix, never a panic or a wrong result.
func TestReplayColumnsRefusesBadBlocks(t *testing.T) {
	j, err := journey.Load("../journey/testdata/good/small.yaml")
	require.NoError(t, err)
	good := func() *replay.Columns {
		return &replay.Columns{Case: []string{"c1", "c1"}, Names: []string{"home", "cart"}, Name: []int32{0, 1}, Time: []int64{0, 1}}
	}
	for _, tc := range []struct {
		name, want string
		edit       func(*replay.Columns)
	}{
		{"fewer times", "2 case ids, 2 names and 1 times", func(c *replay.Columns) { c.Time = c.Time[:1] }},
		{"name out of range", "event 1 of a block of Columns has name 2, and the block has 2 names", func(c *replay.Columns) { c.Name[1] = 2 }},
		{"negative name", "has name -1", func(c *replay.Columns) { c.Name[0] = -1 }},
		{"short channel", "2 events and 1 of Channel", func(c *replay.Columns) { c.Values, c.Channel = []string{"web"}, []int32{0} }},
		{"channel out of range", "event 0 of a block of Columns has Channel 1, and the block has 1 values", func(c *replay.Columns) { c.Values, c.Channel = []string{"web"}, []int32{1, 0} }},
		{"lifecycle below -1", "has Lifecycle -2", func(c *replay.Columns) { c.Lifecycle = []int32{-2, -1} }},
		{"segment with no values", "has Segment 0, and the block has 0 values", func(c *replay.Columns) { c.Segment = []int32{0, 0} }},
		{"short lines", "2 events and 3 lines", func(c *replay.Columns) { c.Line = []int64{1, 2, 3} }},
		{"short scores", "2 events and 1 NPS scores", func(c *replay.Columns) { c.NPS = []int8{5} }},
		{"CSAT of 0", "event at line 0: a score out of range (CSAT 0 of 1-5; -1 for none)", func(c *replay.Columns) { c.CSAT = []int8{-1, 0} }},
		{"NPS of 11", "event at line 8: a score out of range (NPS 11 of 0-10", func(c *replay.Columns) { c.Line, c.NPS = []int64{7, 8}, []int8{10, 11} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := good()
			tc.edit(c)
			src := blocks{c}
			_, err := replay.RunColumns(context.Background(), j, &src, replay.Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	src := blocks{good()}
	res, err := replay.RunColumns(context.Background(), j, &src, replay.Options{})
	require.NoError(t, err)
	assert.EqualValues(t, 2, res.Events.Replayed)
}
