// TV installation: a sale in store, then delivery, installation and
// support. Uses the packages step by step, as a service that keeps its
// journey loaded would: load once, replay a log, then look at handoffs
// and stages directly.
//
//	go run ./examples/tv-installation
package main

import (
	"cmp"
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

func main() {
	dir := filepath.Join("examples", "tv-installation")
	if _, err := os.Stat(dir); err != nil {
		dir = "."
	}
	j, err := journey.Load(filepath.Join(dir, "journey.yaml")) // immutable: share it between requests
	if err != nil {
		log.Fatal(err)
	}
	events, err := eventlog.Open(filepath.Join(dir, "events.csv"), eventlog.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer events.Close()
	res, err := replay.Run(context.Background(), j, journeymap.NewEventSource(events, ""), replay.Options{KeepCases: true})
	if err != nil {
		log.Fatal(err)
	}
	report := friction.Analyze(j, res, friction.Options{})

	fmt.Println("Stage funnel:")
	for _, s := range report.Stages {
		fmt.Printf("  %-28s %5d customers, %4.1f handoffs each, median %s\n", s.Name, s.Cases, s.Effort.Handoffs, (time.Duration(s.Effort.ElapsedMedS) * time.Second).Round(time.Minute))
	}
	fmt.Println("\nThe slowest handoffs:")
	slices.SortFunc(report.Handoffs, func(a, b friction.HandoffReport) int { return cmp.Compare(b.WaitMedS, a.WaitMedS) })
	for _, h := range report.Handoffs[:min(3, len(report.Handoffs))] {
		fmt.Printf("  %s -> %s: median wait %s over %d steps\n", h.From, h.To, (time.Duration(h.WaitMedS) * time.Second).Round(time.Minute), h.Steps)
	}
	fmt.Println("\nTop findings:")
	for _, f := range report.Findings[:min(3, len(report.Findings))] {
		fmt.Printf("  - %s\n", f.Summary)
	}
}
