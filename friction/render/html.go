package render

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/internal/prose"
	"github.com/journeymap/journeymap/touchpoint"
)

// Layout of the SVG journey map, in pixels.
const (
	mapColW   = 270
	mapNodeW  = 210
	mapNodeH  = 80
	mapRowGap = 34
	mapTop    = 64
	mapLeft   = 24
)

type htmlNode struct {
	ID, Detail, Numbers, Scores, Cue, Title, Fill, Stroke, Dash, Findings string
	Lines                                                                 []string // the name, wrapped
	X, Y, Level                                                           int
	Entry, Goal                                                           bool
}

type htmlEdge struct {
	From, To, Path, Color, Dash, Title, Label, Findings string
	Width                                               float64
	Designed                                            bool
	Steps                                               int64
	Tier                                                int // the lowest coverage level it shows at
	LX, LY                                              int // where the label goes
}

type htmlStage struct {
	Name, Numbers, Scores, Cue string
	Lines                      []string // the name, wrapped to two lines at most
	X, NumbersY                int
	// A finding about the stage itself, drawn on it: its level's colours
	// and border, a badge with its words, linked to the finding.
	Fill, Stroke, Dash, Badge, Findings string
	Level                               int
}

type htmlFinding struct {
	friction.Finding
	Anchor   string
	Evidence []string // the evidence, a sentence a key
	Examples []string // the example paths in words (contract 9)
	Names    []string // the touchpoints' names
}

type htmlPage struct {
	R             *friction.Report
	Width, Height int
	Stages        []htmlStage
	Nodes         []htmlNode
	Edges         []htmlEdge
	Findings      []htmlFinding
	CompletedPct  string
	HasFindings   bool
	Segments      []segmentRow
	Worst         *htmlFinding // the finding to fix first, drawn above the map
	NodeHeight    int          // taller where the log has scores, for their line
	// Coverage offers "the steps that carry N% of the traffic" on a dense
	// map, starting at CoverageFrom; CoverageCSS hides the steps above
	// the level chosen.
	Coverage     bool
	CoverageFrom int
	Levels       []int
	CoverageCSS  template.CSS
	Title        string // "Journey friction: NAME", or the as-is map's (see heading)
}

// The friction palette, safe for the common colour blindnesses (after
// Okabe and Ito): vermillion for high, orange for medium, sky blue for
// low, grey-green for none; each level also has its own border (solid and
// thick, dashed, dotted, thin) and its words on the node.
var levelFill = [...][3]string{
	{"#f3f7f3", "#8a9a8a", ""},
	{"#e6f3fb", "#3a8fc4", "2 3"},
	{"#fdf0d5", "#c77c00", "7 4"},
	{"#fbe0d2", "#9c2f00", ""},
}

var levelCue = [...]string{"", "▽ low", "◆ medium", "▲ high"}

// Edge colours: a designed step; one designed and never taken (dotted,
// thin); an undesigned step (dashed); a step a finding names (wider).
const (
	edgeDesigned   = "#607d8b"
	edgeUntaken    = "#bdbdbd"
	edgeUndesigned = "#c62828"
	edgeNamed      = "#b8420b"
)

