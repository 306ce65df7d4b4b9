// Package journeymap checks a customer journey map against what customers
// really do, and says which step or handoff causes the pain.
//
// Customer-experience teams draw journey maps: stages, touchpoints, the
// channel each happens on and the team that owns it. journeymap loads such a
// map from a YAML file into a directed graph (package journey), reads real
// event logs (package eventlog), replays every customer through the map and
// flags where they suffer (package friction).
//
// # A tour, from a YAML file to a finding
//
// A journey file names the stages, the touchpoints and the designed
// transitions between them:
//
//	id: retail-omnichannel
//	stages: [{id: purchase}, {id: exchange}]
//	touchpoints:
//	  - {id: checkout, stage: purchase, channel: web, owner: ecommerce, entry: true}
//	  - {id: payment, stage: purchase, channel: web, owner: payments, goal: true}
//	  - {id: store_exchange, stage: exchange, channel: store, owner: store_ops}
//	transitions:
//	  - {from: checkout, to: payment}
//	consistency:
//	  - [purchase, exchange]
//
// Load it, and every mistake in it comes back at once, with line, column and
// a hint:
//
//	j, err := journey.Load("journey.yaml")
//	// journey.yaml:41:9: transition to unknown touchpoint "chekout" (did you mean "checkout"?)
//
// A loaded *journey.Journey is immutable and safe to share between
// goroutines. Ask it what the design says:
//
//	j.Entries()                          // where customers may start
//	j.IsDesigned("cart", "payment")      // false: the design goes through login
//	j.ShortestPath("cart", "payment")    // [cart login checkout payment]
//	j.Lookup("page_view_product")        // the touchpoint an event name means
//
// and draw it with WriteDOT or WriteMermaid (or `journeymap graph`).
//
// The map is then checked against an event log: one row per customer
// (case), touchpoint and time, in CSV, JSON Lines or XES (package eventlog).
// Replay walks every case through the graph, classifying each step
// (conforming, repeat, deviation, off-journey) and each case (completed,
// dropped, in progress), and accounts for every row: read = replayed +
// unmatched + malformed. The friction package turns the replay into
// findings. One call does it all:
//
//	report, err := journeymap.Analyze(ctx, "journey.yaml", "events.csv", journeymap.Options{})
//	for _, f := range report.Findings { // worst first
//		fmt.Println(f.Kind, f.Reason, f.Touchpoints, f.Summary)
//	}
//
// On the bundled retail example the first finding is the purchase-to-exchange
// friction:
//
//	inconsistent_handoff stage_effort [store_exchange exchange_request contact_centre return_label]
//	"Exchange an item" costs customers far more than "Purchase": 3.4 channel
//	switches against 0.7, 3.9d elapsed against 8m, 5.3 ces against 2.0 per customer.
//
// with its evidence (the effort per case in each stage), the cases it
// affects (532), a severity and a recommendation. Reports render as text or
// stable JSON, and friction.Compare says what changed between two of them.
//
// The README is the reference for the journey file, the event formats, each
// finding's rule and the report's keys; the examples directory holds
// runnable programs, each with its own journey and log.
package journeymap
