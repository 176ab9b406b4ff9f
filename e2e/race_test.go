//go:build race

package e2e

// raceEnabled: the tests run with -race, so the portal binary is built with it.
const raceEnabled = true
