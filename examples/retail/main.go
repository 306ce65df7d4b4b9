// Retail: buy online, exchange anywhere. Analyses the bundled log with the
// one-call facade and prints the friction a CX lead should fix first.
//
//	go run ./examples/retail
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
	dir := exampleDir("retail")
	report, err := journeymap.Analyze(context.Background(),
		filepath.Join(dir, "journey.yaml"), filepath.Join(dir, "events.csv"), journeymap.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d customers, %d completed, fitness %.2f\n", report.Cases.Total, report.Cases.Completed, report.Fitness)
	for i, f := range report.Findings[:min(3, len(report.Findings))] {
		fmt.Printf("\n%d. [%s] %s\n   What to do: %s\n", i+1, f.Severity, f.Summary, f.Recommendation)
	}
}

// exampleDir finds the example's files whether it runs from the
// repository root (go run ./examples/retail) or from its own folder.
func exampleDir(name string) string {
	for _, d := range []string{filepath.Join("examples", name), "."} {
		if _, err := os.Stat(filepath.Join(d, "journey.yaml")); err == nil {
			return d
		}
	}
	log.Fatalf("cannot find %s/journey.yaml: run from the repository root", name)
	return ""
}
