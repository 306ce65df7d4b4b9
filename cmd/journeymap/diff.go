package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/journeymap/journeymap/friction"
)

func runDiff(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("diff", stdout)
	format := fs.String("format", "text", "`text`, markdown (for a pull request) or json")
	fs.Bool("fail-on-regression", true, "kept for old scripts: diff always exits 3 when a finding appeared or got worse")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" && *format != "markdown" && *format != "md" {
		return usageError("unknown --format %q: use text, markdown or json", *format)
	}
	if len(pos) != 2 {
		return usageError("want two reports (write them with: journeymap analyze --format json -o FILE), got %d", len(pos))
	}
	var reps [2]*friction.Report
	for i, p := range pos {
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("cannot open report: %w", err)
		}
		reps[i], err = friction.ReadJSON(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	if reps[0].Journey.ID != reps[1].Journey.ID {
		return fmt.Errorf("the reports are of different journeys (%q and %q)", reps[0].Journey.ID, reps[1].Journey.ID)
	}
	c := friction.Compare(reps[0], reps[1])
	err = writeOutput(*out, stdout, func(w io.Writer) error {
		switch *format {
		case "json":
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			return enc.Encode(c)
		case "markdown", "md":
			return c.WriteMarkdown(w)
		}
		return c.WriteText(w)
	})
	if err != nil {
		return err
	}
	if c.Regressions() {
		return errRegression
	}
	return nil
}
