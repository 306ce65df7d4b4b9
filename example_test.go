package journeymap_test

import (
	"context"
	"fmt"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

func ExampleAnalyze() {
	report, err := journeymap.Analyze(context.Background(),
		"examples/retail/journey.yaml", "examples/retail/events.csv", journeymap.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d events read = %d replayed + %d unmatched + %d malformed\n",
		report.Events.Read, report.Events.Replayed, report.Events.Unmatched, report.Events.Malformed)
	top := report.Findings[0]
	fmt.Println(top.Kind, top.Reason, top.Stage, top.Cases, top.Severity)
	fmt.Println(top.Summary)
	// Output:
	// 25175 events read = 25175 replayed + 0 unmatched + 0 malformed
	// inconsistent_handoff stage_effort exchange 532 medium
	// "Exchange an item" costs customers far more than "Purchase": 2.4 channel switches against 0.7, 3.9d elapsed against 8m, 5.3 ces against 2.0 per customer.
}

func ExampleDiscover() {
	d, stats, err := journeymap.Discover(context.Background(), "eventlog/testdata/shop.csv", journeymap.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Cases, "cases,", d.Events, "events,", stats.Malformed, "malformed")
	for _, v := range d.Variants {
		fmt.Println(v.Cases, v.Path)
	}
	// Output:
	// 2 cases, 6 events, 0 malformed
	// 1 [home product checkout]
	// 1 [home product help]
}

// A program that replays CSV or JSON Lines logs itself gets the command's
// speed by reading them in blocks, parsed on every core.
func ExampleNewColumnSource() {
	j, err := journey.Load("examples/retail/journey.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	log, err := eventlog.Open("examples/retail/events.csv", eventlog.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer log.Close()
	cr, ok := eventlog.AsColumnReader(log)
	if !ok {
		fmt.Println("not a format read in blocks; use journeymap.NewEventSource")
		return
	}
	res, err := replay.RunColumns(context.Background(), j, journeymap.NewColumnSource(cr), replay.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d cases: %d completed, %d dropped, %d in progress\n", res.Cases.Total, res.Cases.Completed, res.Cases.Dropped, res.Cases.InProgress)
	fmt.Println(res.Events.Read, "events read")
	// Output:
	// 4000 cases: 1750 completed, 2250 dropped, 0 in progress
	// 25175 events read
}
