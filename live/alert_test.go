package live_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/internal/simulate"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/live"
)

// weeks is traffic of behaviour b from start for the given weeks, its
// case ids prefixed (two stretches of traffic are different customers).
func weeks(t *testing.T, b simulate.Behaviour, start time.Time, n int, perWeek int, prefix string, seed uint64) []live.Event {
	b.Start, b.Span = start, time.Duration(n)*7*24*time.Hour
	evs := traffic(t, b, n*perWeek, seed)
	for i := range evs {
		evs[i].Case = prefix + evs[i].Case
	}
	return evs
}

// listen replays traffic in time order with weekly windows and returns
// the alerts.
func listen(t *testing.T, j *journey.Journey, evs []live.Event) []live.Alert {
	t.Helper()
	slices.SortStableFunc(evs, func(a, b live.Event) int { return a.Time.Compare(b.Time) })
	var alerts []live.Alert
	r, err := live.New(j, live.Options{Window: 7 * 24 * time.Hour, OnAlert: func(a live.Alert) { alerts = append(alerts, a) }})
	require.NoError(t, err)
	ctx := context.Background()
	for lo := 0; lo < len(evs); lo += 500 {
		require.NoError(t, r.AddBatch(ctx, evs[lo:min(lo+500, len(evs))]))
	}
	return alerts
}

// Weeks of a healthy journey, then a planted drop-off: one alert, new
// (or regressed), on the planted touchpoint, in the first week judged
// after the change; and weeks that stay healthy raise none. On every
// scenario shape.
func TestAlertsOnThePlantedRegressionOnly(t *testing.T) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC) // a Monday
	for _, sc := range simulate.Scenarios() {
		j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
		require.NoError(t, err)
		i := slices.IndexFunc(sc.Plants, func(p simulate.Plant) bool { return p.Reason == "outlier" })
		require.GreaterOrEqual(t, i, 0)
		drop := sc.Plants[i]
		t.Run(sc.Name, func(t *testing.T) {
			healthy := weeks(t, sc.Healthy(), start, 10, 600, "h", 1)
			assert.Empty(t, describe(listen(t, j, slices.Clone(healthy))), "ten healthy weeks: no alert")

			planted := sc.Healthy()
			drop.Apply(&planted)
			change := start.Add(6 * 7 * 24 * time.Hour)
			evs := append(weeks(t, sc.Healthy(), start, 6, 600, "h", 2), weeks(t, planted, change, 4, 600, "p", 3)...)
			alerts := listen(t, j, evs)
			require.Len(t, alerts, 1, "one alert: %v", describe(alerts))
			a := alerts[0]
			assert.Contains(t, []string{live.ChangeNew, live.ChangeRegressed}, a.Change)
			assert.Equal(t, "drop_off", string(a.Finding.Kind))
			assert.Equal(t, drop.Touchpoints[0], a.Finding.Touchpoints[0])
			assert.False(t, a.Window.Start.Before(change), "not before the change: %v", a.Window)
			assert.True(t, a.Window.Start.Before(change.Add(2*7*24*time.Hour)), "within two weeks of it: %v", a.Window)
			assert.NotEmpty(t, a.Summary)
			assert.Positive(t, a.Evidence.BaselineWindows)
		})
	}
}

func describe(alerts []live.Alert) []string {
	var out []string
	for _, a := range alerts {
		out = append(out, fmt.Sprintf("%s %s %s/%s %v", a.Window.Start.Format("2006-01-02"), a.Change, a.Finding.Kind, a.Finding.Reason, a.Finding.Touchpoints))
	}
	return out
}

// A regression that is fixed resolves: healthy weeks, planted weeks, then
// healthy again give the alert and, once, its resolution.
func TestAlertResolvesWhenFixed(t *testing.T) {
	start := time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)
	sc := simulate.Scenarios()[0]
	j, err := journey.Parse(strings.NewReader(sc.Journey), sc.Name+".yaml")
	require.NoError(t, err)
	i := slices.IndexFunc(sc.Plants, func(p simulate.Plant) bool { return p.Reason == "outlier" })
	planted := sc.Healthy()
	sc.Plants[i].Apply(&planted)
	week := 7 * 24 * time.Hour
	evs := weeks(t, sc.Healthy(), start, 6, 600, "a", 4)
	evs = append(evs, weeks(t, planted, start.Add(6*week), 3, 600, "b", 5)...)
	evs = append(evs, weeks(t, sc.Healthy(), start.Add(9*week), 6, 600, "c", 6)...)
	alerts := describe(listen(t, j, evs))
	require.Len(t, alerts, 2, "%v", alerts)
	assert.Contains(t, alerts[0], "drop_off/outlier ["+sc.Plants[i].Touchpoints[0]+"]")
	assert.Contains(t, alerts[1], "resolved drop_off/outlier ["+sc.Plants[i].Touchpoints[0]+"]")
}
