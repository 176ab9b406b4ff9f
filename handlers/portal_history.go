package handlers

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// The address bar follows the shopper's steps. Each step has a GET address
// that renders it, its state in the query (the token, and for the order
// form and the review the choices: stateQuery), so that a reload shows the
// same step and Back goes to the step before, with or without JavaScript.
// Without JavaScript the browser gets there by itself (forms and
// redirects); with htmx, which swaps each step in place, every step's
// answer names its address: HX-Push-Url for a new step, HX-Replace-Url for
// the same step again (a form with its mistakes). htmx keeps no copy of
// the pages (historyCacheSize 0, views.htmxConfig: they carry tokens) and
// reloads the address on Back.
//
// Never under /embed: there the address bar belongs to the storefront,
// and the status page shows the return's link to keep instead (KeepLink).

// setHistory names the page's address for htmx, on the answers that show a
// step: a success, or a form coming back with its mistakes (422) or a
// refusal (409).
func (p *portal) setHistory(status int) {
	if !isHX(p.c) || p.flow.Base != "" || p.address == nil {
		return
	}
	if status >= 300 && status != http.StatusUnprocessableEntity && status != http.StatusConflict {
		return
	}
	addr := p.link(p.address.Path, p.address.Query())
	header := "HX-Push-Url"
	if cur, err := url.Parse(p.c.Request().Header.Get("HX-Current-URL")); err == nil && cur.Path == p.address.Path {
		header = "HX-Replace-Url"
	}
	p.c.Response().Header().Set(header, addr)
}

// stateQuery is the address of a form's state (the choices of the order
// form, as the review carries them): the token, each line's quantity and
// reason, the refund method, the consent, the comment and the photos
// already added. Never the bank details: an address ends up in the
// browser's history and in the logs of whatever proxy is on the way, so
// a reload asks for them again.
func (f returnForm) stateQuery() url.Values {
	q := url.Values{"t": {f.token}}
	ids := make([]string, 0, len(f.qty))
	for id := range f.qty {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if f.qty[id] == "" {
			continue
		}
		q.Set("qty."+id, f.qty[id])
		if r := f.reason[id]; r != "" {
			q.Set("reason."+id, r)
		}
		if sku := f.exchange[id]; sku != "" {
			q.Set("exchange."+id, sku)
		}
	}
	for id, photos := range f.staged {
		for _, ph := range photos {
			q.Add("photo."+id, ph)
		}
	}
	if f.method != "" {
		q.Set("method", f.method)
	}
	if f.consent {
		q.Set("consent", "yes")
	}
	if strings.TrimSpace(f.comment) != "" {
		q.Set("comment", f.comment)
	}
	return q
}
