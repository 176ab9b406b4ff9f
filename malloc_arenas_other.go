//go:build !linux || !cgo

package main

// limitMallocArenas has nothing to limit without glibc (malloc_arenas.go).
func limitMallocArenas() bool { return false }
