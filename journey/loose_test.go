package journey_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

func TestLooseName(t *testing.T) {
	for in, want := range map[string]string{
		"Select Shipping": "select_shipping", "select-shipping": "select_shipping", "  Select__ - Shipping ": "select_shipping",
		"PAY": "pay", "a\tb": "a_b", "": "",
	} {
		assert.Equal(t, want, journey.LooseName(in), in)
	}
}

// Event names as a CRM writes them meet their touchpoints loosely, and
// the result lists each with the touchpoint it met; an exact name never
// counts as loose.
func TestLooseNamesMeetTouchpoints(t *testing.T) {
	j, err := journey.Parse(strings.NewReader(`
id: crm
stages: [{id: s}]
touchpoints:
  - {id: select_shipping, stage: s, entry: true}
  - {id: pay, stage: s, goal: true, match: [Payment Done]}
transitions: [{from: select_shipping, to: pay}]
`), "crm.yaml")
	require.NoError(t, err)
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	evs := []replay.Event{
		{Case: "a", Touchpoint: "Select Shipping", Time: t0, CSAT: -1, CES: -1, NPS: -1},
		{Case: "a", Touchpoint: "payment-done", Time: t0.Add(time.Minute), CSAT: -1, CES: -1, NPS: -1},
		{Case: "b", Touchpoint: "select_shipping", Time: t0, CSAT: -1, CES: -1, NPS: -1},
		{Case: "b", Touchpoint: "Payment Done", Time: t0.Add(time.Minute), CSAT: -1, CES: -1, NPS: -1},
		{Case: "b", Touchpoint: "refund", Time: t0.Add(2 * time.Minute), CSAT: -1, CES: -1, NPS: -1},
	}
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{})
	require.NoError(t, err)
	assert.Equal(t, int64(4), res.Events.Replayed)
	assert.Equal(t, int64(1), res.Events.Unmatched)
	assert.Equal(t, map[string]string{"Select Shipping": "select_shipping", "payment-done": "pay"}, res.LooseNames)
	assert.Equal(t, map[string]int64{"refund": 1}, res.UnmatchedNames)
	assert.Equal(t, int64(2), res.Touchpoints[j.Index("pay")].Cases, "both cases met pay, exactly or loosely")
}

// Two touchpoints whose names meet in one loose form are a load error
// naming both: a loose name must mean one touchpoint.
func TestLooseNameCollisionIsALoadError(t *testing.T) {
	_, err := journey.Parse(strings.NewReader(`
id: clash
stages: [{id: s}]
touchpoints:
  - {id: pay-now, stage: s, entry: true}
  - {id: pay_now, stage: s, goal: true}
transitions: [{from: pay-now, to: pay_now}]
`), "clash.yaml")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `touchpoints "pay-now" and "pay_now" have names that read alike ("pay_now")`)
}

// A journey over the touchpoint limit is refused before its
// touchpoints² tables are built: at once, in little memory.
func TestTooManyTouchpointsRefusedBeforeBuilding(t *testing.T) {
	var b strings.Builder
	n := 3 * journey.MaxTouchpoints
	b.WriteString("id: big\nstages: [s]\ntouchpoints:\n")
	for i := range n {
		fmt.Fprintf(&b, "  - {id: t%d, stage: s, entry: %v, goal: %v}\n", i, i == 0, i == n-1)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := journey.Parse(strings.NewReader(b.String()), "big.yaml")
	runtime.ReadMemStats(&after)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("journey has %d touchpoints; the limit is %d", n, journey.MaxTouchpoints))
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(400<<20), "no touchpoints² table (one would be %d MB)", n*n*4>>20)
}

// A long value in a journey file is not echoed whole in its errors: its
// first bytes and its length.
func TestLongValuesAreShortenedInErrors(t *testing.T) {
	yaml := "id: " + strings.Repeat("X", 200_000) + "\nstages: [s]\ntouchpoints:\n  - {id: a, stage: " + strings.Repeat("Q", 100_000) + ", entry: true, goal: true}\n"
	_, err := journey.Parse(strings.NewReader(yaml), "long.yaml")
	require.Error(t, err)
	msg := err.Error()
	assert.Less(t, len(msg), 1000, "the message stays short")
	assert.Contains(t, msg, "… (200000 bytes)")
	assert.Contains(t, msg, "… (100000 bytes)")
}
