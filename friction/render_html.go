package friction

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// Layout of the SVG journey map, in pixels.
const (
	mapColW   = 270
	mapNodeW  = 210
	mapNodeH  = 66
	mapRowGap = 34
	mapTop    = 64
	mapLeft   = 24
)

type htmlNode struct {
	ID, Name, Detail, Numbers, Title, Fill, Stroke string
	X, Y                                           int
}

type htmlEdge struct {
	From, To, Path, Color, Dash, Title string
	Width                              float64
	Designed                           bool
	Steps                              int64
}

type htmlStage struct {
	Name, Numbers string
	X             int
}

type htmlPage struct {
	R             *Report
	Width, Height int
	Stages        []htmlStage
	Nodes         []htmlNode
	Edges         []htmlEdge
	CompletedPct  string
	HasFindings   bool
}

var levelFill = [...][2]string{{"#e8f5e9", "#66bb6a"}, {"#fff9c4", "#f9a825"}, {"#ffe0b2", "#fb8c00"}, {"#ffcdd2", "#e53935"}}

// WriteHTML writes one self-contained HTML page: the headline numbers, an
// SVG journey map (stages as columns, touchpoints as nodes coloured by
// friction, edges as wide as their traffic, undesigned steps dashed red,
// each node's and edge's numbers in its hover title) and the findings. It
// loads nothing from the network: no script, no font, no image.
func (r *Report) WriteHTML(w io.Writer) error {
	p := htmlPage{R: r, CompletedPct: pct(rate(r.Cases.Completed, r.Cases.Total)), HasFindings: len(r.Findings) > 0}
	lv := r.touchpointLevels()
	pos := map[string][2]int{}
	rows := 0
	for si, tps := range r.stageTouchpoints() {
		s := r.Stages[si]
		x := mapLeft + si*mapColW
		p.Stages = append(p.Stages, htmlStage{Name: s.Name, X: x, Numbers: fmt.Sprintf("%d cases · %s drop", s.Cases, pct(s.DropRate.Value))})
		for row, t := range tps {
			y := mapTop + row*(mapNodeH+mapRowGap)
			pos[t.ID] = [2]int{x, y}
			detail := strings.Trim(t.Channel+" · "+t.Owner, " ·")
			title := fmt.Sprintf("%s (%s)\n%d cases, %d visits\ndropped here: %d, %d of them bounced (drop rate %s; 95%% CI %s–%s)\nrepeat cases: %d, skipped by: %d\nmedian dwell: %s",
				t.Name, t.ID, t.Cases, t.Visits, t.Dropped, t.Bounced, pct(t.DropRate.Value), pct(t.DropRate.CI[0]), pct(t.DropRate.CI[1]), t.RepeatCases, t.Skipped, human(t.DwellMedS))
			if t.Metrics.CSAT != nil {
				title += fmt.Sprintf("\nCSAT %s (%d answers)", pct(t.Metrics.CSAT.Score), t.Metrics.CSAT.Answers)
			}
			if t.Metrics.CES != nil {
				title += fmt.Sprintf("\nCES %.1f (%d answers)", t.Metrics.CES.Score, t.Metrics.CES.Answers)
			}
			fill := levelFill[lv[t.ID]]
			p.Nodes = append(p.Nodes, htmlNode{
				ID: t.ID, Name: truncate(t.Name, 30), Detail: truncate(detail, 34),
				Numbers: fmt.Sprintf("%d cases · %s drop", t.Cases, pct(t.DropRate.Value)),
				Title:   title, Fill: fill[0], Stroke: fill[1], X: x, Y: y,
			})
		}
		rows = max(rows, len(tps))
	}
	p.Width = mapLeft*2 + len(r.Stages)*mapColW + 60 // room for the last column's loops
	p.Height = mapTop + rows*(mapNodeH+mapRowGap) + 20
	maxSteps := int64(1)
	for _, t := range r.Transitions {
		maxSteps = max(maxSteps, t.Steps)
	}
	for _, t := range r.Transitions {
		a, b := pos[t.From], pos[t.To]
		e := htmlEdge{From: t.From, To: t.To, Designed: t.Designed, Steps: t.Steps, Width: edgeWidth(t.Steps, maxSteps), Color: "#607d8b"}
		switch {
		case t.Steps == 0:
			e.Color, e.Dash, e.Width = "#bdbdbd", "2 4", 1
			e.Title = fmt.Sprintf("%s → %s: designed, never taken", t.From, t.To)
		case !t.Designed:
			e.Color, e.Dash = "#e53935", "7 4"
			e.Title = fmt.Sprintf("%s → %s: %d steps by %d cases, not designed", t.From, t.To, t.Steps, t.Cases)
		default:
			e.Title = fmt.Sprintf("%s → %s: %d steps by %d cases", t.From, t.To, t.Steps, t.Cases)
		}
		e.Path = edgePath(a, b)
		p.Edges = append(p.Edges, e)
	}
	return htmlTemplate.Execute(w, p)
}

