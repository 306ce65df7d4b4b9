// Bank onboarding: many verification touchpoints. Breaks the friction down
// by persona (the log's persona column), the question a bank asks next:
// who suffers most?
//
//	go run ./examples/bank-onboarding
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/journeymap/journeymap"
)

func main() {
	dir := filepath.Join("examples", "bank-onboarding")
	if _, err := os.Stat(dir); err != nil {
		dir = "."
	}
	report, err := journeymap.Analyze(context.Background(),
		filepath.Join(dir, "journey.yaml"), filepath.Join(dir, "events.csv"),
		journeymap.Options{Segment: "persona"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("All applicants: %d, %d accounts in use (%.0f%%)\n\n", report.Cases.Total, report.Cases.Completed,
		100*float64(report.Cases.Completed)/float64(report.Cases.Total))
	for _, s := range report.Segments {
		fmt.Printf("%-14s %5d applicants, %3.0f%% in use, %d findings", s.Segment, s.Cases.Total,
			100*float64(s.Cases.Completed)/float64(max(1, s.Cases.Total)), len(s.Findings))
		if len(s.Findings) > 0 {
			fmt.Printf("; worst: %s", s.Findings[0].Summary)
		}
		fmt.Println()
	}
}