// HTML writes one self-contained HTML page: the headline numbers, an
// SVG journey map that scales to the window and prints on a landscape
// page (stages as columns, touchpoints as nodes coloured by the findings
// about them, with the severity in words too; entries and goals marked;
// edges as wide as their traffic and labelled where they matter; loops
// drawn with their counts; undesigned steps dashed red), the findings with
// their evidence, linked to the map both ways, and the stage and segment
// tables. It loads nothing from the network: no script, no font, no image.
func HTML(w io.Writer, r *friction.Report) error {
	p := htmlPage{R: r, CompletedPct: prose.Share(r.Cases.Completed, r.Cases.Total), HasFindings: len(r.Findings) > 0, Segments: segmentRows(r), Title: heading(r), Levels: coverageLevels}
	lv, slv := touchpointLevels(r), stageLevels(r)
	about := map[string][]string{} // touchpoint or "from>to" -> finding anchors
	name := r.Names()
	for i, f := range r.Findings {
		a := fmt.Sprintf("f%d", i+1)
		var names []string
		for _, id := range f.Touchpoints {
			names = append(names, name(id))
		}
		p.Findings = append(p.Findings, htmlFinding{Finding: f, Anchor: a, Evidence: evidenceSentences(f.Evidence, name), Examples: f.ExampleSentences(name), Names: names})
		if f.Evidence["scope"] == "stage" {
			about["stage:"+f.Stage] = append(about["stage:"+f.Stage], a)
			continue
		}
		for _, t := range f.Touchpoints {
			about[t] = append(about[t], a)
		}
		if f.Kind == friction.InconsistentHandoff && len(f.Touchpoints) == 2 {
			about[f.Touchpoints[0]+">"+f.Touchpoints[1]] = append(about[f.Touchpoints[0]+">"+f.Touchpoints[1]], a)
		}
	}
	if len(p.Findings) > 0 {
		p.Worst = &p.Findings[0]
	}
	nodeH := mapNodeH
	for _, t := range r.Touchpoints {
		if scoreLine(t.Metrics) != "" {
			nodeH = mapNodeH + 14
			break
		}
	}
	p.NodeHeight = nodeH
	top := mapTop // lower where the stages' titles take two lines, or have a line of scores
	titleLines, scores := 1, false
	for _, st := range r.Stages {
		titleLines = max(titleLines, len(wrap(st.Name, 28, 2)))
		scores = scores || scoreLine(st.Metrics) != ""
	}
	top += 18 * (titleLines - 1)
	if scores {
		top += 14
	}
	pos := map[string][2]int{}
	rows := 0
	for si, tps := range stageTouchpoints(r) {
		s := r.Stages[si]
		x := mapLeft + si*mapColW
		title := wrap(s.Name, 28, 2)
		hs := htmlStage{Name: s.Name, Lines: title, NumbersY: 48 + 18*(len(title)-1), X: x, Numbers: fmt.Sprintf("%d cases · %s drop", s.Cases, prose.Percent(s.DropRate.Value)), Scores: scoreLine(s.Metrics),
			Fill: "#f5f7f8", Stroke: "#eceff1", Findings: strings.Join(about["stage:"+s.ID], " ")}
		if l := slv[s.ID]; l > levelNone {
			hs.Cue = levelCue[l]
		}
		if fs := about["stage:"+s.ID]; len(fs) > 0 {
			f := r.Findings[findingIndex(fs[0])]
			l := levelOf(f.Severity)
			hs.Level, hs.Stroke, hs.Dash = l, levelFill[l][1], levelFill[l][2]
			hs.Fill = levelFill[l][0]
			hs.Badge = truncate(fmt.Sprintf("%s: %s", levelCue[l], strings.ReplaceAll(string(f.Reason), "_", " ")), 34)
		}
		p.Stages = append(p.Stages, hs)
		for row, t := range tps {
			y := top + row*(nodeH+mapRowGap)
			pos[t.ID] = [2]int{x, y}
			detail := strings.Trim(t.Channel+" · "+t.Owner, " ·")
			title := fmt.Sprintf("%s (%s)\n%d cases, %d visits\ndropped here: %d, %d of them bounced (drop rate %s; 95%% CI %s–%s)\nrepeat cases: %d, skipped by: %d\nmedian dwell: %s",
				t.Name, t.ID, t.Cases, t.Visits, t.Dropped, t.Bounced, prose.Percent(t.DropRate.Value), prose.Percent(t.DropRate.CI[0]), prose.Percent(t.DropRate.CI[1]), t.RepeatCases, t.Skipped, prose.Seconds(t.DwellMedS))
			if t.Metrics.CSAT != nil {
				title += fmt.Sprintf("\nCSAT %s (%d answers)", prose.Percent(t.Metrics.CSAT.Score), t.Metrics.CSAT.Answers)
			}
			if t.Metrics.CES != nil {
				title += fmt.Sprintf("\nCES %.1f (%d answers)", t.Metrics.CES.Score, t.Metrics.CES.Answers)
			}
			for _, a := range about[t.ID] {
				f := r.Findings[findingIndex(a)]
				title += fmt.Sprintf("\nfinding %s: %s %s/%s", a[1:], f.Severity, f.Kind, f.Reason)
			}
			fill := levelFill[lv[t.ID]]
			n := htmlNode{
				ID: t.ID, Lines: wrap(t.Name, 24, 2), Detail: truncate(detail, 30),
				Numbers: fmt.Sprintf("%d cases · %s drop", t.Cases, prose.Percent(t.DropRate.Value)), Scores: scoreLine(t.Metrics),
				Title: title, Fill: fill[0], Stroke: fill[1], Dash: fill[2], X: x, Y: y, Level: lv[t.ID],
				Entry: t.Entry, Goal: t.Settles(), Findings: strings.Join(about[t.ID], " "),
			}
			if l := lv[t.ID]; l > levelNone {
				n.Cue = levelCue[l]
			}
			switch {
			case t.Outcome != "" && t.Outcome != touchpoint.OutcomeSuccess:
				n.Cue = strings.TrimSpace(n.Cue + " ■ ends: " + t.Outcome)
			case n.Goal:
				n.Cue = strings.TrimSpace(n.Cue + " ◎ goal")
			case n.Entry:
				n.Cue = strings.TrimSpace(n.Cue + " ▶ entry")
			}
			p.Nodes = append(p.Nodes, n)
		}
		rows = max(rows, len(tps))
	}
	p.Width = mapLeft*2 + len(r.Stages)*mapColW + 90 // room for the last column's loops
	p.Height = top + rows*(nodeH+mapRowGap) + 40
	maxSteps := int64(1)
	for _, t := range r.Transitions {
		maxSteps = max(maxSteps, t.Steps)
	}
	tiers := coverageTiers(r.Transitions)
	observed := 0
	for _, t := range r.Transitions {
		if t.Steps > 0 {
			observed++
		}
	}
	if observed > denseEdges {
		p.Coverage, p.CoverageFrom = true, 100
		if r.AsIs {
			p.CoverageFrom = 80 // the main flow first; every step is a click away
		}
		var css strings.Builder
		for _, lv := range coverageLevels {
			for _, hi := range coverageLevels {
				if hi > lv {
					fmt.Fprintf(&css, "body:has(#cov%d:checked) .t%d{display:none}\n", lv, hi)
				}
			}
		}
		p.CoverageCSS = template.CSS(css.String())
	}
	for k, t := range r.Transitions {
		a, b := pos[t.From], pos[t.To]
		e := htmlEdge{From: t.From, To: t.To, Designed: t.Designed, Steps: t.Steps, Width: edgeWidth(t.Steps, maxSteps), Color: edgeDesigned, Tier: tiers[k],
			Findings: strings.Join(about[t.From+">"+t.To], " ")}
		switch {
		case t.Steps == 0:
			e.Color, e.Dash, e.Width = edgeUntaken, "2 4", 1
			e.Title = fmt.Sprintf("%s → %s: designed, never taken", t.From, t.To)
		case !t.Designed:
			e.Color, e.Dash = edgeUndesigned, "7 4"
			e.Title = fmt.Sprintf("%s → %s: %d steps by %d cases, not designed", t.From, t.To, t.Steps, t.Cases)
		default:
			e.Title = fmt.Sprintf("%s → %s: %d steps by %d cases", t.From, t.To, t.Steps, t.Cases)
		}
		if e.Findings != "" {
			e.Color = edgeNamed
			e.Width = max(e.Width, 3)
		}
		// Labels where they matter: loops, undesigned steps, steps a
		// finding names, and the busiest steps.
		if t.Steps > 0 && (r.AsIs || t.From == t.To || !t.Designed || e.Findings != "" || 4*t.Steps >= maxSteps) {
			e.Label = fmt.Sprint(t.Steps)
			switch {
			case r.EdgeLabels == "wait":
				e.Label = prose.Seconds(t.WaitMedS)
			case r.AsIs: // the as-is map's edges say both: how often, how long
				e.Label = fmt.Sprintf("%d · %s", t.Steps, prose.Seconds(t.WaitMedS))
			}
			if t.From == t.To {
				e.Label = "↻ " + e.Label
			}
		}
		e.Path, e.LX, e.LY = edgePath(a, b, t.From == t.To, nodeH)
		p.Edges = append(p.Edges, e)
	}
	return htmlTemplate.Execute(w, p)
}

