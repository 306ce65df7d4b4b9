// Package touchpoint defines the Touchpoint: one moment where a customer meets
// the business (a web page, a store visit, a phone call), with the stage of the
// journey it belongs to, the channel it happens on and the team that owns it.
//
// A Touchpoint is a plain value. It knows what belongs to it alone: which event
// names mean it, whether two touchpoints hand the customer over between teams
// or channels, and how its identifiers and channels are spelled. Everything
// that needs more than one touchpoint lives in package journey.
package touchpoint

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/journeymap/journeymap/internal/textcut"
)

// Touchpoint is one step of a designed customer journey.
type Touchpoint struct {
	ID      string // unique within a journey, [a-z0-9][a-z0-9_-]*
	Name    string // human-readable; defaults to ID
	Stage   string // the stage ID it belongs to
	Channel string // lower-cased: web, app, store, phone, email, chat, ...
	Owner   string // the team accountable for it
	Entry   bool   // a case may start here
	Goal    bool   // a case whose last event is here ended well
	// Outcome marks a designed end: OutcomeSuccess settles a case as
	// completed whatever follows (a loan approved, then paperwork); any
	// other word (declined, cancelled, withdrawn) ends it by a decision,
	// neither completed nor dropped. "" for none.
	Outcome string
	Match   []string
	Expect  Expectations
	Tags    []string
}

// Expectations are the thresholds a team sets for a touchpoint, stage or
// transition. A zero duration means "not set"; MaxDropoff is only meaningful
// when HasMaxDropoff is true, so that 0 can mean "no drop-off at all".
type Expectations struct {
	MaxDwell      time.Duration // longest a customer should stay at a touchpoint
	MaxWait       time.Duration // longest a designed transition should take
	MaxDuration   time.Duration // longest a stage should take
	MaxDropoff    float64       // highest acceptable share of cases lost here
	HasMaxDropoff bool
}

// OutcomeSuccess is the Outcome that settles a case as completed.
const OutcomeSuccess = "success"

// DesignedEnd reports whether t is where a case is designed to end: a
// goal, or a touchpoint with an Outcome. Customers are not counted as
// dropping off at a designed end.
func (t Touchpoint) DesignedEnd() bool { return t.Goal || t.Outcome != "" }

// Succeeds reports whether reaching t settles a case as completed.
func (t Touchpoint) Succeeds() bool { return t.Outcome == OutcomeSuccess }

// Ends reports whether reaching t ends a case by a decision that is not a
// success (declined, cancelled...).
func (t Touchpoint) Ends() bool { return t.Outcome != "" && t.Outcome != OutcomeSuccess }

// ValidateOutcome reports whether word can be an Outcome: a lower-case
// word, letters and '_' ("success", "declined", "not_eligible").
func ValidateOutcome(word string) error {
	if word == "" {
		return fmt.Errorf("empty outcome: write success, or the word of a designed end such as declined or cancelled")
	}
	for _, r := range word {
		if !(r >= 'a' && r <= 'z' || r == '_') {
			return fmt.Errorf("outcome %q must be a lower-case word (letters and '_'): success, or the word of a designed end such as declined or cancelled", word)
		}
	}
	return nil
}

// Names returns every event name that means t: its ID first, then its match
// names in the order declared.
func (t Touchpoint) Names() []string {
	return append([]string{t.ID}, t.Match...)
}

// Matches reports whether an event named name means t.
func (t Touchpoint) Matches(name string) bool {
	return name == t.ID || slices.Contains(t.Match, name)
}

// DisplayName is Name, or ID when no name was given.
func (t Touchpoint) DisplayName() string {
	if t.Name != "" {
		return t.Name
	}
	return t.ID
}

// HasTag reports whether t carries tag.
func (t Touchpoint) HasTag(tag string) bool { return slices.Contains(t.Tags, tag) }

// IsHandoff reports whether moving from a to b hands the customer over:
// the owning team or the channel changes.
func IsHandoff(a, b Touchpoint) bool {
	return a.Owner != b.Owner || a.Channel != b.Channel
}

// NormalizeChannel lower-cases and trims a channel name, so that "Web" and
// " web" are the same channel.
func NormalizeChannel(c string) string { return strings.ToLower(strings.TrimSpace(c)) }

// ValidateID reports whether id is a valid touchpoint, stage or journey
// identifier: a lower-case letter or digit, then letters, digits, '_' or '-'.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("empty id")
	}
	for i, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		if i > 0 {
			ok = ok || r == '_' || r == '-'
		}
		if !ok {
			return fmt.Errorf("id %q must match [a-z0-9][a-z0-9_-]* (lower case, digits, '_' and '-')", textcut.Cut(id))
		}
	}
	return nil
}
