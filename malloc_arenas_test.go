//go:build linux && cgo

package main

import "testing"

// TestLimitMallocArenas: the cap is set on glibc (the CI's and Debian's C
// library), and an operator's MALLOC_ARENA_MAX is left to glibc.
func TestLimitMallocArenas(t *testing.T) {
	t.Setenv("MALLOC_ARENA_MAX", "")
	if !limitMallocArenas() {
		t.Error("mallopt(M_ARENA_MAX) refused or unavailable")
	}
	t.Setenv("MALLOC_ARENA_MAX", "8")
	if limitMallocArenas() {
		t.Error("the operator's MALLOC_ARENA_MAX was overridden")
	}
}
