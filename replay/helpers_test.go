package replay_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/journeymap/journeymap/journey"
)

// loadSmall loads the small journey most of these tests replay through.
func loadSmall(t testing.TB) *journey.Journey {
	t.Helper()
	j, err := journey.Load("../journey/testdata/good/small.yaml")
	require.NoError(t, err)
	return j
}
