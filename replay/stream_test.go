package replay_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/replay"
)

// caseLog makes a log of n cases through small.yaml's names, spread over
// two months, with gaps between a case's events of up to four days (the
// case timeout is two), so that cases complete, drop and stay in
// progress, and some go quiet for longer than the timeout and come back.
// Events are in case order; each case's events in time order, with ties.
func caseLog(seed uint64, n int) []replay.Event {
	rng := rand.New(rand.NewPCG(seed, 11))
	names := []string{"home", "search", "product", "pdp", "cart", "help", "paid", "landing", "nope"}
	var evs []replay.Event
	for c := range n {
		id := fmt.Sprintf("c%d", c+1) // c1 ... c9, c10: sorted by number, not by bytes
		at := t0.Add(time.Duration(rng.IntN(60*24)) * time.Hour)
		seg := []string{"", "gold", "silver"}[rng.IntN(3)]
		for range 1 + rng.IntN(8) {
			e := replay.Event{Case: id, Touchpoint: names[rng.IntN(len(names))], Time: at, Segment: seg, CSAT: -1, CES: -1, NPS: -1, Line: int64(len(evs) + 2)}
			if rng.IntN(4) == 0 {
				e.CSAT = int8(1 + rng.IntN(5))
				e.Channel = []string{"web", "phone", "store"}[rng.IntN(3)]
			}
			evs = append(evs, e)
			if rng.IntN(5) > 0 {
				at = at.Add(time.Duration(rng.IntN(96*60)) * time.Minute)
			}
		}
	}
	return evs
}

func byTime(evs []replay.Event) []replay.Event {
	out := slices.Clone(evs)
	slices.SortStableFunc(out, func(a, b replay.Event) int { return a.Time.Compare(b.Time) })
	return out
}

// A streaming replay, of a log sorted by case or in time order, gives
// exactly the result of replaying it all at once: with any number of
// workers, by segment, keeping the cases, with the log's end given or not.
func TestReplayStreamingMatchesBuffered(t *testing.T) {
	j := loadSmall(t)
	ctx := context.Background()
	for _, n := range []int{1, 50, 4000} {
		grouped := caseLog(uint64(n), n)
		timed := byTime(grouped)
		for _, o := range []replay.Options{
			{Workers: 1},
			{Workers: 3, BySegment: true, KeepCases: true},
			{Workers: 2, LogEnd: t0.Add(90 * 24 * time.Hour), KeepCases: true},
		} {
			for _, log := range []struct {
				name   string
				evs    []replay.Event
				stream replay.Options
			}{
				{"grouped", grouped, replay.Options{Grouped: true}},
				{"by time, horizon above every gap", timed, replay.Options{Horizon: 30 * 24 * time.Hour}},
			} {
				name := fmt.Sprintf("%d cases, %s, %+v", n, log.name, o)
				want, err := replay.Run(ctx, j, replay.SliceEvents(log.evs), o)
				require.NoError(t, err, name)
				so := o
				so.Grouped, so.Horizon = log.stream.Grouped, log.stream.Horizon
				got, err := replay.Run(ctx, j, replay.SliceEvents(log.evs), so)
				require.NoError(t, err, name)
				require.Positive(t, got.Cases.Dropped+got.Cases.InProgress, name)
				if o.KeepCases {
					require.Equal(t, len(want.CaseList), len(got.CaseList), name)
					for i := range want.CaseList {
						require.Equal(t, want.CaseList[i], got.CaseList[i], "%s: case %d", name, i)
					}
				}
				sameResult(t, want, got, name)
			}
		}
	}
}

func TestReplayGroupedRefusesAnUnsortedLog(t *testing.T) {
	j := loadSmall(t)
	evs := caseLog(1, 30)
	// Move c7's last event to the end: c7 comes back after c30.
	var c7 int
	for i, e := range evs {
		if e.Case == "c7" {
			c7 = i
		}
	}
	moved := append(slices.Delete(slices.Clone(evs), c7, c7+1), evs[c7])
	_, err := replay.Run(context.Background(), j, replay.SliceEvents(moved), replay.Options{Grouped: true})
	var oe *replay.OrderError
	require.ErrorAs(t, err, &oe)
	assert.ErrorIs(t, err, replay.ErrNotGrouped)
	assert.Equal(t, "c7", oe.Case)
	assert.Equal(t, "c30", oe.Prev)
	assert.Equal(t, evs[c7].Line, oe.Line)
	assert.Contains(t, err.Error(), fmt.Sprintf("line %d: its case comes after one that sorts after it", evs[c7].Line))
	assert.NotContains(t, err.Error(), "c7", "no case id in a message")
	assert.Contains(t, err.Error(), "sort it by case")

	// Sorted by bytes (c1, c10, c11, ..., c2) is sorted too.
	bytewise := slices.Clone(evs)
	slices.SortStableFunc(bytewise, func(a, b replay.Event) int { return cmp.Compare(a.Case, b.Case) })
	_, err = replay.Run(context.Background(), j, replay.SliceEvents(bytewise), replay.Options{Grouped: true})
	require.NoError(t, err)
}

