//go:build linux && cgo

package main

/*
#include <malloc.h>

// glibc's mallopt; other C libraries (musl) have no arenas to limit.
static int limit_malloc_arenas(int n) {
#ifdef M_ARENA_MAX
	return mallopt(M_ARENA_MAX, n);
#else
	return 0;
#endif
}
*/
import "C"

import "os"

// mallocArenas is how many arenas glibc's malloc may keep for SQLite, the
// program's only C code. glibc gives each thread that finds an arena busy
// a new one, up to eight per core; a Go program runs its cgo calls on
// whichever threads are free, so under load SQLite's allocations spread
// over a dozen arenas, each holding freed memory it cannot return: after a
// compare.sh-like run malloc held 19-23 MB of which 10-14 MB free, with
// two arenas 12 MB of which 2.5 MB free (docs/PERFORMANCE.md). Small
// allocations hardly contend for an arena's lock: glibc serves them from
// each thread's cache first.
const mallocArenas = 2

// limitMallocArenas caps malloc's arenas at mallocArenas unless the
// operator chose a number in the environment (glibc reads
// MALLOC_ARENA_MAX itself). It reports whether the cap was set.
func limitMallocArenas() bool {
	if os.Getenv("MALLOC_ARENA_MAX") != "" {
		return false
	}
	return C.limit_malloc_arenas(C.int(mallocArenas)) == 1
}
