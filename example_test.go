package journeymap_test

import (
	"context"
	"fmt"

	"github.com/journeymap/journeymap"
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