// With a horizon, a customer quiet for longer than it begins a new case
// when they come back; an event older than the horizon is refused.
func TestReplayHorizon(t *testing.T) {
	j := loadSmall(t)
	evs := []replay.Event{
		ev("a", "home", 0), ev("a", "product", 1),
		ev("b", "home", 30),
		ev("a", "cart", 40),    // a was quiet 39h, within the 48h horizon: same case
		ev("b", "product", 70), // b was quiet 40h: same case
		ev("a", "paid", 100),   // a was quiet 60h: a new case, starting at paid
	}
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(evs), replay.Options{Horizon: 48 * time.Hour, KeepCases: true})
	require.NoError(t, err)
	var got []string
	for _, c := range res.CaseList {
		var path []string
		for _, p := range c.Path {
			path = append(path, j.At(int(p)).ID)
		}
		got = append(got, fmt.Sprintf("%s %v %s", c.ID, path, c.Outcome))
	}
	assert.Equal(t, []string{
		"a [home product cart] dropped",
		"b [home product] in_progress",
		"a [paid] completed",
	}, got, "cases in order of first appearance")
	assert.Equal(t, int64(3), res.Cases.Total)

	late := append(slices.Clone(evs), ev("c", "home", 10))
	late[len(late)-1].Line = 8
	_, err = replay.Run(context.Background(), j, replay.SliceEvents(late), replay.Options{Horizon: 48 * time.Hour})
	require.ErrorIs(t, err, replay.ErrNotTimeOrdered)
	assert.Contains(t, err.Error(), `line 8: the event is 3d18h older than an event before it, more than the horizon (2d)`)
	var oe *replay.OrderError
	require.True(t, errors.As(err, &oe))
	assert.Equal(t, 90*time.Hour, oe.Behind)
}

func TestReplayStreamingCancelled(t *testing.T) {
	j := loadSmall(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, o := range []replay.Options{{Grouped: true}, {Horizon: time.Hour}} {
		_, err := replay.Run(ctx, j, replay.SliceEvents(caseLog(2, 2000)), o)
		assert.ErrorIs(t, err, context.Canceled)
	}
}

// sameResult compares two results field by field, naming the fields that
// differ rather than printing both whole.
func sameResult(t *testing.T, want, got *replay.Result, name string) {
	t.Helper()
	w, g := reflect.ValueOf(replay.Canonical(want)).Elem(), reflect.ValueOf(replay.Canonical(got)).Elem()
	for i := range w.NumField() {
		f := w.Type().Field(i)
		if !f.IsExported() {
			continue
		}
		if !reflect.DeepEqual(w.Field(i).Interface(), g.Field(i).Interface()) {
			t.Errorf("%s: %s differs", name, f.Name)
		}
	}
	assert.True(t, reflect.DeepEqual(want, got), "%s: unexported aggregates differ", name)
}

// FuzzReplayOrders: any log, sorted by case and replayed a case at a
// time, or sorted by time and replayed with a horizon above its span, gives
// exactly the result of replaying it whole. Every three bytes are an
// event: its case, its name (some unknown), and the hours since the log began.
func FuzzReplayOrders(f *testing.F) {
	f.Add([]byte{1, 0, 0, 1, 2, 1, 2, 0, 1, 1, 4, 3, 2, 6, 90, 1, 6, 4})
	f.Add([]byte{3, 5, 200, 3, 4, 0, 14, 0, 7, 14, 2, 7, 14, 8, 8, 9, 1, 255, 9, 3, 2})
	j := loadSmall(f)
	names := []string{"home", "search", "product", "pdp", "cart", "help", "paid", "landing", "nope"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var evs []replay.Event
		for i := 0; i+2 < len(data) && len(evs) < 60; i += 3 {
			e := ev(fmt.Sprintf("c%d", data[i]%13), names[int(data[i+1])%len(names)], float64(data[i+2]))
			e.Line = int64(len(evs) + 2)
			e.Segment = []string{"", "gold"}[data[i]%2]
			if data[i+1]&0x80 != 0 {
				e.Channel, e.CSAT = "store", int8(1+data[i+2]%5)
			}
			if data[i+1]&0x40 != 0 {
				e.Lifecycle = []string{"start", "schedule"}[data[i]%2]
			}
			evs = append(evs, e)
		}
		grouped := slices.Clone(evs)
		slices.SortStableFunc(grouped, func(a, b replay.Event) int { return cmp.Compare(a.Case, b.Case) })
		ctx := context.Background()
		for _, run := range []struct {
			evs    []replay.Event
			stream replay.Options
		}{
			{grouped, replay.Options{Grouped: true}},
			{byTime(evs), replay.Options{Horizon: 1000 * time.Hour}},
		} {
			opts := replay.Options{Workers: 2, BySegment: true, KeepCases: true}
			want, err := replay.Run(ctx, j, replay.SliceEvents(run.evs), opts)
			opts.Grouped, opts.Horizon = run.stream.Grouped, run.stream.Horizon
			got, err2 := replay.Run(ctx, j, replay.SliceEvents(run.evs), opts)
			if errors.As(err, new(*replay.NoMatchError)) {
				require.ErrorAs(t, err2, new(*replay.NoMatchError), "no event matches, read either way")
				continue
			}
			require.NoError(t, err)
			require.NoError(t, err2)
			require.Equal(t, want.CaseList, got.CaseList)
			sameResult(t, want, got, fmt.Sprintf("%+v", run.stream))
		}
	})
}
