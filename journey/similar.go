package journey

import (
	"fmt"

	"github.com/journeymap/journeymap/internal/closest"
)

// didYouMean returns a hint naming the candidate closest to s, or "" when
// none is close enough to be a plausible typo.
func didYouMean(s string, candidates []string) string {
	best := closest.Names(s, candidates, 1, closest.EditDistance)
	if len(best) == 0 {
		return ""
	}
	return fmt.Sprintf("did you mean %q?", best[0])
}
