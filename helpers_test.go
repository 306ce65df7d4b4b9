package journeymap_test

import (
	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/replay"
)

func journeymapEvents(r eventlog.Reader) replay.Events { return journeymap.NewEventSource(r, "") }
