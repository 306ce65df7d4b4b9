package simulate

import (
	"fmt"
	"strings"
	"time"
)

// A Scenario is a journey of a shape unlike the bundled examples, with a
// healthy behaviour and frictions that can be planted in it one by one:
// the matrix the friction detectors are tested on, planted and not.
type Scenario struct {
	Name string
	// Journey is the journey file (YAML).
	Journey string
	// Healthy returns a fresh behaviour with no friction planted: a few
	// percent of customers give up anywhere, waits vary, nothing loops.
	Healthy func() Behaviour
	// Plants are the frictions this scenario can plant.
	Plants []Plant
}

// Plant is one friction planted in a scenario's behaviour, and what a
// detector must say of it.
type Plant struct {
	Kind, Reason string
	// Touchpoints are the ones the finding is about: the first is the one
	// it must name first (a ping-pong names both ends, a loop every
	// touchpoint redone); for a stage finding, Stage is set instead.
	Touchpoints []string
	Stage       string
	Apply       func(*Behaviour)
}

// Planted returns the scenario's healthy behaviour with every plant applied.
func (s Scenario) Planted() Behaviour {
	b := s.Healthy()
	for _, p := range s.Plants {
		p.Apply(&b)
	}
	return b
}

// step edits the step at tp in place.
func step(b *Behaviour, tp string, edit func(*Step)) {
	st := b.Steps[tp]
	st.Next = cloneWeights(st.Next)
	edit(&st)
	b.Steps[tp] = st
}

