// Package simulate generates realistic, seeded customer event logs for a
// journey: the bundled examples' logs, the benchmarks' logs of any size,
// and logs with friction planted where a test wants it. The same seed
// gives the same log, byte for byte.
package simulate

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strconv"
	"time"
)

// Behaviour says how simulated customers move through a journey.
type Behaviour struct {
	// Entries weights the touchpoints cases start at.
	Entries map[string]float64
	// Steps says what customers do at each touchpoint. A touchpoint
	// without a Step ends the case there (a goal, usually).
	Steps map[string]Step
	// Personas weights the segments written to the persona column, and
	// may change behaviour per persona.
	Personas []Persona
	// Start and Span: cases start uniformly in [Start, Start+Span).
	Start time.Time
	Span  time.Duration
}

// Step is the behaviour at one touchpoint.
type Step struct {
	Next    map[string]float64 // where customers go next, by weight; may name undesigned steps
	Drop    float64            // chance the customer gives up here
	Wait    time.Duration      // median time to the next step (log-normal, sigma 0.6)
	Repeat  float64            // chance of doing this touchpoint again right away
	Channel string             // channel written in the log, "" for none
	CSAT    float64            // mean CSAT given here (0: no survey)
	CES     float64            // mean CES given here (0: no survey)
	Survey  float64            // chance a customer answers the survey here
	// SlowDrop is the chance the customer gives up here when the wait
	// into here was over SlowOver (a slow handoff that loses customers).
	SlowDrop float64
	SlowOver time.Duration
}

// Persona is a segment of customers.
type Persona struct {
	Name   string
	Weight float64
	// DropFactor multiplies every drop chance for this persona.
	DropFactor float64
}

// Event is one generated row.
type Event struct {
	Case, Touchpoint string
	Time             time.Time
	Channel          string
	CSAT, CES        int // 0: not answered
	Persona          string
}

// Generate simulates n cases with the given seed and calls emit for each
// event, case by case, each case in time order.
func Generate(b Behaviour, n int, seed uint64, emit func(Event) error) error {
	rng := rand.New(rand.NewPCG(seed, 0x6a6d6170))
	entries, entryW := weighted(b.Entries)
	var personaW []float64
	for _, p := range b.Personas {
		personaW = append(personaW, p.Weight)
	}
	for c := range n {
		persona := Persona{DropFactor: 1}
		if len(b.Personas) > 0 {
			persona = b.Personas[pick(rng, personaW)]
		}
		id := fmt.Sprintf("C%07d", c+1)
		t := b.Start.Add(time.Duration(rng.Float64() * float64(b.Span))).Truncate(time.Second)
		at := entries[pick(rng, entryW)]
		var waited time.Duration // the wait into at
		for steps := 0; steps < 60; steps++ {
			st, ok := b.Steps[at]
			ev := Event{Case: id, Touchpoint: at, Time: t, Channel: st.Channel, Persona: persona.Name}
			if ok && st.Survey > 0 && rng.Float64() < st.Survey {
				ev.CSAT = score(rng, st.CSAT, 5)
				ev.CES = score(rng, st.CES, 7)
			}
			if err := emit(ev); err != nil {
				return err
			}
			if !ok || rng.Float64() < st.Drop*persona.DropFactor {
				break
			}
			if st.SlowDrop > 0 && steps > 0 && waited > st.SlowOver && rng.Float64() < st.SlowDrop {
				break
			}
			waited = wait(rng, st.Wait)
			t = t.Add(waited)
			if st.Repeat > 0 && rng.Float64() < st.Repeat {
				continue
			}
			names, w := weighted(st.Next)
			if len(names) == 0 {
				break
			}
			at = names[pick(rng, w)]
		}
	}
	return nil
}

// score draws an answer around mean on 1..hi, or 0 when mean is 0.
func score(rng *rand.Rand, mean float64, hi int) int {
	if mean == 0 {
		return 0
	}
	v := int(math.Round(mean + rng.NormFloat64()*0.9))
	return min(hi, max(1, v))
}

func wait(rng *rand.Rand, median time.Duration) time.Duration {
	if median <= 0 {
		median = time.Minute
	}
	d := time.Duration(float64(median) * math.Exp(rng.NormFloat64()*0.6))
	return max(time.Second, d.Truncate(time.Second))
}

// weighted returns the keys of m sorted (for determinism) and their weights.
func weighted(m map[string]float64) ([]string, []float64) {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	slices.Sort(names)
	w := make([]float64, len(names))
	for i, k := range names {
		w[i] = m[k]
	}
	return names, w
}

func pick(rng *rand.Rand, w []float64) int {
	var total float64
	for _, x := range w {
		total += x
	}
	r := rng.Float64() * total
	for i, x := range w {
		if r < x {
			return i
		}
		r -= x
	}
	return len(w) - 1
}

// WriteCSV writes the events of n simulated cases as a CSV log
// (case_id,touchpoint,timestamp,channel,csat,ces,persona), sorted by time
// as exports usually are.
func WriteCSV(w io.Writer, b Behaviour, n int, seed uint64) error {
	return writeCSV(w, b, n, seed, false)
}

// WriteCSVByCase writes the same log sorted by case id, then time.
func WriteCSVByCase(w io.Writer, b Behaviour, n int, seed uint64) error {
	return writeCSV(w, b, n, seed, true)
}

func writeCSV(w io.Writer, b Behaviour, n int, seed uint64, byCase bool) error {
	var evs []Event
	if err := Generate(b, n, seed, func(e Event) error { evs = append(evs, e); return nil }); err != nil {
		return err
	}
	sort.SliceStable(evs, func(i, j int) bool {
		if byCase && evs[i].Case != evs[j].Case {
			return evs[i].Case < evs[j].Case
		}
		return evs[i].Time.Before(evs[j].Time)
	})
	bw := bufio.NewWriter(w)
	bw.WriteString("case_id,touchpoint,timestamp,channel,csat,ces,persona\n")
	for _, e := range evs {
		bw.WriteString(e.Case)
		bw.WriteByte(',')
		bw.WriteString(e.Touchpoint)
		bw.WriteByte(',')
		bw.WriteString(e.Time.UTC().Format(time.RFC3339))
		bw.WriteByte(',')
		bw.WriteString(e.Channel)
		bw.WriteByte(',')
		if e.CSAT > 0 {
			bw.WriteString(strconv.Itoa(e.CSAT))
		}
		bw.WriteByte(',')
		if e.CES > 0 {
			bw.WriteString(strconv.Itoa(e.CES))
		}
		bw.WriteByte(',')
		bw.WriteString(e.Persona)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}
