package live_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/live"
	"github.com/journeymap/journeymap/replay"
)

// traffic is n simulated customers of a scenario, in time order.
func traffic(t testing.TB, b simulate.Behaviour, n int, seed uint64) []live.Event {
	t.Helper()
	var evs []live.Event
	require.NoError(t, simulate.Generate(b, n, seed, func(e simulate.Event) error {
		ev := live.Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Channel: e.Channel, Segment: e.Persona}
		if e.CSAT > 0 {
			ev.CSAT = live.Answer(e.CSAT)
		}
		if e.CES > 0 {
			ev.CES = live.Answer(e.CES)
		}
		evs = append(evs, ev)
		return nil
	}))
	slices.SortStableFunc(evs, func(a, b live.Event) int { return a.Time.Compare(b.Time) })
	return evs
}

// batchReport is the batch replay's report of events in time order, with
// the live replay's horizon.
func batchReport(t testing.TB, j *journey.Journey, evs []live.Event, horizon time.Duration, bySegment bool) []byte {
	t.Helper()
	jevs := make([]replay.Event, len(evs))
	for i, e := range evs {
		jevs[i] = replay.Event{Case: e.Case, Touchpoint: e.Touchpoint, Time: e.Time, Channel: e.Channel, Segment: e.Segment, CSAT: score(e.CSAT), CES: score(e.CES), NPS: score(e.NPS)}
	}
	slices.SortStableFunc(jevs, func(a, b replay.Event) int { return a.Time.Compare(b.Time) })
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(jevs), replay.Options{Horizon: horizon, BySegment: bySegment})
	require.NoError(t, err)
	return reportJSON(t, friction.Analyze(j, res, friction.Options{}))
}

func score(s live.Score) int8 {
	if v, ok := s.Value(); ok {
		return int8(v)
	}
	return -1
}

func reportJSON(t testing.TB, rep *friction.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, rep.WriteJSON(&b))
	return b.Bytes()
}

// arrival reorders events as a network does, each arriving up to within
// of its time late: by their time plus a random delay under within.
func arrival(evs []live.Event, within time.Duration, seed uint64) []live.Event {
	rng := rand.New(rand.NewPCG(seed, 9))
	type late struct {
		ev live.Event
		at time.Time
	}
	ls := make([]late, len(evs))
	for i, e := range evs {
		ls[i] = late{e, e.Time.Add(time.Duration(rng.Int64N(int64(within))))}
	}
	slices.SortStableFunc(ls, func(a, b late) int { return a.at.Compare(b.at) })
	out := make([]live.Event, len(ls))
	for i, l := range ls {
		out[i] = l.ev
	}
	return out
}

// A live replay, fed events out of order within the lateness bound from
// many goroutines, reports at any moment what the batch replay of the
// same events in time order reports, byte for byte: on every scenario
// shape, planted and healthy, by segment or not, half way and at the end.
func TestLiveIsBatch(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 800
	}
	for _, sc := range simulate.Scenarios() {
		j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
		require.NoError(t, err)
		for _, planted := range []bool{false, true} {
			b := sc.Healthy()
			if planted {
				b = sc.Planted()
			}
			t.Run(fmt.Sprintf("%s/planted=%v", sc.Name, planted), func(t *testing.T) {
				ctx := context.Background()
				evs := traffic(t, b, n, 5)
				const lateness = 7 * 24 * time.Hour
				bySegment := planted
				r, err := live.New(j, live.Options{Lateness: lateness, BySegment: bySegment})
				require.NoError(t, err)
				in := arrival(evs, lateness/2, 3)

				// Half way, in arrival order: the batch report of what came.
				half := in[:len(in)/2]
				for _, e := range half {
					require.NoError(t, r.Add(ctx, e))
				}
				rep, err := r.Report(ctx)
				require.NoError(t, err)
				assert.Equal(t, string(batchReport(t, j, half, r.Horizon(), bySegment)), string(reportJSON(t, rep)), "half way")

				// The rest from four goroutines at once, in rounds (so that
				// no goroutine falls behind the others by more than the
				// lateness bound, whatever the scheduler).
				rest := in[len(in)/2:]
				for lo, hi := 0, 0; lo < len(rest); lo = hi {
					// A round: up to 32 events within a quarter of the
					// lateness of the first (the log thins out at its end).
					for hi = lo + 1; hi < len(rest) && hi-lo < 32 && rest[hi].Time.Sub(rest[lo].Time).Abs() < lateness/4; hi++ {
					}
					round := rest[lo:hi]
					var wg sync.WaitGroup
					errs := make([]error, 4)
					for g := range 4 {
						wg.Go(func() {
							for k := g; k < len(round); k += 4 {
								if err := r.Add(ctx, round[k]); err != nil && errs[g] == nil {
									errs[g] = err
								}
							}
						})
					}
					wg.Wait()
					require.NoError(t, errors.Join(errs...))
				}
				rep, err = r.Report(ctx)
				require.NoError(t, err)
				assert.Equal(t, string(batchReport(t, j, evs, r.Horizon(), bySegment)), string(reportJSON(t, rep)), "at the end")
				st := r.Stats()
				assert.Equal(t, int64(len(evs)), st.Added)
				assert.Zero(t, st.Late)
			})
		}
	}
}

// An event later than the lateness bound is refused, counted, and
// changes nothing; a cancelled context stops Add and Report; a score out
// of range is an error.
func TestLiveRefusesWhatItCannotReplay(t *testing.T) {
	sc := simulate.Scenarios()[0]
	j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
	require.NoError(t, err)
	ctx := context.Background()
	r, err := live.New(j, live.Options{Lateness: time.Hour})
	require.NoError(t, err)
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	require.NoError(t, r.Add(ctx, live.Event{Case: "a", Touchpoint: "x", Time: t0}))
	require.NoError(t, r.Add(ctx, live.Event{Case: "a", Touchpoint: "y", Time: t0.Add(-59 * time.Minute)}), "within the bound")
	before, err := r.Report(ctx)
	require.NoError(t, err)
	err = r.Add(ctx, live.Event{Case: "b", Touchpoint: "x", Time: t0.Add(-2 * time.Hour)})
	require.ErrorIs(t, err, live.ErrLate)
	assert.Contains(t, err.Error(), "2h behind the latest")
	assert.Equal(t, int64(1), r.Stats().Late)
	after, err := r.Report(ctx)
	require.NoError(t, err)
	assert.Equal(t, reportJSON(t, before), reportJSON(t, after), "a late event changes nothing")

	var ee *replay.EventError
	require.True(t, errors.As(r.Add(ctx, live.Event{Case: "c", Touchpoint: "x", Time: t0, CSAT: live.Answer(6)}), &ee))

	done, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, r.Add(done, live.Event{Case: "d", Touchpoint: "x", Time: t0}), context.Canceled)
	_, err = r.Report(done)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, int64(2), r.Stats().Added)
}

// A score's zero value is "not answered"; Answer(n) is the answer n,
// NPS 0 included.
func TestScoreZeroIsNotAnswered(t *testing.T) {
	var s live.Score
	_, ok := s.Value()
	assert.False(t, ok)
	v, ok := live.Answer(0).Value()
	assert.True(t, ok)
	assert.Equal(t, 0, v)
}
