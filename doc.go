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
// The same map is then checked against an event log — one row per customer
// (case), touchpoint and time — and the friction package reports findings
// such as "customers who exchange an item are bounced between the store and
// the contact centre", each with the cases it affects, its evidence and a
// recommendation. The README shows the command line; the examples directory
// holds runnable programs, each with its own journey and log.
package journeymap
