package simulate

import "time"

const (
	minute = time.Minute
	hour   = time.Hour
	day    = 24 * time.Hour
)

var exampleStart = time.Date(2024, 3, 1, 8, 0, 0, 0, time.UTC)

var personas = []Persona{
	{Name: "new_customer", Weight: 0.45, DropFactor: 1.2},
	{Name: "returning", Weight: 0.4, DropFactor: 0.8},
	{Name: "business", Weight: 0.15, DropFactor: 1},
}

// Retail is examples/retail: buying online is smooth; exchanging an item
// bounces customers between the store desk and the contact centre (the
// planted friction: ping-pong, undesigned handoffs, far more effort than
// the purchase).
func Retail() Behaviour {
	return Behaviour{
		Start: exampleStart, Span: 60 * day, Personas: personas,
		Entries: map[string]float64{"home": 0.5, "search": 0.2, "product": 0.3},
		Steps: map[string]Step{
			"home":             {Next: map[string]float64{"search": 0.4, "product": 0.6}, Drop: 0.25, Wait: 2 * minute, Channel: "web"},
			"search":           {Next: map[string]float64{"product": 1}, Drop: 0.1, Wait: minute, Channel: "web"},
			"product":          {Next: map[string]float64{"cart": 0.8, "search": 0.2}, Drop: 0.22, Wait: 3 * minute, Channel: "web"},
			"cart":             {Next: map[string]float64{"login": 1}, Drop: 0.15, Wait: 2 * minute, Channel: "web"},
			"login":            {Next: map[string]float64{"checkout": 1}, Drop: 0.04, Wait: minute, Repeat: 0.03, Channel: "web"},
			"checkout":         {Next: map[string]float64{"payment": 1}, Drop: 0.06, Wait: 4 * minute, Channel: "web"},
			"payment":          {Next: map[string]float64{"order_confirmed": 1}, Drop: 0.04, Wait: minute, Channel: "web", CSAT: 4.4, CES: 2, Survey: 0.35},
			"order_confirmed":  {Next: map[string]float64{"dispatch_notice": 1}, Wait: 20 * hour, Channel: "email"},
			"dispatch_notice":  {Next: map[string]float64{"tracking": 0.6, "delivered": 0.4}, Wait: 10 * hour, Channel: "email"},
			"tracking":         {Next: map[string]float64{"delivered": 1}, Wait: 20 * hour, Channel: "web"},
			"delivered":        {Next: map[string]float64{"exchange_request": 0.8, "contact_centre": 0.2}, Drop: 0.7, Wait: 2 * day, Channel: "mail"},
			"exchange_request": {Next: map[string]float64{"store_exchange": 0.55, "return_label": 0.45}, Drop: 0.04, Wait: 20 * hour, Channel: "web", CES: 4.5, CSAT: 3.4, Survey: 0.3},
			"store_exchange":   {Next: map[string]float64{"exchange_shipped": 0.3, "refund_issued": 0.15, "contact_centre": 0.55}, Drop: 0.05, Wait: 30 * hour, Channel: "store", CSAT: 2.6, CES: 5.5, Survey: 0.4},
			"contact_centre":   {Next: map[string]float64{"store_exchange": 0.7, "return_label": 0.3}, Drop: 0.1, Wait: 26 * hour, Channel: "phone", CSAT: 2.2, CES: 6, Survey: 0.4},
			"return_label":     {Next: map[string]float64{"exchange_shipped": 0.6, "refund_issued": 0.3, "contact_centre": 0.1}, Drop: 0.03, Wait: 3 * day, Channel: "email"},
		},
	}
}

