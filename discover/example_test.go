package discover_test

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/journeymap/journeymap/discover"
	"github.com/journeymap/journeymap/replay"
)

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

// Discovery from blocks of columns, as eventlog's CSV reader makes them
// on every core: each block numbers its own names, and a case may go on
// from one block to the next. The log is in time order, so discovery can
// follow each case's path instead of keeping its events.
func ExampleRunColumns() {
	h := int64(time.Hour)
	src := blocks{
		{Case: []string{"c1", "c2", "c1"}, Names: []string{"home", "cart"}, Name: []int32{0, 0, 1}, Time: []int64{0, h, 2 * h}},
		{Case: []string{"c2", "c1", "c2"}, Names: []string{"cart", "paid"}, Name: []int32{0, 1, 1}, Time: []int64{3 * h, 4 * h, 5 * h}},
	}
	d, err := discover.RunColumns(context.Background(), &src, discover.Options{InTimeOrder: true})
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

// Discovery a case at a time: tallies of disjoint cases merge into what
// Discover finds in them all.
func ExampleTally() {
	at := func(m int) time.Time { return time.Date(2024, 5, 1, 9, m, 0, 0, time.UTC) }
	var a, b discover.Tally
	a.AddCase([]replay.Event{{Touchpoint: "login", Time: at(0)}, {Touchpoint: "verify", Time: at(2)}, {Touchpoint: "pay", Time: at(3)}})
	b.AddCase([]replay.Event{{Touchpoint: "login", Time: at(0)}, {Touchpoint: "verify", Time: at(4)}, {Touchpoint: "verify", Time: at(9)}})
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
