package replay_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/journeymap/journeymap/replay"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A period replays the cases that began in it, as they stood at its end:
// the same as replaying, by hand, only those cases' events before Until,
// with Until as the log's end. Whichever way the log is replayed (held
// whole, a case at a time, in time order with a horizon), and with every
// event left out counted.
func TestPeriodIsTheCasesThatBeganInIt(t *testing.T) {
	ctx := context.Background()
	j := loadSmall(t)
	for seed := range uint64(6) {
		evs := randomLog(seed, 3000)
		since, until := t0.Add(50*time.Hour), t0.Add(150*time.Hour)
		first := map[string]time.Time{}
		for _, e := range evs {
			if f, ok := first[e.Case]; !ok || e.Time.Before(f) {
				if _, ok := j.Lookup(e.Touchpoint); ok {
					first[e.Case] = e.Time
				}
			}
		}
		var kept []replay.Event
		for _, e := range evs {
			if f, ok := first[e.Case]; ok && !f.Before(since) && f.Before(until) && e.Time.Before(until) {
				kept = append(kept, e)
			}
		}
		want, err := replay.Run(ctx, j, replay.SliceEvents(kept), replay.Options{LogEnd: until})
		require.NoError(t, err)

		byCase := slices.Clone(evs)
		slices.SortStableFunc(byCase, func(a, b replay.Event) int { return cmpString(a.Case, b.Case) })
		byTime := slices.Clone(evs)
		slices.SortStableFunc(byTime, func(a, b replay.Event) int { return a.Time.Compare(b.Time) })
		for name, run := range map[string]func() (*replay.Result, error){
			"whole": func() (*replay.Result, error) {
				return replay.Run(ctx, j, replay.SliceEvents(evs), replay.Options{Since: since, Until: until})
			},
			"by case": func() (*replay.Result, error) {
				return replay.Run(ctx, j, replay.SliceEvents(byCase), replay.Options{Since: since, Until: until, Grouped: true})
			},
			"in time order": func() (*replay.Result, error) {
				return replay.Run(ctx, j, replay.SliceEvents(byTime), replay.Options{Since: since, Until: until, Horizon: 1000 * time.Hour})
			},
		} {
			got, err := run()
			require.NoError(t, err, name)
			assert.Equal(t, want.Cases, got.Cases, "seed %d, %s", seed, name)
			assert.Equal(t, want.Counts, got.Counts, "seed %d, %s", seed, name)
			assert.Equal(t, want.Events.Replayed, got.Events.Replayed, "seed %d, %s", seed, name)
			assert.Equal(t, got.Events.Read, got.Events.Replayed+got.Events.Unmatched+got.Events.Malformed+got.Events.Outside, "every event accounted for")
			for i := range want.Touchpoints {
				assert.Equal(t, want.Touchpoints[i].Cases, got.Touchpoints[i].Cases, "seed %d, %s, touchpoint %d", seed, name, i)
				assert.Equal(t, want.Touchpoints[i].Dropped, got.Touchpoints[i].Dropped, "seed %d, %s, touchpoint %d", seed, name, i)
			}
		}
	}
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
