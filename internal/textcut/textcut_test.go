package textcut

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestCut(t *testing.T) {
	assert.Equal(t, "short", Cut("short"))
	long := strings.Repeat("é", 100) // 200 bytes
	got := Cut(long)
	assert.True(t, utf8.ValidString(got), "whole characters")
	assert.True(t, strings.HasSuffix(got, "… (200 bytes)"))
	assert.LessOrEqual(t, len(got), 80)
}
