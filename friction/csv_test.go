package friction_test

import (
	"context"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
)

func replayCSV(j *journey.Journey, path string) (*journey.Result, error) {
	r, err := eventlog.Open(path, eventlog.Options{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return j.Replay(context.Background(), journeymap.NewEventSource(r, ""), journey.ReplayOptions{KeepCases: true})
}
