package views

import "context"

// Flow says where the shopper's flow runs: on the portal's own pages, or
// inside a storefront's iframe (/embed/...). The same components render
// both; handlers put the Flow in the context (WithFlow) and components ask
// it for their form actions and links.
type Flow struct {
	// Base prefixes the flow's paths: "" top-level, "/embed" in an iframe.
	Base string
	// Parent is the storefront origin the embedded page reports its height
	// to, checked against the configured embed origins; carried in forms.
	Parent string
}

type flowKey struct{}

// WithFlow returns a context whose components render for f.
func WithFlow(ctx context.Context, f Flow) context.Context {
	return context.WithValue(ctx, flowKey{}, f)
}

func flowOf(ctx context.Context) Flow {
	f, _ := ctx.Value(flowKey{}).(Flow)
	return f
}

// Embedded reports whether the page renders inside the storefront's iframe.
func Embedded(ctx context.Context) bool { return flowOf(ctx).Base != "" }

// Path is a path of the flow (a form action, an htmx target).
func Path(ctx context.Context, path string) string { return flowOf(ctx).Base + path }

// EmbedFrameFile is the in-iframe script of the embed layout: it reports the
// page's height to the storefront (static/embed.js listens there).
const EmbedFrameFile = "embed-frame.js"

// embedConfig is what the in-iframe script reads (templ.JSONScript).
type embedConfig struct {
	Parent string `json:"parent"`
}
