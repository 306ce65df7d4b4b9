package touchpoint_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/journeymap/journeymap/touchpoint"
)

func TestValidateID(t *testing.T) {
	for id, ok := range map[string]bool{
		"checkout": true, "step-2": true, "a_b": true, "0day": true,
		"": false, "Checkout": false, "-lead": false, "_lead": false, "two words": false, "café": false,
	} {
		err := touchpoint.ValidateID(id)
		assert.Equal(t, ok, err == nil, "%q: %v", id, err)
	}
}

func TestNamesAndMatches(t *testing.T) {
	tp := touchpoint.Touchpoint{ID: "product", Match: []string{"pdp", "page_view_product"}}
	assert.Equal(t, []string{"product", "pdp", "page_view_product"}, tp.Names())
	assert.True(t, tp.Matches("product"))
	assert.True(t, tp.Matches("pdp"))
	assert.False(t, tp.Matches("PDP"), "names are compared exactly")
	assert.Equal(t, "product", tp.DisplayName())
	tp.Name = "Product page"
	assert.Equal(t, "Product page", tp.DisplayName())
}

func TestIsHandoff(t *testing.T) {
	web := touchpoint.Touchpoint{Owner: "ecommerce", Channel: "web"}
	tests := []struct {
		to   touchpoint.Touchpoint
		want bool
	}{
		{touchpoint.Touchpoint{Owner: "ecommerce", Channel: "web"}, false},
		{touchpoint.Touchpoint{Owner: "payments", Channel: "web"}, true},
		{touchpoint.Touchpoint{Owner: "ecommerce", Channel: "email"}, true},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, touchpoint.IsHandoff(web, tc.to), "%+v", tc.to)
	}
}

func TestNormalizeChannel(t *testing.T) {
	assert.Equal(t, "web", touchpoint.NormalizeChannel(" Web "))
	assert.Equal(t, "back_office", touchpoint.NormalizeChannel("BACK_OFFICE"))
}

// A goal or an outcome makes a designed end; only "success" settles a
// case as completed, any other outcome ends it by a decision.
func TestOutcomes(t *testing.T) {
	for _, c := range []struct {
		tp                         touchpoint.Touchpoint
		designedEnd, succeeds, end bool
	}{
		{touchpoint.Touchpoint{}, false, false, false},
		{touchpoint.Touchpoint{Goal: true}, true, false, false},
		{touchpoint.Touchpoint{Outcome: touchpoint.OutcomeSuccess}, true, true, false},
		{touchpoint.Touchpoint{Outcome: "declined"}, true, false, true},
	} {
		assert.Equal(t, c.designedEnd, c.tp.DesignedEnd(), "%+v", c.tp)
		assert.Equal(t, c.succeeds, c.tp.Succeeds(), "%+v", c.tp)
		assert.Equal(t, c.end, c.tp.Ends(), "%+v", c.tp)
	}
}
