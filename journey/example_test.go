package journey_test

import (
	"errors"
	"fmt"
	"os"
	"strings"

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
