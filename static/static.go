// Package static embeds the portal's CSS and scripts (vendored htmx carries
// its version in the file name) and its icon, so the binary serves them
// itself. favicon.ico is drawn by testdata/favicon.py.
package static

import "embed"

// Files are served under /static/ (the icon also at /favicon.ico).
//
//go:embed *.css *.js *.ico
var Files embed.FS
