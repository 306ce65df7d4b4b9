package replay_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/journeymap/journeymap/journey"
	"github.com/journeymap/journeymap/replay"
)

// A log sorted by case is replayed a case at a time: memory holds the case
// being read, not the log. A log in another order is refused with the line
// where the order breaks, rather than replayed wrongly.
func ExampleRun_grouped() {
	j, err := journey.Load("../journey/testdata/good/small.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(h int) time.Time { return time.Date(2024, 5, 1, h, 0, 0, 0, time.UTC) }
	event := func(line int64, c, tp string, h int) replay.Event {
		return replay.Event{Case: c, Touchpoint: tp, Time: at(h), Line: line, CSAT: -1, CES: -1, NPS: -1}
	}
	sorted := []replay.Event{
		event(2, "c1", "home", 0), event(3, "c1", "product", 1), event(4, "c1", "cart", 2), event(5, "c1", "paid", 3),
		event(6, "c2", "product", 0), event(7, "c2", "cart", 4),
	}
	res, err := replay.Run(context.Background(), j, replay.SliceEvents(sorted), replay.Options{Grouped: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d cases, %d completed, %d in progress\n", res.Cases.Total, res.Cases.Completed, res.Cases.InProgress)

	interleaved := []replay.Event{event(2, "c1", "home", 0), event(3, "c2", "product", 0), event(4, "c1", "product", 1)}
	_, err = replay.Run(context.Background(), j, replay.SliceEvents(interleaved), replay.Options{Grouped: true})
	fmt.Println(errors.Is(err, replay.ErrNotGrouped))
	fmt.Println(err)
	// Output:
	// 2 cases, 1 completed, 1 in progress
	// true
	// line 4: its case comes after one that sorts after it: the log is not sorted by case, so it cannot be replayed a case at a time; sort it by case, or replay it without Grouped
}

// blocks is a ColumnSource over blocks made in memory.
type blocks []*replay.Columns

func (b *blocks) NextColumns() (*replay.Columns, error) {
	if len(*b) == 0 {
		return nil, io.EOF
	}
	c := (*b)[0]
	*b = (*b)[1:]
	return c, nil
}

// Replay from blocks of columns, as eventlog's CSV reader makes them on
// every core. Besides case, name and time, a block may carry each event's
// line, channel, lifecycle and scores; names and values are the block's
// own, resolved once a block.
func ExampleRunColumns() {
	j, err := journey.Load("../journey/testdata/good/small.yaml")
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
	res, err := replay.RunColumns(context.Background(), j, &src, replay.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d cases, %d completed, %d in progress; %d events\n", res.Cases.Total, res.Cases.Completed, res.Cases.InProgress, res.Events.Read)

	bad := blocks{{Case: []string{"c1"}, Names: []string{"home"}, Name: []int32{0}, Time: []int64{0}, Line: []int64{2}, CES: []int8{9}}}
	_, err = replay.RunColumns(context.Background(), j, &bad, replay.Options{})
	fmt.Println(err)
	// Output:
	// 2 cases, 1 completed, 1 in progress; 6 events
	// event at line 2: a score out of range (CES 9 of 1-7; -1 for none)
}

// A program that groups events by case itself (a Beam pipeline, a query
// ordered by case) replays each case as it comes, on as many replayers
// as it likes, and merges their results; a result can travel between
// machines as bytes.
func ExampleNewCaseReplayer() {
	j, err := journey.Load("../journey/testdata/good/small.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	at := func(h int) time.Time { return time.Date(2024, 5, 1, h, 0, 0, 0, time.UTC) }
	event := func(c, tp string, h int) replay.Event {
		return replay.Event{Case: c, Touchpoint: tp, Time: at(h), CSAT: -1, CES: -1, NPS: -1}
	}
	// Every replayer measures idle time to the same end of the log.
	opts := replay.Options{LogEnd: at(4)}
	a, _ := replay.NewCaseReplayer(j, opts)
	b, _ := replay.NewCaseReplayer(j, opts)
	a.Replay("c1", []replay.Event{event("c1", "home", 0), event("c1", "product", 1), event("c1", "cart", 2), event("c1", "paid", 3)})
	b.Replay("c2", []replay.Event{event("c2", "product", 0), event("c2", "cart", 4)})

	sent, err := b.Result().MarshalBinary()
	if err != nil {
		fmt.Println(err)
		return
	}
	received, err := replay.Decode(j, sent)
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
