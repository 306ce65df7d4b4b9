// Live service: a real HTTP service that replays a journey as its events
// arrive and answers with the report and the alerts at any moment, on the
// library's public API alone (packages journey, eventlog, friction, live).
//
//	go run ./examples/live-service --journey examples/retail/journey.yaml --addr 127.0.0.1:8080 --window 168h
//
// POST /events takes JSON Lines (the keys of a log: case_id, touchpoint,
// timestamp, channel, csat, ces, nps, ...) and answers what it read,
// replayed, found unmatched or malformed, and refused as too late; GET
// /report is the JSON report (?format=html, markdown or text too); GET
// /alerts is the JSON array of the alerts raised so far.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/journeymap/journeymap/eventlog"
	"github.com/journeymap/journeymap/friction"
	"github.com/journeymap/journeymap/friction/render"
	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/live"
)

func main() {
	journeyPath := flag.String("journey", "", "the journey file")
	addr := flag.String("addr", "127.0.0.1:8080", "the address to listen on (a loopback one: put a proxy with TLS and authentication in front to serve others)")
	window := flag.Duration("window", 7*24*time.Hour, "the windows of event time judged for alerts")
	lateness := flag.Duration("lateness", time.Hour, "how late an event may arrive and still count")
	flag.Parse()
	if *journeyPath == "" {
		log.Fatal("live-service: --journey is required")
	}
	j, err := journey.Load(*journeyPath)
	if err != nil {
		log.Fatal(err)
	}
	s, err := newService(j, live.Options{Lateness: *lateness, Window: *window})
	if err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("live-service: %s on http://%s (POST /events, GET /report, GET /alerts)", j.ID(), ln.Addr())
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

// service is the HTTP face of a live replay.
type service struct {
	j      *journey.Journey
	r      *live.Replayer
	mu     sync.Mutex
	alerts []live.Alert
	mux    *http.ServeMux
}

func newService(j *journey.Journey, opts live.Options) (*service, error) {
	s := &service{j: j, alerts: []live.Alert{}, mux: http.NewServeMux()}
	opts.OnAlert = func(a live.Alert) {
		s.mu.Lock()
		s.alerts = append(s.alerts, a)
		s.mu.Unlock()
	}
	r, err := live.New(j, opts)
	if err != nil {
		return nil, err
	}
	s.r = r
	s.mux.HandleFunc("POST /events", s.events)
	s.mux.HandleFunc("GET /report", s.report)
	s.mux.HandleFunc("GET /alerts", s.listAlerts)
	return s, nil
}

func (s *service) ServeHTTP(w http.ResponseWriter, req *http.Request) { s.mux.ServeHTTP(w, req) }

// posted is POST /events' answer: every line accounted for.
type posted struct {
	Read      int64     `json:"read"`
	Replayed  int64     `json:"replayed"`
	Unmatched int64     `json:"unmatched"`
	Malformed int64     `json:"malformed"`
	Late      int64     `json:"late"`
	Problems  []problem `json:"problems"`
}

type problem struct {
	Line   int64  `json:"line"`
	Reason string `json:"reason"`
}

func (s *service) events(w http.ResponseWriter, req *http.Request) {
	rd, err := eventlog.NewJSONLReader(http.MaxBytesReader(w, req.Body, 64<<20), "POST /events", eventlog.Options{})
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ans := posted{Problems: []problem{}}
	var evs []live.Event
	var lines []int64
	for {
		ev, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		evs = append(evs, live.FromLog(ev, ""))
		lines = append(lines, ev.Line)
	}
	st := rd.Stats()
	ans.Malformed = st.Malformed
	for _, p := range st.Problems {
		ans.Problems = append(ans.Problems, problem{Line: p.Line, Reason: p.Reason})
	}
	for i, ev := range evs {
		err := s.r.Add(req.Context(), ev)
		switch {
		case err == nil:
			ans.Replayed++
			if _, ok := s.j.Lookup(ev.Touchpoint); !ok {
				ans.Unmatched++
			}
		case errors.Is(err, live.ErrLate):
			ans.Late++
			ans.Problems = append(ans.Problems, problem{Line: lines[i], Reason: err.Error()})
		case req.Context().Err() != nil:
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		default:
			ans.Malformed++
			ans.Problems = append(ans.Problems, problem{Line: lines[i], Reason: err.Error()})
		}
	}
	ans.Read = st.Rows
	writeJSON(w, ans)
}

func (s *service) report(w http.ResponseWriter, req *http.Request) {
	rep, err := s.r.Report(req.Context())
	if err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	render := map[string]struct {
		kind  string
		write func(io.Writer, *friction.Report) error
	}{
		"json":     {"application/json", render.JSON},
		"html":     {"text/html; charset=utf-8", render.HTML},
		"markdown": {"text/markdown; charset=utf-8", render.Markdown},
		"text":     {"text/plain; charset=utf-8", render.Text},
	}
	format := req.URL.Query().Get("format")
	if format == "" {
		format = "json"
	}
	r, ok := render[format]
	if !ok {
		http.Error(w, fmt.Sprintf("unknown format %q: use json, html, markdown or text", format), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", r.kind)
	if err := r.write(w, rep); err != nil {
		log.Printf("live-service: writing the report: %v", err)
	}
}

func (s *service) listAlerts(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	alerts := append([]live.Alert{}, s.alerts...)
	s.mu.Unlock()
	writeJSON(w, alerts)
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		log.Printf("live-service: writing the answer: %v", err)
	}
}
