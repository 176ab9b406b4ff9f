// Package e2e drives the portal in a real browser (Debian's chromium through
// chromedp): the return flow top-level with htmx and without JavaScript, the
// flow inside a storefront's iframe on another site with third-party cookies
// blocked, the framing rules and the CSP. `make test` installs chromium;
// screenshots of each step go to artifacts/screenshots/ (not committed).
package e2e
