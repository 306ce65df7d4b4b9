// Command generate rebuilds the bundled examples' event logs from their
// seeded simulations, so anyone can reproduce them byte for byte:
//
//	go run ./examples/generate            # rewrite examples/*/events.csv
//	go run ./examples/generate -check     # fail if a committed log differs
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
	flag.Parse()
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
