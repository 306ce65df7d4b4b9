package main

import "testing"

// --memory takes an amount with a binary or decimal unit, from 1 MiB (less
// is no room for any log, and 0.5B used to mean no budget at all) to
// 4 EiB; anything else is a usage error.
func TestMemoryBudget(t *testing.T) {
	for flag, want := range map[string]int64{
		"8GiB": 8 << 30, "500MiB": 500 << 20, "1.5GB": 1_500_000_000, "1024KiB": 1 << 20, "1048576B": 1 << 20, "2 TiB": 2 << 40,
	} {
		got, err := memoryBudget(flag)
		if err != nil || got != want {
			t.Errorf("--memory %q: %d, %v; want %d", flag, got, err, want)
		}
	}
	for _, flag := range []string{"lots", "8", "0MiB", "-1GiB", "GiB", "8XB", "0.5B", "12B", "64KB", "1e30GiB"} {
		if got, err := memoryBudget(flag); err == nil {
			t.Errorf("--memory %q: %d, want an error", flag, got)
		}
	}
}
