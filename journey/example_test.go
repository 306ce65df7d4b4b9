package journey_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/journeymap/journeymap/journey"
)

func ExampleLoad() {
	j, err := journey.Load("../examples/retail/journey.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(j)
	fmt.Println("entries:", j.Entries())
	fmt.Println("goals:", j.Goals())
	// Output:
	// journey "retail-omnichannel": 4 stages, 17 touchpoints, 23 transitions
	// entries: [home search product]
	// goals: [delivered exchange_shipped refund_issued]
}

// Every problem in a journey file comes back at once, each with its line,
// column and, where one helps, a hint.
func ExampleParse_errors() {
	_, err := journey.Parse(strings.NewReader(`id: shop
stages: [browse, buy]
touchpoints:
  - {id: home, stage: browse, entry: true}
  - {id: checkout, stage: buy, goal: true}
transitions:
  - {from: home, to: chekout}
`), "shop.yaml")
	var list journey.ErrorList
	if errors.As(err, &list) {
		for _, d := range list {
			fmt.Println(d)
		}
	}
	// Output:
	// shop.yaml:5:5: goal "checkout" cannot be reached from any entry (add a transition into it, or mark a touchpoint on the way as "entry: true")
	// shop.yaml:7:22: transition to unknown touchpoint "chekout" (did you mean "checkout"?)
}

func ExampleJourney_Lookup() {
	j, _ := journey.Load("../examples/retail/journey.yaml")
	for _, event := range []string{"page_view_product", "checkout", "clicked_banner"} {
		if tp, ok := j.Lookup(event); ok {
			fmt.Printf("%s -> %s (%s, %s)\n", event, tp.ID, tp.Stage, tp.Channel)
		} else {
			fmt.Printf("%s -> no touchpoint\n", event)
		}
	}
	// Output:
	// page_view_product -> product (discover, web)
	// checkout -> checkout (purchase, web)
	// clicked_banner -> no touchpoint
}

func ExampleJourney_ShortestPath() {
	j, _ := journey.Load("../examples/retail/journey.yaml")
	// A customer seen at the basket and next at payment skipped these steps:
	path, _ := j.ShortestPath("cart", "payment")
	fmt.Println(path)
	fmt.Println(j.IsDesigned("cart", "payment"))
	// Output:
	// [cart login checkout payment]
	// false
}

func ExampleJourney_WriteMermaid() {
	j, _ := journey.Parse(strings.NewReader(`id: tiny
stages: [shop]
touchpoints:
  - {id: browse, stage: shop, channel: web, entry: true}
  - {id: buy, stage: shop, channel: web, goal: true}
transitions:
  - {from: browse, to: buy}
`), "tiny.yaml")
	_ = j.WriteMermaid(os.Stdout)
	// Output:
	// flowchart TB
	//   subgraph s0["shop"]
	//     direction LR
	//     t0(["browse<br/><small>web</small>"])
	//     t1((("buy<br/><small>web</small>")))
	//   end
	//   t0 --> t1
	//   style s0 fill:#f5f7f8,stroke:#cfd8dc,color:#37474f
}

// A log sorted by case is replayed a case at a time: memory holds the case
// being read, not the log. A log in another order is refused with the line
// where the order breaks, rather than replayed wrongly.
func ExampleJourney_Replay_grouped() {
	j, err := journey.Load("testdata/good/small.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(h int) time.Time { return time.Date(2024, 5, 1, h, 0, 0, 0, time.UTC) }
	event := func(line int64, c, tp string, h int) journey.Event {
		return journey.Event{Case: c, Touchpoint: tp, Time: at(h), Line: line, CSAT: -1, CES: -1, NPS: -1}
	}
	sorted := []journey.Event{
		event(2, "c1", "home", 0), event(3, "c1", "product", 1), event(4, "c1", "cart", 2), event(5, "c1", "paid", 3),
		event(6, "c2", "product", 0), event(7, "c2", "cart", 4),
	}
	res, err := j.Replay(context.Background(), journey.SliceEvents(sorted), journey.ReplayOptions{Grouped: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d cases, %d completed, %d in progress\n", res.Cases.Total, res.Cases.Completed, res.Cases.InProgress)

	interleaved := []journey.Event{event(2, "c1", "home", 0), event(3, "c2", "product", 0), event(4, "c1", "product", 1)}
	_, err = j.Replay(context.Background(), journey.SliceEvents(interleaved), journey.ReplayOptions{Grouped: true})
	fmt.Println(errors.Is(err, journey.ErrNotGrouped))
	fmt.Println(err)
	// Output:
	// 2 cases, 1 completed, 1 in progress
	// true
	// line 4: its case comes after one that sorts after it: the log is not sorted by case, so it cannot be replayed a case at a time; sort it by case, or replay it without Grouped
}

// blocks is a ColumnSource over blocks made in memory.
type blocks []*journey.Columns

func (b *blocks) NextColumns() (*journey.Columns, error) {
	if len(*b) == 0 {
		return nil, io.EOF
	}
	c := (*b)[0]
	*b = (*b)[1:]
	return c, nil
}

// Discovery from blocks of columns, as eventlog's CSV reader makes them
// on every core: each block numbers its own names, and a case may go on
// from one block to the next. The log is in time order, so discovery can
// follow each case's path instead of keeping its events.
func ExampleDiscoverColumns() {
	h := int64(time.Hour)
	src := blocks{
		{Case: []string{"c1", "c2", "c1"}, Names: []string{"home", "cart"}, Name: []int32{0, 0, 1}, Time: []int64{0, h, 2 * h}},
		{Case: []string{"c2", "c1", "c2"}, Names: []string{"cart", "paid"}, Name: []int32{0, 1, 1}, Time: []int64{3 * h, 4 * h, 5 * h}},
	}
	d, err := journey.DiscoverColumns(context.Background(), &src, journey.DiscoverOptions{InTimeOrder: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Cases, "cases,", d.Events, "events")
	for _, v := range d.Variants {
		fmt.Println(v.Path, v.Cases)
	}
	// Output:
	// 2 cases, 6 events
	// [home cart paid] 2
}

// Replay from blocks of columns, as eventlog's CSV reader makes them on
// every core. Besides case, name and time, a block may carry each event's
// line, channel, lifecycle and scores; names and values are the block's
// own, resolved once a block.
func ExampleJourney_ReplayColumns() {
	j, err := journey.Load("testdata/good/small.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	h := int64(time.Hour)
	src := blocks{
		{Case: []string{"c1", "c1", "c2"}, Names: []string{"landing", "product"}, Name: []int32{0, 1, 1}, Time: []int64{0, h, h},
			Values: []string{"web"}, Channel: []int32{0, 0, -1}, CSAT: []int8{-1, 4, -1}, CES: []int8{-1, -1, -1}, NPS: []int8{-1, -1, -1}},
		{Case: []string{"c1", "c1", "c2"}, Names: []string{"cart", "paid"}, Name: []int32{0, 1, 0}, Time: []int64{2 * h, 3 * h, 4 * h},
			Line: []int64{5, 6, 7}},
	}
	res, err := j.ReplayColumns(context.Background(), &src, journey.ReplayOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d cases, %d completed, %d in progress; %d events\n", res.Cases.Total, res.Cases.Completed, res.Cases.InProgress, res.Events.Read)

	bad := blocks{{Case: []string{"c1"}, Names: []string{"home"}, Name: []int32{0}, Time: []int64{0}, Line: []int64{2}, CES: []int8{9}}}
	_, err = j.ReplayColumns(context.Background(), &bad, journey.ReplayOptions{})
	fmt.Println(err)
	// Output:
	// 2 cases, 1 completed, 1 in progress; 6 events
	// event at line 2: a score out of range (CES 9 of 1-7; -1 for none)
}

// A program that groups events by case itself (a Beam pipeline, a query
// ordered by case) replays each case as it comes, on as many replayers
// as it likes, and merges their results; a result can travel between
// machines as bytes.
func ExampleJourney_NewCaseReplayer() {
	j, err := journey.Load("testdata/good/small.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(h int) time.Time { return time.Date(2024, 5, 1, h, 0, 0, 0, time.UTC) }
	event := func(c, tp string, h int) journey.Event {
		return journey.Event{Case: c, Touchpoint: tp, Time: at(h), CSAT: -1, CES: -1, NPS: -1}
	}
	// Every replayer measures idle time to the same end of the log.
	opts := journey.ReplayOptions{LogEnd: at(4)}
	a, _ := j.NewCaseReplayer(opts)
	b, _ := j.NewCaseReplayer(opts)
	a.Replay("c1", []journey.Event{event("c1", "home", 0), event("c1", "product", 1), event("c1", "cart", 2), event("c1", "paid", 3)})
	b.Replay("c2", []journey.Event{event("c2", "product", 0), event("c2", "cart", 4)})

	sent, err := b.Result().MarshalBinary()
	if err != nil {
		fmt.Println(err)
		return
	}
	received, err := j.DecodeResult(sent)
	if err != nil {
		fmt.Println(err)
		return
	}
	res := a.Result()
	res.Merge(received)
	fmt.Printf("%d cases, %d completed, %d in progress, %d events\n", res.Cases.Total, res.Cases.Completed, res.Cases.InProgress, res.Events.Read)
	// Output:
	// 2 cases, 1 completed, 1 in progress, 6 events
}

// Discovery a case at a time: tallies of disjoint cases merge into what
// Discover finds in them all.
func ExampleDiscoveryTally() {
	at := func(m int) time.Time { return time.Date(2024, 5, 1, 9, m, 0, 0, time.UTC) }
	var a, b journey.DiscoveryTally
	a.AddCase([]journey.Event{{Touchpoint: "login", Time: at(0)}, {Touchpoint: "verify", Time: at(2)}, {Touchpoint: "pay", Time: at(3)}})
	b.AddCase([]journey.Event{{Touchpoint: "login", Time: at(0)}, {Touchpoint: "verify", Time: at(4)}, {Touchpoint: "verify", Time: at(9)}})
	a.Merge(&b)
	d := a.Discovery()
	for _, e := range d.DFG {
		fmt.Printf("%s -> %s: %d, median %.0f s\n", e.From, e.To, e.Count, e.MedianS)
	}
	fmt.Println("rework:", d.Rework)
	// Output:
	// login -> verify: 2, median 180 s
	// verify -> pay: 1, median 60 s
	// verify -> verify: 1, median 300 s
	// rework: map[verify:1]
}
