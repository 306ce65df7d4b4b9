package eventlog_test

import (
	"fmt"
	"io"
	"time"

	"github.com/journeymap/journeymap/eventlog"
)

// A CSV log can be read in blocks of compact columns, parsed on every
// core: each block lists its own cases and names once, and gives each
// event an index into both. (This file has a quoted field, so it is read
// a row at a time from there, with the same result.)
func ExampleAsColumnReader() {
	r, err := eventlog.Open("testdata/shop.csv", eventlog.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	cr, ok := eventlog.AsColumnReader(r)
	if !ok {
		fmt.Println("not a CSV log")
		return
	}
	for {
		cols, err := cr.ReadColumns()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		for k := range cols.Case {
			fmt.Println(cols.Case[k], cols.Names[cols.Name[k]], time.Unix(0, cols.Time[k]).UTC().Format(time.RFC3339))
		}
	}
	fmt.Println(cr.Stats().Rows, "rows")
	// Output:
	// c1 home 2024-05-01T10:00:00Z
	// c1 product 2024-05-01T10:05:00Z
	// c1 checkout 2024-05-01T10:10:00Z
	// c2 home 2024-05-01T10:00:00Z
	// c2 product 2024-05-01T10:05:00Z
	// c2 help 2024-05-01T10:20:00Z
	// 6 rows
}