// edgePath draws a curve from the right of node a to the left of node b,
// or, between nodes of one column, a loop out to the right.
func edgePath(a, b [2]int) string {
	ay, by := a[1]+mapNodeH/2, b[1]+mapNodeH/2
	if a[0] == b[0] {
		x := a[0] + mapNodeW
		bulge := 40 + abs(by-ay)/4
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x, ay, x+bulge, ay, x+bulge, by, x, by+4)
	}
	x1, x2 := a[0]+mapNodeW, b[0]
	if b[0] < a[0] { // backwards: leave from the left, arrive on the right
		x1, x2 = a[0], b[0]+mapNodeW
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, ay, x1-60, ay-40, x2+60, by-40, x2, by)
	}
	mid := (x1 + x2) / 2
	return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, ay, mid, ay, mid, by, x2, by)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"pct":   pct,
	"human": human,
	"inc":   func(i int) int { return i + 1 },
	"join":  strings.Join,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Journey friction: {{.R.Journey.Name}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:24px;color:#212121;background:#fafafa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.headline{color:#455a64;margin:0 0 16px}
.map{background:#fff;border:1px solid #e0e0e0;border-radius:8px;overflow-x:auto;padding:8px}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:4px;vertical-align:-1px;border:1px solid #9e9e9e}
table{border-collapse:collapse;background:#fff;width:100%;font-size:14px}
th,td{border-bottom:1px solid #e0e0e0;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eceff1}td.n{text-align:right;white-space:nowrap}
.sev-high{color:#c62828;font-weight:600}.sev-medium{color:#ef6c00;font-weight:600}.sev-low{color:#9e9d24}
.rec{color:#37474f;font-size:13px}
</style>
</head>
<body>
<h1>Journey friction: {{.R.Journey.Name}}</h1>
<p class="headline">{{.R.Cases.Total}} customers: {{.R.Cases.Completed}} completed ({{.CompletedPct}}), {{with .R.Cases.EndedTotal}}{{.}} ended by design ({{$.R.Cases.EndedWords}}), {{end}}{{.R.Cases.Dropped}} dropped, {{.R.Cases.InProgress}} in progress · fitness {{printf "%.2f" .R.Fitness}} · {{.R.Events.Read}} events read = {{.R.Events.Replayed}} replayed + {{.R.Events.Unmatched}} unmatched + {{.R.Events.Malformed}} malformed</p>
<div class="legend"><span><i style="background:#ffcdd2"></i>high friction</span><span><i style="background:#ffe0b2"></i>medium</span><span><i style="background:#fff9c4"></i>low</span><span><i style="background:#e8f5e9"></i>none found</span><span>edge width = traffic; red dashes = undesigned; grey dots = designed, never taken. Hover for numbers.</span></div>
<div class="map">
<svg id="journey-map" xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="{{.Height}}" viewBox="0 0 {{.Width}} {{.Height}}" role="img" aria-label="Journey map of {{.R.Journey.Name}}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="11" markerHeight="11" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#78909c"/></marker></defs>
{{range .Stages}}<g class="stage"><rect x="{{.X}}" y="8" width="{{$.StageW}}" height="{{$.StageH}}" rx="8" fill="#f5f7f8" stroke="#eceff1"/><text x="{{.X}}" y="30" dx="8" font-size="15" font-weight="600" fill="#37474f">{{.Name}}</text><text x="{{.X}}" y="48" dx="8" font-size="12" fill="#607d8b">{{.Numbers}}</text></g>
{{end}}{{range .Edges}}<path class="edge" data-from="{{.From}}" data-to="{{.To}}" data-steps="{{.Steps}}" d="{{.Path}}" fill="none" stroke="{{.Color}}" stroke-width="{{.Width}}" stroke-opacity="0.75"{{if .Dash}} stroke-dasharray="{{.Dash}}"{{end}} marker-end="url(#arrow)"><title>{{.Title}}</title></path>
{{end}}{{range .Nodes}}<g class="node" data-id="{{.ID}}"><title>{{.Title}}</title><rect x="{{.X}}" y="{{.Y}}" width="{{$.NodeW}}" height="{{$.NodeH}}" rx="9" fill="{{.Fill}}" stroke="{{.Stroke}}" stroke-width="2"/><text x="{{.X}}" y="{{.Y}}" dx="10" dy="20" font-size="13" font-weight="600">{{.Name}}</text><text x="{{.X}}" y="{{.Y}}" dx="10" dy="37" font-size="11" fill="#546e7a">{{.Detail}}</text><text x="{{.X}}" y="{{.Y}}" dx="10" dy="55" font-size="11" fill="#263238">{{.Numbers}}</text></g>
{{end}}</svg>
</div>
<h2>Findings ({{len .R.Findings}}, worst first)</h2>
{{if .HasFindings}}<table id="findings">
<tr><th>#</th><th>severity</th><th>finding</th><th>touchpoints</th><th>cases</th><th>score</th></tr>
{{range $i, $f := .R.Findings}}<tr class="finding" data-kind="{{$f.Kind}}" data-reason="{{$f.Reason}}"><td class="n">{{inc $i}}</td><td class="sev-{{$f.Severity}}">{{$f.Severity}}</td><td><b>{{$f.Kind}} / {{$f.Reason}}</b><br>{{$f.Summary}}<div class="rec">→ {{$f.Recommendation}}</div></td><td>{{join $f.Touchpoints ", "}}</td><td class="n">{{$f.Cases}}</td><td class="n">{{printf "%.1f" $f.Score}}</td></tr>
{{end}}</table>{{else}}<p>No friction found: no touchpoint, stage or handoff stands out on this log.</p>{{end}}
<h2>Stages</h2>
<table id="stages"><tr><th>stage</th><th>cases</th><th>dropped</th><th>bounced</th><th>drop rate</th><th>steps</th><th>handoffs</th><th>channel switches</th><th>elapsed (median)</th></tr>
{{range .R.Stages}}<tr><td>{{.Name}}</td><td class="n">{{.Cases}}</td><td class="n">{{.Dropped}}</td><td class="n">{{.Bounced}}</td><td class="n">{{pct .DropRate.Value}}</td><td class="n">{{printf "%.1f" .Effort.Steps}}</td><td class="n">{{printf "%.1f" .Effort.Handoffs}}</td><td class="n">{{printf "%.1f" .Effort.ChannelSwitches}}</td><td class="n">{{human .Effort.ElapsedMedS}}</td></tr>
{{end}}</table>
</body>
</html>
`))

// Template constants (methods so the template can read them).
func (htmlPage) NodeW() int    { return mapNodeW }
func (htmlPage) NodeH() int    { return mapNodeH }
func (htmlPage) StageW() int   { return mapColW - 20 }
func (p htmlPage) StageH() int { return p.Height - 16 }
