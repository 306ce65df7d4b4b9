package friction_test

import (
	"context"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

func replayCSV(j *journey.Journey, path string) (*replay.Result, error) {
	r, err := eventlog.Open(path, eventlog.Options{})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return replay.Run(context.Background(), j, journeymap.NewEventSource(r, ""), replay.Options{KeepCases: true})
}
