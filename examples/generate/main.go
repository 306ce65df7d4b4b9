// Command generate rebuilds the bundled examples' event logs from their
// seeded simulations, so anyone can reproduce them byte for byte, and
// writes logs of any size for benchmarks:
//
//	go run ./examples/generate            # rewrite examples/*/events.csv
//	go run ./examples/generate -check     # fail if a committed log differs
//	go run ./examples/generate -example retail -cases 240000 -o big.csv   # ~1.5M events
//	go run ./examples/generate -example retail -cases 240000 -order case -o big-by-case.csv
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/journeymap/journeymap/internal/simulate"
)

func main() {
	check := flag.Bool("check", false, "compare with the committed logs instead of writing them")
	dir := flag.String("dir", "examples", "the examples directory")
	example := flag.String("example", "", "write one log of this example's journey (retail, tv-installation, bank-onboarding)")
	cases := flag.Int("cases", 10000, "with -example: how many cases")
	seed := flag.Uint64("seed", 1, "with -example: the simulation's seed")
	out := flag.String("o", "", "with -example: the file to write (default standard output)")
	order := flag.String("order", "time", "with -example: sort the log by time (as most exports are) or by case")
	flag.Parse()
	write := simulate.WriteCSV
	switch *order {
	case "time":
	case "case":
		write = simulate.WriteCSVByCase
	default:
		fmt.Fprintf(os.Stderr, "generate: unknown -order %q: use time or case\n", *order)
		os.Exit(1)
	}
	if *example != "" {
		ex, ok := simulate.Examples[*example]
		if !ok {
			fmt.Fprintf(os.Stderr, "generate: unknown -example %q: use retail, tv-installation or bank-onboarding\n", *example)
			os.Exit(1)
		}
		w := os.Stdout
		if *out != "" {
			f, err := os.Create(*out)
			if err != nil {
				fmt.Fprintln(os.Stderr, "generate:", err)
				os.Exit(1)
			}
			defer f.Close()
			w = f
		}
		if err := write(w, ex.Behaviour(), *cases, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "generate:", err)
			os.Exit(1)
		}
		return
	}
	names := make([]string, 0, len(simulate.Examples))
	for name := range simulate.Examples {
		names = append(names, name)
	}
	slices.Sort(names)
	failed := false
	for _, name := range names {
		ex := simulate.Examples[name]
		var buf bytes.Buffer
		if err := simulate.WriteCSV(&buf, ex.Behaviour(), ex.Cases, ex.Seed); err != nil {
			fmt.Fprintln(os.Stderr, "generate:", err)
			os.Exit(1)
		}
		path := filepath.Join(*dir, name, "events.csv")
		if *check {
			old, err := os.ReadFile(path)
			if err != nil || !bytes.Equal(old, buf.Bytes()) {
				fmt.Fprintf(os.Stderr, "generate: %s is not what the generator makes; run go run ./examples/generate\n", path)
				failed = true
			}
			continue
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "generate:", err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d cases, %d bytes\n", path, ex.Cases, buf.Len())
	}
	if failed {
		os.Exit(1)
	}
}
