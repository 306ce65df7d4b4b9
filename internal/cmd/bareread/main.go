// Command bareread is the yardstick of BENCHMARKS.md: the least a program
// can do with a CSV event log. It reads the file with encoding/csv, parses
// each timestamp and groups events by case, and nothing else. journeymap's
// performance targets are ratios to its wall time and peak memory.
//
//	go run ./internal/cmd/bareread big.csv
package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"time"
)

type event struct {
	touchpoint string
	at         time.Time
}

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	cases := map[string][]event{}
	n := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		t, err := time.Parse(time.RFC3339, rec[col["timestamp"]])
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		id := rec[col["case_id"]]
		cases[id] = append(cases[id], event{touchpoint: rec[col["touchpoint"]], at: t})
		n++
	}
	fmt.Printf("%d events, %d cases\n", n, len(cases))
}
