package main

import (
	"fmt"
	"io"

	"github.com/journeymap/journeymap/journey"
)

func runValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", stdout)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("want one journey file, got %d arguments", len(pos))
	}
	j, err := journey.Load(pos[0])
	if err != nil {
		return err
	}
	for _, w := range j.Warnings() {
		fmt.Fprintln(stderr, w.Error())
	}
	fmt.Fprintf(stdout, "%s: ok: %s (%d stages, %d touchpoints, %d transitions, %d warnings)\n",
		pos[0], j.ID(), len(j.Stages()), j.Len(), len(j.Transitions()), len(j.Warnings()))
	return nil
}

func runGraph(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("graph", stdout)
	format := fs.String("format", "dot", "`dot` (Graphviz) or mermaid")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageError("want one journey file, got %d arguments", len(pos))
	}
	write := map[string]func(*journey.Journey, io.Writer) error{
		"dot":     (*journey.Journey).WriteDOT,
		"mermaid": (*journey.Journey).WriteMermaid,
	}[*format]
	if write == nil {
		return usageError("unknown --format %q: use dot or mermaid", *format)
	}
	j, err := journey.Load(pos[0])
	if err != nil {
		return err
	}
	return writeOutput(*out, stdout, func(w io.Writer) error { return write(j, w) })
}
