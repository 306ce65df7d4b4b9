package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/journeymap/journeymap"
	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/internal/textcut"
)

func runDiscover(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("discover", stdout)
	format := fs.String("format", "yaml", "`yaml` (a draft journey file), json (the figures), or a picture of the as-is journey: html, markdown, dot or mermaid")
	view := fs.String("view", "frequency", "for a picture: `frequency` (steps on each edge) or performance (the median wait)")
	ownerCol := fs.String("owner-col", "", "propose each touchpoint's owner from this `COLUMN` (default org:group, else org:role)")
	channelCol := fs.String("channel-col", "channel", "propose each touchpoint's channel from this `COLUMN`")
	stageCol := fs.String("stage-col", "", "take each touchpoint's stage from this `COLUMN` (default: proposed from the order of names in cases)")
	out := fs.String("o", "", "write to `FILE` instead of standard output")
	id := fs.String("id", "", "journey id for --format yaml (default: from the log's file name)")
	coverage := fs.Float64("coverage", 1, "keep the most frequent event names and steps until they hold this `SHARE` of the events and steps (0.9: the main flow; the rest stays in the log, as deviations)")
	minCases := fs.Int64("min-cases", 0, "leave out names and steps seen fewer than `N` times")
	variants := fs.Int("variants", 0, "keep only the steps of the `N` most common variants (paths through the log; 0: every variant)")
	stages := fs.Int("stages", 0, "propose `N` stages, by the order in which names occur in cases (default about one per five touchpoints)")
	lifecycle := fs.String("lifecycle", "all", "`all` keeps every row, as PM4Py does; complete keeps only completions (rows whose lifecycle is complete, or that have none)")
	var lf logFlags
	lf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 1 && lf.events == "" {
		lf.events = pos[0] // "discover LOG" reads as well as "discover --events LOG"
	} else if len(pos) > 0 {
		return usageError("unexpected argument %q", pos[0])
	}
	if f, ok := formatFromOutput(fs, *out, map[string]string{"yaml": "yaml", "yml": "yaml", "json": "json", "html": "html", "htm": "html", "md": "markdown", "dot": "dot", "gv": "dot", "mmd": "mermaid"}); ok {
		*format = f
	}
	if err := refuseInputs(*out, map[string]string{"--events": lf.events}); err != nil {
		return err
	}
	picture := map[string]bool{"html": true, "markdown": true, "md": true, "dot": true, "mermaid": true}
	if *format != "yaml" && *format != "json" && !picture[*format] {
		return usageError("unknown --format %q: use yaml, json, html, markdown, dot or mermaid", *format)
	}
	if *view != "frequency" && *view != "performance" {
		return usageError("unknown --view %q: use frequency or performance", *view)
	}
	if *coverage <= 0 || *coverage > 1 {
		return usageError("--coverage %g: give a share above 0 and at most 1, such as 0.9", *coverage)
	}
	if *variants < 0 {
		return usageError("--variants %d: give a number of variants, such as 10, or 0 for every one", *variants)
	}
	if *lifecycle != "all" && *lifecycle != "complete" {
		return usageError("unknown --lifecycle %q: use all or complete", *lifecycle)
	}
	opts, err := lf.options()
	if err != nil {
		return err
	}
	opts.CompleteOnly = *lifecycle == "complete"
	var clearProgress func()
	opts.Progress, clearProgress = progressLine(stderr)
	name, done, err := lf.source(&opts)
	if err != nil {
		return err
	}
	defer done()
	if picture[*format] && !journeymap.Rereadable(name, opts) {
		// Said before the log is read, not after.
		return usageError("a picture of the as-is journey reads the log twice: give a file, not standard input or a pipe")
	}
	d, stats, err := journeymap.Discover(context.Background(), name, opts)
	clearProgress()
	if err != nil {
		return err
	}
	if stats.Malformed > 0 {
		fmt.Fprintf(stderr, "journeymap discover: skipped %d malformed rows; the first: %s\n", stats.Malformed, stats.Problems[0])
	}
	if *id == "" {
		*id = idFromPath(lf.events)
	}
	if *format == "json" {
		return writeOutput(*out, stdout, d.WriteJSON)
	}
	draftOpts := discover.DraftOptions{ID: *id, Coverage: *coverage, MinCases: *minCases, TopVariants: *variants, Stages: *stages}
	// Owners, channels and stages take a second read: none from a pipe.
	draftOpts.Owner, draftOpts.Channel, draftOpts.Stage, err = journeymap.DraftAttributes(context.Background(), name, opts,
		journeymap.DraftColumns{Owner: *ownerCol, Channel: *channelCol, Stage: *stageCol})
	if err != nil {
		return err
	}
	if *ownerCol == "" && len(draftOpts.Owner) == 0 {
		if hint := ownerHint(name, opts); hint != "" {
			fmt.Fprintf(stderr, "journeymap discover: %s\n", hint)
			draftOpts.OwnerHint = hint
		}
	}
	var draft bytes.Buffer
	sum, err := d.WriteDraft(&draft, draftOpts)
	if err != nil {
		return err
	}
	if sum.NamesKept < sum.Names || sum.StepsKept < sum.Steps {
		fmt.Fprintf(stderr, "journeymap discover: kept %d of %d event names and %d of %d steps; %d cases have a name or step left out (analyze shows them as deviations)\n",
			sum.NamesKept, sum.Names, sum.StepsKept, sum.Steps, sum.CasesLeftOut)
	}
	if *format == "yaml" {
		return writeOutput(*out, stdout, func(w io.Writer) error { _, err := w.Write(draft.Bytes()); return err })
	}
	// A picture of the as-is journey: the draft, with the log replayed
	// through it, drawn as analyze draws a journey.
	dir, err := os.MkdirTemp("", "journeymap-discover-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	draftPath := filepath.Join(dir, *id+".yaml")
	if err := os.WriteFile(draftPath, draft.Bytes(), 0o600); err != nil {
		return err
	}
	opts.Progress = nil
	rep, err := journeymap.Analyze(context.Background(), draftPath, name, opts)
	if err != nil {
		return err
	}
	// The picture is the log's as-is journey, not a judgement of it
	// against its own unedited draft: no findings.
	rep = render.AsIs(rep)
	if *view == "performance" {
		rep.EdgeLabels = "wait"
	}
	return writeOutput(*out, stdout, func(w io.Writer) error {
		switch *format {
		case "html":
			return render.HTML(w, rep)
		case "dot":
			return render.DOT(w, rep)
		case "mermaid":
			return render.Mermaid(w, rep)
		}
		return render.Markdown(w, rep)
	})
}

// idFromPath makes a journey id from a log's file name: "Help Desk.xes.gz" -> "help-desk".
func idFromPath(path string) string {
	base := strings.ToLower(filepath.Base(path))
	for _, ext := range []string{".gz", ".csv", ".jsonl", ".ndjson", ".json", ".xes"} {
		base = strings.TrimSuffix(base, ext)
	}
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	id := strings.Trim(b.String(), "-")
	if id == "" {
		id = "discovered"
	}
	return id
}

// ownerHint says, where the log has no organisational column that
// proposes owners, which columns could: "no owner proposed: the log has
// no org:group or org:role column; columns that could serve: workgroup
// (14 values), ...; rerun with --owner-col workgroup".
func ownerHint(path string, opts journeymap.Options) string {
	cands, err := journeymap.OwnerCandidates(context.Background(), path, opts)
	if err != nil || len(cands) == 0 {
		return ""
	}
	var names []string
	for _, c := range cands[:min(5, len(cands))] {
		names = append(names, fmt.Sprintf("%s (%d values)", strconv.Quote(textcut.Cut(c.Name)), c.Values))
	}
	return fmt.Sprintf("no owner proposed: no org:group or org:role column names teams; columns that could serve: %s; rerun with --owner-col %s",
		strings.Join(names, ", "), shellWord(textcut.Cut(cands[0].Name)))
}

// shellWord quotes s for a shell where it needs it.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:/") == "" {
		return s
	}
	return strconv.Quote(s) // a shell reads Go's quoting of plain text alike; control characters stay escaped
}