func cloneWeights(m map[string]float64) map[string]float64 {
	c := make(map[string]float64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// The plants every scenario uses, on touchpoints of its own.

func plantDrop(tp string, rate float64) Plant {
	return Plant{Kind: "drop_off", Reason: "outlier", Touchpoints: []string{tp},
		Apply: func(b *Behaviour) { step(b, tp, func(s *Step) { s.Drop = rate }) }}
}

// plantRepeat: customers do tp again right away (re-verifying, re-entering).
func plantRepeat(tp string) Plant {
	return Plant{Kind: "redundant_touchpoint", Reason: "repeated", Touchpoints: []string{tp},
		Apply: func(b *Behaviour) { step(b, tp, func(s *Step) { s.Repeat = 0.4 }) }}
}

// plantLoop: after w, customers are sent back to v (one team, one channel),
// and go round v, w again: both are redone.
func plantLoop(v, w string) Plant {
	return Plant{Kind: "redundant_touchpoint", Reason: "repeated", Touchpoints: []string{v, w},
		Apply: func(b *Behaviour) { step(b, w, func(s *Step) { scale(s.Next, 0.6); s.Next[v] = 0.4 }) }}
}

// plantSkip: 40% of those at a go straight to c, skipping b, and complete
// as often.
func plantSkip(a, b, c string) Plant {
	return Plant{Kind: "redundant_touchpoint", Reason: "bypassable", Touchpoints: []string{b},
		Apply: func(bh *Behaviour) {
			step(bh, a, func(s *Step) { w := s.Next[b]; s.Next[b] = 0.6 * w; s.Next[c] += 0.4 * w })
		}}
}

// plantBounce: q sends 40% of its customers back to p, another team, who
// hand them to q again.
func plantBounce(p, q string) Plant {
	return Plant{Kind: "inconsistent_handoff", Reason: "ping_pong", Touchpoints: []string{p, q},
		Apply: func(b *Behaviour) { step(b, q, func(s *Step) { scale(s.Next, 0.6); s.Next[p] = 0.4 }) }}
}

// plantHarder: the later stage of a consistency pair sends most customers
// through its designed detour, slowly, across channels.
func plantHarder(stage, at string, detour map[string]float64, slow ...string) Plant {
	return Plant{Kind: "inconsistent_handoff", Reason: "stage_effort", Stage: stage,
		Apply: func(b *Behaviour) {
			step(b, at, func(s *Step) { s.Next = cloneWeights(detour) })
			for _, tp := range slow {
				step(b, tp, func(s *Step) { s.Wait *= 20 })
			}
		}}
}

func scale(m map[string]float64, f float64) {
	for k := range m {
		m[k] *= f
	}
}

// tp is a touchpoint of a scenario's journey.
type tp struct {
	id, stage, channel, owner string
	entry, goal               bool
}

// journeyYAML writes a journey file.
func journeyYAML(id string, stages []string, tps []tp, transitions [][2]string, consistency [2]string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nstages: [%s]\ntouchpoints:\n", id, strings.Join(stages, ", "))
	for _, t := range tps {
		fmt.Fprintf(&b, "  - {id: %s, stage: %s, channel: %s, owner: %s", t.id, t.stage, t.channel, t.owner)
		if t.entry {
			b.WriteString(", entry: true")
		}
		if t.goal {
			b.WriteString(", goal: true")
		}
		b.WriteString("}\n")
	}
	b.WriteString("transitions:\n")
	for _, tr := range transitions {
		fmt.Fprintf(&b, "  - {from: %s, to: %s}\n", tr[0], tr[1])
	}
	fmt.Fprintf(&b, "consistency:\n  - [%s, %s]\n", consistency[0], consistency[1])
	return b.String()
}

var scenarioStart = time.Date(2025, 2, 3, 8, 0, 0, 0, time.UTC)

// Scenarios are four journey shapes unlike the examples: different stage
// counts, channels, owners and loops.
func Scenarios() []Scenario {
	return []Scenario{homeClaim(), mobileSwitch(), clinicVisit(), movingHome()}
}

// homeClaim: four stages, a designed loop between triage and a request for
// documents, four teams, visits and letters.
func homeClaim() Scenario {
	tps := []tp{
		{"report_online", "report", "app", "claims", true, false},
		{"report_phone", "report", "phone", "claims", true, false},
		{"photos", "report", "app", "claims", false, false},
		{"claim_logged", "report", "email", "claims", false, false},
		{"triage", "assess", "portal", "assessors", false, false},
		{"request_docs", "assess", "email", "assessors", false, false},
		{"site_survey", "assess", "visit", "surveyors", false, false},
		{"contractor_quote", "repair", "phone", "contractors", false, false},
		{"quote_approved", "repair", "portal", "assessors", false, false},
		{"works_done", "repair", "visit", "contractors", false, false},
		{"settle_check", "settle", "portal", "finance", false, false},
		{"settle_call", "settle", "phone", "finance", false, false},
		{"settle_form", "settle", "mail", "finance", false, false},
		{"payout", "settle", "portal", "finance", false, true},
	}
	tr := [][2]string{
		{"report_online", "photos"}, {"report_phone", "claim_logged"}, {"photos", "claim_logged"}, {"claim_logged", "triage"},
		{"triage", "request_docs"}, {"request_docs", "triage"}, {"triage", "site_survey"}, {"site_survey", "contractor_quote"},
		{"contractor_quote", "quote_approved"}, {"quote_approved", "works_done"}, {"works_done", "settle_check"},
		{"settle_check", "payout"}, {"settle_check", "settle_call"}, {"settle_call", "settle_form"}, {"settle_form", "payout"},
	}
	healthy := func() Behaviour {
		return Behaviour{Start: scenarioStart, Span: 120 * day,
			Entries: map[string]float64{"report_online": 0.6, "report_phone": 0.4},
			Steps: map[string]Step{
				"report_online":    {Next: map[string]float64{"photos": 1}, Drop: 0.03, Wait: 5 * minute, Channel: "app"},
				"report_phone":     {Next: map[string]float64{"claim_logged": 1}, Drop: 0.02, Wait: 10 * minute, Channel: "phone"},
				"photos":           {Next: map[string]float64{"claim_logged": 1}, Drop: 0.03, Wait: 10 * minute, Channel: "app"},
				"claim_logged":     {Next: map[string]float64{"triage": 1}, Drop: 0.02, Wait: 4 * hour, Channel: "email"},
				"triage":           {Next: map[string]float64{"site_survey": 0.85, "request_docs": 0.15}, Drop: 0.03, Wait: day, Channel: "portal"},
				"request_docs":     {Next: map[string]float64{"triage": 1}, Drop: 0.04, Wait: 2 * day, Channel: "email"},
				"site_survey":      {Next: map[string]float64{"contractor_quote": 1}, Drop: 0.03, Wait: 2 * day, Channel: "visit"},
				"contractor_quote": {Next: map[string]float64{"quote_approved": 1}, Drop: 0.02, Wait: day, Channel: "phone"},
				"quote_approved":   {Next: map[string]float64{"works_done": 1}, Drop: 0.02, Wait: 3 * day, Channel: "portal"},
				"works_done":       {Next: map[string]float64{"settle_check": 1}, Drop: 0.01, Wait: day, Channel: "visit"},
				"settle_check":     {Next: map[string]float64{"payout": 0.95, "settle_call": 0.05}, Drop: 0.01, Wait: 10 * minute, Channel: "portal"},
				"settle_call":      {Next: map[string]float64{"settle_form": 1}, Drop: 0.02, Wait: hour, Channel: "phone"},
				"settle_form":      {Next: map[string]float64{"payout": 1}, Drop: 0.02, Wait: 2 * hour, Channel: "mail"},
			}}
	}
	return Scenario{
		Name:    "home-claim",
		Journey: journeyYAML("home-claim", []string{"report", "assess", "repair", "settle"}, tps, tr, [2]string{"report", "settle"}),
		Healthy: healthy,
		Plants: []Plant{
			plantDrop("site_survey", 0.35),
			plantRepeat("request_docs"),
			plantSkip("report_online", "photos", "claim_logged"),
			plantBounce("contractor_quote", "quote_approved"),
			plantHarder("settle", "settle_check", map[string]float64{"payout": 0.15, "settle_call": 0.85}, "settle_call", "settle_form"),
		},
	}
}

// mobileSwitch: five stages, a shop that may be a store or the web, number
// porting by the network team, a designed self-loop (SIM reminders).
func mobileSwitch() Scenario {
	tps := []tp{
		{"browse_plans", "shop", "web", "digital", true, false},
		{"store_advice", "shop", "store", "retail", true, false},
		{"choose_plan", "shop", "web", "digital", false, false},
		{"identity_check", "order", "web", "risk", false, false},
		{"credit_check", "order", "web", "risk", false, false},
		{"order_placed", "order", "web", "digital", false, false},
		{"sim_shipped", "deliver", "mail", "logistics", false, false},
		{"sim_reminder", "deliver", "sms", "logistics", false, false},
		{"port_request", "port", "sms", "network", false, false},
		{"port_check", "port", "phone", "care", false, false},
		{"number_moved", "port", "sms", "network", false, false},
		{"activate", "activate", "app", "network", false, false},
		{"activation_help", "activate", "chat", "care", false, false},
		{"activation_call", "activate", "phone", "care", false, false},
		{"line_live", "activate", "sms", "network", false, true},
	}
	tr := [][2]string{
		{"browse_plans", "choose_plan"}, {"store_advice", "choose_plan"}, {"choose_plan", "identity_check"},
		{"identity_check", "credit_check"}, {"credit_check", "order_placed"}, {"order_placed", "sim_shipped"},
		{"sim_shipped", "sim_reminder"}, {"sim_reminder", "sim_reminder"}, {"sim_reminder", "port_request"}, {"sim_shipped", "port_request"},
		{"port_request", "port_check"}, {"port_check", "number_moved"}, {"number_moved", "activate"},
		{"activate", "line_live"}, {"activate", "activation_help"}, {"activation_help", "activation_call"}, {"activation_call", "line_live"},
	}
	healthy := func() Behaviour {
		return Behaviour{Start: scenarioStart, Span: 60 * day,
			Entries: map[string]float64{"browse_plans": 0.7, "store_advice": 0.3},
			Steps: map[string]Step{
				"browse_plans":    {Next: map[string]float64{"choose_plan": 1}, Drop: 0.04, Wait: 3 * minute, Channel: "web"},
				"store_advice":    {Next: map[string]float64{"choose_plan": 1}, Drop: 0.03, Wait: 20 * minute, Channel: "store"},
				"choose_plan":     {Next: map[string]float64{"identity_check": 1}, Drop: 0.04, Wait: 5 * minute, Channel: "web"},
				"identity_check":  {Next: map[string]float64{"credit_check": 1}, Drop: 0.03, Wait: 2 * minute, Channel: "web"},
				"credit_check":    {Next: map[string]float64{"order_placed": 1}, Drop: 0.02, Wait: minute, Channel: "web"},
				"order_placed":    {Next: map[string]float64{"sim_shipped": 1}, Drop: 0.01, Wait: 20 * hour, Channel: "web"},
				"sim_shipped":     {Next: map[string]float64{"port_request": 0.8, "sim_reminder": 0.2}, Drop: 0.02, Wait: day, Channel: "mail"},
				"sim_reminder":    {Next: map[string]float64{"port_request": 0.8, "sim_reminder": 0.2}, Drop: 0.03, Wait: day, Channel: "sms"},
				"port_request":    {Next: map[string]float64{"port_check": 1}, Drop: 0.02, Wait: 2 * hour, Channel: "sms"},
				"port_check":      {Next: map[string]float64{"number_moved": 1}, Drop: 0.02, Wait: 4 * hour, Channel: "phone"},
				"number_moved":    {Next: map[string]float64{"activate": 1}, Drop: 0.01, Wait: hour, Channel: "sms"},
				"activate":        {Next: map[string]float64{"line_live": 0.95, "activation_help": 0.05}, Drop: 0.02, Wait: 5 * minute, Channel: "app"},
				"activation_help": {Next: map[string]float64{"activation_call": 1}, Drop: 0.03, Wait: 10 * minute, Channel: "chat"},
				"activation_call": {Next: map[string]float64{"line_live": 1}, Drop: 0.02, Wait: 15 * minute, Channel: "phone"},
			}}
	}
	return Scenario{
		Name:    "mobile-switch",
		Journey: journeyYAML("mobile-switch", []string{"shop", "order", "deliver", "port", "activate"}, tps, tr, [2]string{"order", "activate"}),
		Healthy: healthy,
		Plants: []Plant{
			plantDrop("port_check", 0.35),
			plantLoop("identity_check", "credit_check"),
			plantSkip("browse_plans", "choose_plan", "identity_check"),
			plantBounce("port_request", "port_check"),
			plantHarder("activate", "activate", map[string]float64{"line_live": 0.15, "activation_help": 0.85}, "activation_help", "activation_call"),
		},
	}
}

// clinicVisit: three stages, a referral by mail, booking on a portal with
// a designed loop of rescheduling, the clinic, and billing shared with the
// insurer.
func clinicVisit() Scenario {
	tps := []tp{
		{"referral_letter", "referral", "mail", "gp", true, false},
		{"portal_signup", "referral", "portal", "scheduling", false, false},
		{"book_slot", "referral", "portal", "scheduling", false, false},
		{"reschedule", "referral", "phone", "scheduling", false, false},
		{"reminder", "visit", "sms", "scheduling", false, false},
		{"check_in", "visit", "kiosk", "front_desk", false, false},
		{"consultation", "visit", "clinic", "doctors", false, false},
		{"lab_test", "visit", "clinic", "lab", false, false},
		{"results", "visit", "portal", "doctors", false, false},
		{"invoice", "billing", "mail", "billing", false, false},
		{"billing_query", "billing", "phone", "billing", false, false},
		{"insurer_check", "billing", "portal", "insurance", false, false},
		{"billing_form", "billing", "mail", "insurance", false, false},
		{"paid", "billing", "portal", "billing", false, true},
	}
	tr := [][2]string{
		{"referral_letter", "portal_signup"}, {"portal_signup", "book_slot"}, {"book_slot", "reminder"},
		{"book_slot", "reschedule"}, {"reschedule", "book_slot"}, {"reminder", "check_in"},
		{"check_in", "consultation"}, {"consultation", "lab_test"}, {"consultation", "invoice"}, {"lab_test", "results"},
		{"results", "invoice"}, {"invoice", "paid"}, {"invoice", "billing_query"}, {"billing_query", "insurer_check"},
		{"insurer_check", "billing_form"}, {"billing_form", "paid"},
	}
	healthy := func() Behaviour {
		return Behaviour{Start: scenarioStart, Span: 90 * day,
			Entries: map[string]float64{"referral_letter": 1},
			Steps: map[string]Step{
				"referral_letter": {Next: map[string]float64{"portal_signup": 1}, Drop: 0.04, Wait: day, Channel: "mail"},
				"portal_signup":   {Next: map[string]float64{"book_slot": 1}, Drop: 0.03, Wait: 10 * minute, Channel: "portal"},
				"book_slot":       {Next: map[string]float64{"reminder": 0.85, "reschedule": 0.15}, Drop: 0.03, Wait: 3 * day, Channel: "portal"},
				"reschedule":      {Next: map[string]float64{"book_slot": 1}, Drop: 0.03, Wait: hour, Channel: "phone"},
				"reminder":        {Next: map[string]float64{"check_in": 1}, Drop: 0.02, Wait: day, Channel: "sms"},
				"check_in":        {Next: map[string]float64{"consultation": 1}, Drop: 0.01, Wait: 20 * minute, Channel: "kiosk"},
				"consultation":    {Next: map[string]float64{"lab_test": 0.5, "invoice": 0.5}, Drop: 0.01, Wait: 30 * minute, Channel: "clinic"},
				"lab_test":        {Next: map[string]float64{"results": 1}, Drop: 0.02, Wait: 2 * day, Channel: "clinic"},
				"results":         {Next: map[string]float64{"invoice": 1}, Drop: 0.02, Wait: day, Channel: "portal"},
				"invoice":         {Next: map[string]float64{"paid": 0.95, "billing_query": 0.05}, Drop: 0.02, Wait: day, Channel: "mail"},
				"billing_query":   {Next: map[string]float64{"insurer_check": 1}, Drop: 0.03, Wait: 2 * hour, Channel: "phone"},
				"insurer_check":   {Next: map[string]float64{"billing_form": 1}, Drop: 0.02, Wait: day, Channel: "portal"},
				"billing_form":    {Next: map[string]float64{"paid": 1}, Drop: 0.03, Wait: 2 * day, Channel: "mail"},
			}}
	}
	return Scenario{
		Name:    "clinic-visit",
		Journey: journeyYAML("clinic-visit", []string{"referral", "visit", "billing"}, tps, tr, [2]string{"referral", "billing"}),
		Healthy: healthy,
		Plants: []Plant{
			plantDrop("lab_test", 0.35),
			plantRepeat("check_in"),
			plantSkip("referral_letter", "portal_signup", "book_slot"),
			plantBounce("consultation", "lab_test"),
			plantHarder("billing", "invoice", map[string]float64{"paid": 0.15, "billing_query": 0.85}, "billing_query", "insurer_check"),
		},
	}
}

// movingHome: two stages only (sign up, then move in), a utility whose
// field team and metering contractor share the move-in.
func movingHome() Scenario {
	tps := []tp{
		{"quote", "sign_up", "web", "sales", true, false},
		{"address_check", "sign_up", "web", "sales", false, false},
		{"id_check", "sign_up", "web", "sales", false, false},
		{"tariff", "sign_up", "web", "sales", false, false},
		{"direct_debit", "sign_up", "web", "finance", false, false},
		{"contract_signed", "sign_up", "email", "sales", false, false},
		{"first_reading", "move_in", "app", "billing", false, false},
		{"meter_booking", "move_in", "phone", "field", false, false},
		{"meter_visit", "move_in", "visit", "contractors", false, false},
		{"welcome_pack", "move_in", "mail", "billing", false, false},
		{"supply_live", "move_in", "app", "billing", false, true},
	}
	tr := [][2]string{
		{"quote", "address_check"}, {"address_check", "id_check"}, {"id_check", "tariff"}, {"tariff", "direct_debit"},
		{"direct_debit", "contract_signed"}, {"contract_signed", "first_reading"},
		{"first_reading", "supply_live"}, {"first_reading", "meter_booking"}, {"meter_booking", "meter_visit"},
		{"meter_visit", "welcome_pack"}, {"welcome_pack", "supply_live"},
	}
	healthy := func() Behaviour {
		return Behaviour{Start: scenarioStart, Span: 90 * day,
			Entries: map[string]float64{"quote": 1},
			Steps: map[string]Step{
				"quote":           {Next: map[string]float64{"address_check": 1}, Drop: 0.04, Wait: 3 * minute, Channel: "web"},
				"address_check":   {Next: map[string]float64{"id_check": 1}, Drop: 0.03, Wait: 2 * minute, Channel: "web"},
				"id_check":        {Next: map[string]float64{"tariff": 1}, Drop: 0.03, Wait: 3 * minute, Channel: "web"},
				"tariff":          {Next: map[string]float64{"direct_debit": 1}, Drop: 0.03, Wait: 5 * minute, Channel: "web"},
				"direct_debit":    {Next: map[string]float64{"contract_signed": 1}, Drop: 0.03, Wait: 4 * minute, Channel: "web"},
				"contract_signed": {Next: map[string]float64{"first_reading": 1}, Drop: 0.01, Wait: 5 * day, Channel: "email"},
				"first_reading":   {Next: map[string]float64{"supply_live": 0.95, "meter_booking": 0.05}, Drop: 0.02, Wait: 10 * minute, Channel: "app"},
				"meter_booking":   {Next: map[string]float64{"meter_visit": 1}, Drop: 0.03, Wait: 3 * day, Channel: "phone"},
				"meter_visit":     {Next: map[string]float64{"welcome_pack": 1}, Drop: 0.02, Wait: day, Channel: "visit"},
				"welcome_pack":    {Next: map[string]float64{"supply_live": 1}, Drop: 0.02, Wait: 2 * day, Channel: "mail"},
			}}
	}
	return Scenario{
		Name:    "moving-home",
		Journey: journeyYAML("moving-home", []string{"sign_up", "move_in"}, tps, tr, [2]string{"sign_up", "move_in"}),
		Healthy: healthy,
		Plants: []Plant{
			plantDrop("direct_debit", 0.35),
			plantLoop("address_check", "id_check"),
			plantSkip("id_check", "tariff", "direct_debit"),
			plantBounce("meter_booking", "meter_visit"),
			plantHarder("move_in", "first_reading", map[string]float64{"supply_live": 0.15, "meter_booking": 0.85}, "meter_booking", "meter_visit"),
		},
	}
}
