package main

import "testing"

// --memory takes an amount with a binary or decimal unit; anything else,
// and amounts that are not positive, are a usage error.
func TestMemoryBudget(t *testing.T) {
	for flag, want := range map[string]int64{
		"8GiB": 8 << 30, "500MiB": 500 << 20, "1.5GB": 1_500_000_000, "64KB": 64_000, "12B": 12, "2 TiB": 2 << 40,
	} {
		got, err := memoryBudget(flag)
		if err != nil || got != want {
			t.Errorf("--memory %q: %d, %v; want %d", flag, got, err, want)
		}
	}
	for _, flag := range []string{"lots", "8", "0MiB", "-1GiB", "GiB", "8XB"} {
		if got, err := memoryBudget(flag); err == nil {
			t.Errorf("--memory %q: %d, want an error", flag, got)
		}
	}
}
