// Package static embeds the portal's CSS and scripts (vendored htmx carries
// its version in the file name) so the binary serves them itself.
package static

import "embed"

// Files are served under /static/.
//
//go:embed *.css *.js
var Files embed.FS
