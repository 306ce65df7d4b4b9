package render

import (
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/prose"
)

// DefaultWidth is the width Text wraps its sentences at.
const DefaultWidth = 100

// Text writes r for a terminal: the headline numbers, the stage
// funnel, and the findings ranked by score, its sentences wrapped at
// DefaultWidth columns.
func Text(w io.Writer, r *friction.Report) error { return TextWidth(w, r, DefaultWidth) }

// TextWidth is Text wrapping its sentences at width columns (a
// terminal's), or not at all where width is 0 or less. Tables are never
// wrapped.
func TextWidth(w io.Writer, r *friction.Report, width int) error {
	var b strings.Builder
	name := r.Names()
	fmt.Fprintf(&b, "Journey %s (%s)\n", r.Journey.Name, r.Journey.ID)
	fmt.Fprintf(&b, "Events  %d read = %d replayed + %d unmatched + %d malformed", r.Events.Read, r.Events.Replayed, r.Events.Unmatched, r.Events.Malformed)
	if r.Events.Outside > 0 {
		fmt.Fprintf(&b, " + %d outside the period", r.Events.Outside)
	}
	if r.Events.Folded > 0 {
		fmt.Fprintf(&b, "  (%d lifecycle events folded into the visits they belong to)", r.Events.Folded)
	}
	if r.Events.Duplicates > 0 {
		fmt.Fprintf(&b, "  (%d replayed events duplicate the one before: same case, touchpoint and time)", r.Events.Duplicates)
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Cases   %d = %d completed (%s)", r.Cases.Total, r.Cases.Completed, prose.Share(r.Cases.Completed, r.Cases.Total))
	if n := r.Cases.EndedTotal(); n > 0 {
		fmt.Fprintf(&b, " + %d ended by design (%s)", n, r.Cases.EndedWords())
	}
	fmt.Fprintf(&b, " + %d dropped + %d in progress", r.Cases.Dropped, r.Cases.InProgress)
	if r.Cases.Bounced > 0 {
		fmt.Fprintf(&b, "  (%d of the dropped only bounced off an entry)", r.Cases.Bounced)
	}
	fmt.Fprintf(&b, "\nFitness %.2f of steps follow the designed journey", r.Fitness)
	if r.Resolution != nil {
		fmt.Fprintf(&b, "; time to resolution median %s", prose.Seconds(r.Resolution.MedianS))
	}
	b.WriteString("\n")
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "Warning: %s\n", prose.Printable(w))
	}
	b.WriteString("\nStages\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  stage\tcases\t\tdropped\tbounced\tdrop rate\tsteps\thandoffs\tswitches\telapsed\tCSAT\tCES")
	maxCases := int64(1)
	for _, s := range r.Stages {
		maxCases = max(maxCases, s.Cases)
	}
	for _, s := range r.Stages {
		bar := strings.Repeat("█", int(20*s.Cases/maxCases))
		csat, ces := "-", "-"
		if s.Metrics.CSAT != nil {
			csat = prose.Percent(s.Metrics.CSAT.Score)
		}
		if s.Metrics.CES != nil {
			ces = fmt.Sprintf("%.1f", s.Metrics.CES.Score)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%s\t%d\t%d\t%s\t%.1f\t%.1f\t%.1f\t%s\t%s\t%s\n", s.ID, s.Cases, bar, s.Dropped, s.Bounced, prose.Percent(s.DropRate.Value), s.Effort.Steps, s.Effort.Handoffs, s.Effort.ChannelSwitches, prose.Seconds(s.Effort.ElapsedMedS), csat, ces)
	}
	tw.Flush()
	if len(r.Findings) == 0 {
		b.WriteString("\n" + r.NoFrictionSentence() + "\n")
	} else {
		fmt.Fprintf(&b, "\nFindings (%d, worst first)\n", len(r.Findings))
		if w := r.RecoverableSentence(); w != "" {
			fmt.Fprintf(&b, "  ≈ %s\n", w)
		}
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  #\tseverity\tscore\tkind/reason\twhere\tcases")
		for i, f := range r.Findings {
			where := strings.Join(f.Touchpoints, ", ")
			if f.Kind == friction.InconsistentHandoff && len(f.Touchpoints) == 2 && f.Reason != friction.StageEffort && f.Reason != friction.ForcedChannelSwitch {
				where = f.Touchpoints[0] + " -> " + f.Touchpoints[1]
			}
			if where == "" || f.Evidence["scope"] == "stage" {
				where = "stage " + f.Stage
			}
			fmt.Fprintf(tw, "  %d\t%s\t%.1f\t%s/%s\t%s\t%d\n", i+1, f.Severity, f.Score, f.Kind, f.Reason, truncate(where, 48), f.Cases)
		}
		tw.Flush()
		b.WriteString("\n")
		for i, f := range r.Findings {
			fmt.Fprintf(&b, "%2d. %s\n    -> %s\n", i+1, f.Summary, f.Recommendation)
			if f.WhatIf.Worth() {
				fmt.Fprintf(&b, "    ≈ %s\n", f.WhatIf.Sentence())
			}
			for _, e := range f.ExampleSentences(name) {
				fmt.Fprintf(&b, "    · %s\n", prose.Printable(e))
			}
		}
	}
	if len(r.Insufficient) > 0 {
		fmt.Fprintf(&b, "\nNot enough evidence (%s could not be made)\n", prose.Plural(len(r.Insufficient), "check"))
		for _, c := range r.Insufficient {
			fmt.Fprintf(&b, "  %s\n", c.Sentence())
		}
	}
	if len(r.Unmatched) > 0 {
		b.WriteString("\nUnmatched event names (add them to a touchpoint's match: list if they belong to the journey):\n")
		for _, name := range slices.Sorted(maps.Keys(r.Unmatched)) {
			fmt.Fprintf(&b, "  %-30s %d\n", name, r.Unmatched[name])
		}
	}
	if len(r.NearMisses) > 0 {
		b.WriteString("\nUnmatched names close to a touchpoint (a typo, or another spelling?):\n")
		for _, name := range slices.Sorted(maps.Keys(r.NearMisses)) {
			fmt.Fprintf(&b, "  %-30s probably %s\n", prose.Printable(name), r.NearMisses[name])
		}
	}
	if len(r.LooseNames) > 0 {
		b.WriteString("\nEvent names met loosely (case, spaces, hyphens or underscores differ):\n")
		for _, name := range slices.Sorted(maps.Keys(r.LooseNames)) {
			fmt.Fprintf(&b, "  %-30s is %s\n", prose.Printable(name), r.LooseNames[name])
		}
	}
	if r.UnmatchedWithheld > 0 {
		fmt.Fprintf(&b, "\n%d events name none of the touchpoints, under %d distinct names: too many to be event names (ids or free text?), so they are not listed. Is the event-name column the right one?\n", r.Events.Unmatched, r.UnmatchedWithheld)
	}
	if len(r.Malformed) > 0 {
		fmt.Fprintf(&b, "\nMalformed rows (%d; the first %d):\n", r.Events.Malformed, len(r.Malformed))
		for _, p := range r.Malformed {
			fmt.Fprintf(&b, "  line %d: %s\n", p.Line, prose.Printable(p.Reason))
		}
	}
	if rows := segmentRows(r); len(rows) > 0 {
		b.WriteString("\nSegments by stage\n")
		tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  segment\tstage\tcases\tdropped\tdrop rate (95% interval)")
		for _, row := range rows {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%d\t%s (%s-%s)\n", prose.Printable(row.Segment), row.Stage, row.Cases, row.Dropped, prose.Percent(row.DropRate.Value), prose.Percent(row.DropRate.CI[0]), prose.Percent(row.DropRate.CI[1]))
		}
		tw.Flush()
	}
	for _, s := range r.Segments {
		fmt.Fprintf(&b, "\nSegment %s: %d cases, %s completed, fitness %.2f, %d findings\n", strconv.Quote(prose.Printable(s.Segment)), s.Cases.Total, prose.Share(s.Cases.Completed, s.Cases.Total), s.Fitness, len(s.Findings))
		shown := s.Findings[:min(3, len(s.Findings))]
		for i, f := range shown {
			fmt.Fprintf(&b, "  %d. [%s] %s\n", i+1, f.Severity, f.Summary)
		}
		if more := len(s.Findings) - len(shown); more > 0 {
			fmt.Fprintf(&b, "  ... and %d more (all of them in --format json, markdown or html)\n", more)
		}
	}
	_, err := io.WriteString(w, wrapProse(b.String(), width))
	return err
}