// TVInstallation is examples/tv-installation: the sale in store is quick;
// booking the installation is slow and often needs a second call, failed
// set-ups fall to the support line, and support and the installers hand
// customers back and forth.
func TVInstallation() Behaviour {
	return Behaviour{
		Start: exampleStart, Span: 75 * day, Personas: personas,
		Entries: map[string]float64{"compare_online": 0.4, "showroom": 0.5, "support_call": 0.1},
		Steps: map[string]Step{
			"compare_online":     {Next: map[string]float64{"showroom": 0.6, "sales_advice": 0.4}, Drop: 0.3, Wait: 2 * day, Channel: "web"},
			"showroom":           {Next: map[string]float64{"sales_advice": 1}, Drop: 0.25, Wait: 20 * minute, Channel: "store"},
			"sales_advice":       {Next: map[string]float64{"store_checkout": 0.75, "financing": 0.25}, Drop: 0.2, Wait: 30 * minute, Channel: "store"},
			"financing":          {Next: map[string]float64{"store_checkout": 1}, Drop: 0.03, Wait: 40 * minute, Channel: "store"},
			"store_checkout":     {Next: map[string]float64{"order_email": 1}, Drop: 0.01, Wait: 5 * minute, Channel: "store", CSAT: 4.5, CES: 1.8, Survey: 0.3},
			"order_email":        {Next: map[string]float64{"book_installation": 1}, Drop: 0.02, Wait: day, Channel: "email"},
			"book_installation":  {Next: map[string]float64{"slot_confirmation": 1}, Drop: 0.04, Wait: 50 * hour, Repeat: 0.3, Channel: "phone", CSAT: 3.2, CES: 5.2, Survey: 0.3},
			"slot_confirmation":  {Next: map[string]float64{"home_delivery": 1}, Wait: 3 * day, Channel: "sms"},
			"home_delivery":      {Next: map[string]float64{"installation_visit": 1}, Wait: 2 * hour, Channel: "home"},
			"installation_visit": {Next: map[string]float64{"setup_complete": 0.7, "support_call": 0.3}, Drop: 0.02, Wait: 2 * hour, Channel: "home"},
			"setup_complete":     {Next: map[string]float64{"support_call": 0.6, "support_chat": 0.4}, Drop: 0.85, Wait: 5 * day, Channel: "home"},
			"support_call":       {Next: map[string]float64{"remote_diagnosis": 0.8, "technician_revisit": 0.2}, Drop: 0.08, Wait: hour, Channel: "phone", CSAT: 2.8, CES: 5.5, Survey: 0.4},
			"support_chat":       {Next: map[string]float64{"remote_diagnosis": 1}, Drop: 0.08, Wait: 30 * minute, Channel: "chat"},
			"remote_diagnosis":   {Next: map[string]float64{"issue_resolved": 0.35, "technician_revisit": 0.45, "support_call": 0.2}, Drop: 0.04, Wait: day, Channel: "phone"},
			"technician_revisit": {Next: map[string]float64{"issue_resolved": 0.6, "support_call": 0.4}, Drop: 0.06, Wait: 2 * day, Channel: "home", CSAT: 2.5, Survey: 0.4},
		},
	}
}

// BankOnboarding is examples/bank-onboarding: many touchpoints; the ID
// upload often has to be done again, and the proof-of-address request
// loses a third of the applicants who get it.
func BankOnboarding() Behaviour {
	return Behaviour{
		Start: exampleStart, Span: 60 * day, Personas: personas,
		Entries: map[string]float64{"landing_page": 0.75, "callback_request": 0.25},
		Steps: map[string]Step{
			"landing_page":      {Next: map[string]float64{"eligibility": 1}, Drop: 0.3, Wait: 3 * minute, Channel: "web"},
			"eligibility":       {Next: map[string]float64{"personal_details": 1}, Drop: 0.1, Wait: 4 * minute, Channel: "web"},
			"personal_details":  {Next: map[string]float64{"upload_id": 1}, Drop: 0.08, Wait: 8 * minute, Channel: "web"},
			"callback_request":  {Next: map[string]float64{"phone_application": 1}, Drop: 0.08, Wait: 5 * hour, Channel: "phone"},
			"phone_application": {Next: map[string]float64{"upload_id": 1}, Drop: 0.05, Wait: 25 * minute, Channel: "phone"},
			"upload_id":         {Next: map[string]float64{"selfie_check": 1}, Drop: 0.05, Wait: 10 * minute, Repeat: 0.35, Channel: "app", CES: 4.8, Survey: 0.25},
			"selfie_check":      {Next: map[string]float64{"kyc_review": 1}, Drop: 0.04, Wait: 5 * minute, Repeat: 0.05, Channel: "app"},
			"kyc_review":        {Next: map[string]float64{"account_opened": 0.62, "proof_of_address": 0.3, "branch_id_check": 0.08}, Drop: 0.01, Wait: 20 * hour, Channel: "back_office"},
			"proof_of_address":  {Next: map[string]float64{"kyc_review": 1}, Drop: 0.35, Wait: 2 * day, Channel: "email"},
			"branch_id_check":   {Next: map[string]float64{"account_opened": 1}, Drop: 0.12, Wait: 3 * day, Channel: "branch"},
			"account_opened":    {Next: map[string]float64{"first_deposit": 1}, Drop: 0.06, Wait: day, Channel: "email", CSAT: 4.2, Survey: 0.3},
			"first_deposit":     {Next: map[string]float64{"card_dispatched": 1}, Drop: 0.03, Wait: day, Channel: "app"},
			"card_dispatched":   {Next: map[string]float64{"card_activation": 1}, Drop: 0.02, Wait: 3 * day, Channel: "mail"},
			"card_activation":   {Next: map[string]float64{"online_banking": 0.6, "account_active": 0.4}, Drop: 0.03, Wait: day, Channel: "app"},
			"online_banking":    {Next: map[string]float64{"welcome_call": 0.4, "account_active": 0.6}, Drop: 0.02, Wait: day, Channel: "web"},
			"welcome_call":      {Next: map[string]float64{"account_active": 1}, Wait: day, Channel: "phone"},
		},
	}
}

// Examples maps each bundled example's directory name to its behaviour,
// its number of cases and its seed.
var Examples = map[string]struct {
	Behaviour func() Behaviour
	Cases     int
	Seed      uint64
}{
	"retail":          {Retail, 4000, 1},
	"tv-installation": {TVInstallation, 3000, 2},
	"bank-onboarding": {BankOnboarding, 3500, 3},
}