// findingIndex is the index of the finding with anchor "fN".
func findingIndex(anchor string) int {
	var n int
	fmt.Sscanf(anchor, "f%d", &n)
	return n - 1
}

// wrap breaks s into at most lines lines of about width characters, at
// spaces where it can; the last line ends with "…" if s did not fit.
func wrap(s string, width, lines int) []string {
	var out []string
	rest := []rune(s)
	for len(rest) > 0 && len(out) < lines {
		if len(rest) <= width {
			out = append(out, string(rest))
			rest = nil
			break
		}
		cut := width
		for i := width; i > width/2; i-- {
			if rest[i] == ' ' {
				cut = i
				break
			}
		}
		out = append(out, strings.TrimSpace(string(rest[:cut])))
		rest = []rune(strings.TrimSpace(string(rest[cut:])))
	}
	if len(rest) > 0 && len(out) > 0 {
		out[len(out)-1] = truncate(out[len(out)-1]+" "+string(rest), width)
	}
	return out
}

// edgePath draws a curve from the right of node a to the left of node b;
// between nodes of one column, a loop out to the right; from a node to
// itself, a loop over its top right corner. It returns the path and where
// its label goes; every curve stays inside the drawing.
func edgePath(a, b [2]int, self bool, nodeH int) (string, int, int) {
	ay, by := a[1]+nodeH/2, b[1]+nodeH/2
	if self { // out of the right side's top and back into it, below the stage's title
		x, y := a[0]+mapNodeW, a[1]+10
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x, y, x+46, y-14, x+46, y+34, x+2, y+22), x + 30, y - 6
	}
	if a[0] == b[0] {
		x := a[0] + mapNodeW
		bulge := 40 + abs(by-ay)/4
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x, ay, x+bulge, ay, x+bulge, by, x, by+4), x + bulge*3/4 + 2, (ay + by) / 2
	}
	x1, x2 := a[0]+mapNodeW, b[0]
	if b[0] < a[0] { // backwards: leave from the top, arrive on the top
		x1, x2 = a[0]+20, b[0]+mapNodeW-20
		y1, y2 := a[1], b[1]
		top := max(mapTop-30, min(y1, y2)-40)
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, y1, x1, top, x2, top, x2, y2), (x1 + x2) / 2, top + 8
	}
	mid := (x1 + x2) / 2
	return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, ay, mid, ay, mid, by, x2, by), mid, (ay+by)/2 - 4
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":   prose.Percent,
	"human": prose.Seconds,
	"inc":   func(i int) int { return i + 1 },
	"join":  strings.Join,
	"add":   func(a, b int) int { return a + b },
	"mul14": func(k int) int { return 14 * k },
	"mul18": func(k int) int { return 18 * k },
	"split": strings.Fields,
	"scoreGap": func(s string) int {
		if s == "" {
			return 0
		}
		return 14
	},
	"cue": func(s friction.Severity) string {
		c := levelCue[levelOf(s)]
		_, size := utf8.DecodeRuneInString(c)
		return c[:size]
	},
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px;color:#212121;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;break-after:avoid}
.headline{color:#455a64;margin:0 0 16px}
.map{background:#fff;border:1px solid #e0e0e0;border-radius:8px;padding:8px;overflow-x:auto}
#journey-map{display:block;width:{{.Width}}px;height:auto}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:4px;vertical-align:-1px;border:2px solid}
table{border-collapse:collapse;background:#fff;width:100%;font-size:14px}
th,td{border-bottom:1px solid #e0e0e0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eceff1}td.n{text-align:right;white-space:nowrap}
tr{break-inside:avoid}thead{display:table-header-group}
.sev-high{color:#9c2f00;font-weight:700}.sev-medium{color:#8a5600;font-weight:700}.sev-low{color:#1f6f9f}
.rec{color:#37474f;font-size:13px}
.whatif{color:#1b5e20;font-size:13px}
details{font-size:12px;color:#455a64;margin-top:4px}details table{font-size:12px;width:auto}details td{padding:2px 8px;border:0}
tr.finding:target{background:#fff3e0;outline:2px solid #b8420b}
.node a{cursor:pointer}
{{range .Findings}}body:has(#{{.Anchor}}:target) [data-f~="{{.Anchor}}"] > rect.box,body:has(#{{.Anchor}}:target) [data-f~="{{.Anchor}}"] a > rect.box{stroke:#111;stroke-width:6}
body:has(#{{.Anchor}}:target) path[data-f~="{{.Anchor}}"]{stroke:#111;stroke-opacity:1}
{{end}}{{.CoverageCSS}}.coverage{font-size:14px;margin:4px 0 8px}.coverage label{margin:0 10px 0 2px}
.worst{border-left:4px solid #9c2f00;background:#fff8f4;padding:6px 12px;margin:8px 0 12px;font-size:14px}
.worst h2{margin:2px 0 4px;font-size:16px}
.worst p{margin:4px 0}
@media print{
@page{size:landscape;margin:10mm}
body{margin:0;background:#fff;display:flex;flex-direction:column}
.legend,.map{order:5;break-before:page}
.map{border:0;padding:0}
#journey-map{width:100%}
.map,table,details{break-inside:auto}
}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="headline">{{.R.Cases.Total}} customers: {{.R.Cases.Completed}} completed ({{.CompletedPct}}), {{with .R.Cases.EndedTotal}}{{.}} ended by design ({{$.R.Cases.EndedWords}}), {{end}}{{.R.Cases.Dropped}} dropped, {{.R.Cases.InProgress}} in progress · fitness {{printf "%.2f" .R.Fitness}} · {{.R.Events.Read}} events read = {{.R.Events.Replayed}} replayed + {{.R.Events.Unmatched}} unmatched + {{.R.Events.Malformed}} malformed{{with .R.Events.Outside}} + {{.}} outside the period{{end}}</p>
{{with .Worst}}<section class="worst" id="worst"><h2>Fix first</h2><p><span class="sev-{{.Severity}}">{{cue .Severity}} {{.Severity}}</span> <b>{{.Kind}} / {{.Reason}}</b>: {{.Summary}}</p><p class="rec">→ {{.Recommendation}}</p>{{if .WhatIf.Worth}}<p class="whatif">≈ {{.WhatIf.Sentence}}</p>{{end}}<p class="more"><a href="#{{.Anchor}}">finding 1 of {{len $.R.Findings}}, and the others, below the map</a></p></section>
{{end}}{{range .R.Warnings}}<p class="warning" role="alert">⚠ Warning: {{.}}</p>
{{end}}{{if .R.AsIs}}<div class="legend"><span>The log's journey as customers took it: ▶ where cases start · ◎ where they end most. Edge width = traffic; each edge says its steps · median wait; red dashes = steps the draft does not keep. Hover for numbers.</span></div>
{{else}}<div class="legend"><span><i style="background:#fbe0d2;border-color:#9c2f00;border-width:3px"></i>▲ high friction</span><span><i style="background:#fdf0d5;border-color:#c77c00;border-style:dashed"></i>◆ medium</span><span><i style="background:#e6f3fb;border-color:#3a8fc4;border-style:dotted"></i>▽ low</span><span><i style="background:#f3f7f3;border-color:#8a9a8a"></i>none found</span><span>▶ entry · ◎ goal · ■ designed end. Edge width = traffic; red dashes = undesigned; dark red = named by a finding; ↻ = repeated in a row. Click a node for its finding; hover for numbers.</span></div>
{{end}}{{if .Coverage}}<div class="coverage" role="group" aria-label="coverage">Show the steps that carry {{range .Levels}}<input type="radio" name="coverage" id="cov{{.}}"{{if eq . $.CoverageFrom}} checked{{end}}><label for="cov{{.}}">{{if eq . 100}}all{{else}}{{.}}%{{end}}</label>{{end}} of the traffic.</div>
{{end}}
<div class="map">
<svg id="journey-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" preserveAspectRatio="xMinYMin meet" role="img" aria-label="Journey map of {{.R.Journey.Name}}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#78909c"/></marker></defs>
{{range .Stages}}{{$s := .}}<g class="stage"{{if .Findings}} data-f="{{.Findings}}"{{end}} data-level="{{.Level}}"><rect class="box" x="{{.X}}" y="8" width="{{$.StageW}}" height="{{$.StageH}}" rx="8" fill="{{.Fill}}" stroke="{{.Stroke}}" stroke-width="{{if .Badge}}3{{else}}1{{end}}"{{if .Dash}} stroke-dasharray="{{.Dash}}"{{end}}/><title>{{.Name}}</title>{{range $k, $l := .Lines}}<text x="{{$s.X}}" y="{{add 30 (mul18 $k)}}" dx="8" font-size="15" font-weight="600" fill="#37474f">{{$l}}</text>{{end}}<text x="{{.X}}" y="{{.NumbersY}}" dx="8" font-size="12" fill="#607d8b">{{.Numbers}}</text>{{with .Scores}}<text class="scores" x="{{$s.X}}" y="{{add $s.NumbersY 14}}" dx="8" font-size="12" fill="#607d8b">{{.}}</text>{{end}}{{if .Badge}}<a href="#{{index (split .Findings) 0}}"><text class="stage-finding" x="{{.X}}" y="{{$.StageH}}" dx="8" dy="-2" font-size="12" font-weight="700" fill="{{.Stroke}}">{{.Badge}}</text></a>{{end}}</g>
{{end}}{{range .Edges}}<path class="edge t{{.Tier}}" data-from="{{.From}}" data-to="{{.To}}" data-steps="{{.Steps}}"{{if .Findings}} data-f="{{.Findings}}"{{end}} d="{{.Path}}" fill="none" stroke="{{.Color}}" stroke-width="{{.Width}}" stroke-opacity="0.8"{{if .Dash}} stroke-dasharray="{{.Dash}}"{{end}} marker-end="url(#arrow)"><title>{{.Title}}</title></path>
{{end}}{{range .Edges}}{{if .Label}}<text class="edge-label t{{.Tier}}" x="{{.LX}}" y="{{.LY}}" font-size="11" text-anchor="middle" fill="{{.Color}}" stroke="#fff" stroke-width="3" paint-order="stroke">{{.Label}}</text>
{{end}}{{end}}{{range .Nodes}}<g class="node" data-id="{{.ID}}"{{if .Findings}} data-f="{{.Findings}}"{{end}} data-level="{{.Level}}"><title>{{.Title}}</title>{{if .Findings}}<a href="#{{index (split .Findings) 0}}">{{end}}<rect class="box" x="{{.X}}" y="{{.Y}}" width="{{$.NodeW}}" height="{{$.NodeH}}" rx="9" fill="{{.Fill}}" stroke="{{.Stroke}}" stroke-width="{{if eq .Level 3}}4{{else}}2{{end}}"{{if .Dash}} stroke-dasharray="{{.Dash}}"{{end}}/>{{if .Goal}}<rect x="{{add .X 4}}" y="{{add .Y 4}}" width="{{add $.NodeW -8}}" height="{{add $.NodeH -8}}" rx="7" fill="none" stroke="{{.Stroke}}" stroke-width="1"/>{{end}}{{$n := .}}{{range $k, $l := .Lines}}<text x="{{$n.X}}" y="{{$n.Y}}" dx="10" dy="{{add 17 (mul14 $k)}}" font-size="13" font-weight="600">{{$l}}</text>{{end}}{{if .Detail}}<text x="{{.X}}" y="{{.Y}}" dx="10" dy="{{add 17 (mul14 (len .Lines))}}" font-size="11" fill="#546e7a">{{.Detail}}</text>{{end}}<text x="{{.X}}" y="{{.Y}}" dx="10" dy="{{add 31 (mul14 (len .Lines))}}" font-size="11" fill="#263238">{{.Numbers}}</text>{{if .Scores}}<text class="scores" x="{{.X}}" y="{{.Y}}" dx="10" dy="{{add 45 (mul14 (len .Lines))}}" font-size="11" fill="#263238">{{.Scores}}</text>{{end}}{{if .Cue}}<text x="{{.X}}" y="{{.Y}}" dx="10" dy="{{add (add 45 (mul14 (len .Lines))) (scoreGap .Scores)}}" font-size="11" font-weight="700" fill="{{.Stroke}}">{{.Cue}}</text>{{end}}{{if .Findings}}</a>{{end}}</g>
{{end}}</svg>
</div>
{{if not .R.AsIs}}<h2>Findings ({{len .R.Findings}}, worst first)</h2>
{{with .R.RecoverableSentence}}<p class="whatif recoverable">≈ {{.}}</p>
{{end}}{{if .HasFindings}}<table id="findings">
<thead><tr><th>#</th><th>severity</th><th>finding</th><th>touchpoints</th><th>cases</th><th>score</th></tr></thead>
{{range $i, $f := .Findings}}<tr class="finding" id="{{$f.Anchor}}" data-kind="{{$f.Kind}}" data-reason="{{$f.Reason}}"><td class="n"><a href="#{{$f.Anchor}}" title="show on the map">{{inc $i}}</a></td><td class="sev-{{$f.Severity}}">{{cue $f.Severity}} {{$f.Severity}}</td><td><b>{{$f.Kind}} / {{$f.Reason}}</b><br>{{$f.Summary}}<div class="rec">→ {{$f.Recommendation}}</div>{{if $f.WhatIf.Worth}}<div class="whatif">≈ {{$f.WhatIf.Sentence}}</div>{{end}}{{with $f.Examples}}<ul class="examples">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}<details><summary>evidence</summary><ul class="evidence">{{range $f.Evidence}}<li>{{.}}</li>{{end}}</ul></details></td><td>{{join $f.Names ", "}}</td><td class="n">{{$f.Cases}}</td><td class="n">{{printf "%.1f" $f.Score}}</td></tr>
{{end}}</table>{{else}}<p>{{.R.NoFrictionSentence}}</p>{{end}}
{{with .R.Insufficient}}<h2>Not enough evidence ({{len .}} could not be made)</h2>
<ul id="insufficient">{{range .}}<li>{{.Sentence}}</li>{{end}}</ul>{{end}}{{end}}
<h2>Stages</h2>
<table id="stages"><thead><tr><th>stage</th><th>cases</th><th>dropped</th><th>bounced</th><th>drop rate</th><th>steps</th><th>handoffs</th><th>channel switches</th><th>elapsed (median)</th></tr></thead>
{{range .R.Stages}}<tr><td>{{.Name}}</td><td class="n">{{.Cases}}</td><td class="n">{{.Dropped}}</td><td class="n">{{.Bounced}}</td><td class="n">{{pct .DropRate.Value}}</td><td class="n">{{printf "%.1f" .Effort.Steps}}</td><td class="n">{{printf "%.1f" .Effort.Handoffs}}</td><td class="n">{{printf "%.1f" .Effort.ChannelSwitches}}</td><td class="n">{{human .Effort.ElapsedMedS}}</td></tr>
{{end}}</table>
{{if .Segments}}<h2>Segments</h2>
<table id="segments"><thead><tr><th>segment</th><th>stage</th><th>cases</th><th>dropped</th><th>drop rate (95% interval)</th><th>findings in the segment</th></tr></thead>
{{range .Segments}}<tr><td>{{.Segment}}</td><td>{{.Stage}}</td><td class="n">{{.Cases}}</td><td class="n">{{.Dropped}}</td><td class="n">{{pct .DropRate.Value}} ({{pct (index .DropRate.CI 0)}}–{{pct (index .DropRate.CI 1)}})</td><td class="n">{{.Findings}}</td></tr>
{{end}}</table>
{{range .R.Segments}}<details class="segment"><summary>Segment {{.Segment}}: {{.Cases.Total}} cases, {{len .Findings}} findings</summary><ol>{{range .Findings}}<li><span class="sev-{{.Severity}}">{{cue .Severity}} {{.Severity}}</span> {{.Kind}} / {{.Reason}}: {{.Summary}}</li>{{end}}</ol></details>
{{end}}{{end}}
</body>
</html>
`))

// Template constants (methods so the template can read them).
func (htmlPage) NodeW() int    { return mapNodeW }
func (p htmlPage) NodeH() int  { return p.NodeHeight }
func (htmlPage) StageW() int   { return mapColW - 20 }
func (p htmlPage) StageH() int { return p.Height - 16 }