// proseMarker is what a sentence line begins with: its indent, and a list
// number, an arrow, a severity or a label, after which its wrapped lines
// hang.
var proseMarker = regexp.MustCompile(`^( *)(\d+\. |-> |≈ |· |\[\w+\] |Warning: |line \d+: )?`)

// wrapProse wraps each line of text longer than width columns at spaces,
// its further lines indented under its first word after the marker. A
// line with a run of two spaces past its start is a table row, and is
// left as it is, as is a word longer than the line.
func wrapProse(text string, width int) string {
	if width <= 0 {
		return text
	}
	var b strings.Builder
	for line := range strings.SplitAfterSeq(text, "\n") {
		body := strings.TrimSuffix(line, "\n")
		m := proseMarker.FindString(body)
		if utf8.RuneCountInString(body) <= width || strings.Contains(body[len(m):], "  ") {
			b.WriteString(line)
			continue
		}
		hang := strings.Repeat(" ", utf8.RuneCountInString(m))
		col := 0
		for i, word := range strings.Fields(body[len(m):]) {
			n := utf8.RuneCountInString(word)
			switch {
			case i == 0:
				b.WriteString(m + word)
				col = utf8.RuneCountInString(m) + n
			case col+1+n > width:
				b.WriteString("\n" + hang + word)
				col = len(hang) + n
			default:
				b.WriteString(" " + word)
				col += 1 + n
			}
		}
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// segmentRow is one stage of one segment: the breakdown every rendering
// shows when the report has segments.
type segmentRow struct {
	Segment, Stage string
	Cases, Dropped int64
	DropRate       friction.Rate
	Findings       int // of the whole segment
}

// segmentRows lists each segment's stages, segment by segment.
func segmentRows(r *friction.Report) []segmentRow {
	var rows []segmentRow
	for _, s := range r.Segments {
		for _, st := range s.Stages {
			rows = append(rows, segmentRow{Segment: s.Segment, Stage: st.Name, Cases: st.Cases, Dropped: st.Dropped, DropRate: st.DropRate, Findings: len(s.Findings)})
		}
	}
	return rows
}

// JSON writes r's JSON form, Report.WriteJSON, beside the renderings for
// a program that picks one by name.
func JSON(w io.Writer, r *friction.Report) error { return r.WriteJSON(w) }
