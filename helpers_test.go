package journeymap_test

import (
	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
)

func journeymapEvents(r eventlog.Reader) journey.Events { return journeymap.NewEventSource(r, "") }
