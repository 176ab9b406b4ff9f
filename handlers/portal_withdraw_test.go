package handlers

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// openWithdrawal looks an order up through the withdrawal entry and returns
// the confirmation step.
func (a *testApp) openWithdrawal(number, lang string, hx bool) page {
	a.t.Helper()
	v := lookupForm(number, demo.Email, lang)
	v.Set("intent", "withdraw")
	res := a.post("/lookup", v, hx)
	if res.res.Code != http.StatusSeeOther || !strings.HasPrefix(res.res.Header().Get("Location"), "/withdraw/order?") {
		a.t.Fatalf("withdrawal lookup %s: %d %q", number, res.res.Code, res.res.Header().Get("Location"))
	}
	return a.follow(res, hx)
}

// TestPortalWithdrawal: the start page always offers the withdrawal
// function; for an EU order it withdraws from the whole order through the
// return service (reason withdrawal, refund to the original means of
// payment) and acknowledges it with date and time.
func TestPortalWithdrawal(t *testing.T) {
	a := newTestApp(t)
	start := a.get("/?lang=en", false)
	link := start.one("withdraw-link")
	if attr(link, "href") != "/withdraw?lang=en" || text(link) != "Withdraw from contract here" {
		t.Errorf("entry %v %q", link.Attr, text(link))
	}
	entry := a.get(attr(link, "href"), false)
	if v := formValues(entry.one("lookup-form")); v.Get("intent") != "withdraw" || v.Get("lang") != "en" {
		t.Errorf("withdrawal lookup form %v", v)
	}
	for _, hx := range []bool{false, true} {
		w := a.openWithdrawal("DE-1001", "en", hx)
		lines := w.all("withdraw-line")
		if len(lines) != 3 || w.has("withdraw-others") {
			t.Fatalf("hx=%v: withdrawable lines %d\n%s", hx, len(lines), w.res.Body)
		}
		for _, l := range lines {
			if !hasAttr(l, "checked") {
				t.Errorf("line %s not ticked: the whole order is the default", attr(l, "value"))
			}
		}
		if hx {
			break // the order is withdrawn from below
		}
	}
	w := a.openWithdrawal("DE-1001", "en", false)
	res := a.post("/withdraw", formValues(w.one("withdraw-form")), false)
	loc := res.res.Header().Get("Location")
	if res.res.Code != http.StatusSeeOther || !regexp.MustCompile(`^/r/R-[0-9A-Z-]+/withdrawal\?`).MatchString(loc) {
		t.Fatalf("withdraw: %d %q\n%s", res.res.Code, loc, res.res.Body)
	}
	ack := a.follow(res, false)
	rma := text(ack.one("rma"))
	if len(ack.all("ack-item")) != 3 || !ack.has("quote") {
		t.Errorf("ack:\n%s", ack.res.Body)
	}
	r, err := a.st.GetReturn(context.Background(), rma)
	if err != nil {
		t.Fatal(err)
	}
	if r.RefundMethod != returns.MethodOriginalPayment || r.Basis != returns.BasisStatutory || len(r.Items) != 3 {
		t.Errorf("return %+v", r)
	}
	if got, want := text(ack.one("ack-received")), receivedEN(t, r.CreatedAt, "Europe/Berlin", "Berlin"); got != want {
		t.Errorf("timestamp %q, want %q", got, want)
	}
	for _, it := range r.Items {
		if it.Reason != returns.ReasonWithdrawal {
			t.Errorf("item reason %q", it.Reason)
		}
	}
	status := a.get(attr(ack.one("status-link"), "href"), false)
	if text(status.one("rma")) != rma {
		t.Errorf("status link")
	}
	// Nothing is left to withdraw from.
	again := a.openWithdrawal("DE-1001", "en", false)
	if !again.has("withdraw-nothing") || !again.has("return-flow-link") {
		t.Errorf("after withdrawing:\n%s", again.res.Body)
	}
	// A normal return's status is no withdrawal acknowledgement.
	order := a.openOrder("ES-1008", "en", false)
	form := formValues(order.one("order-form"))
	form.Set("qty.L1", "1")
	form.Set("reason.L1", "wrong_size")
	form.Set("method", "original_payment")
	review := a.post("/review", form, false)
	created := a.post("/returns", formValues(review.one("confirm-form")), false)
	u, _ := url.Parse(created.res.Header().Get("Location"))
	if got := a.get(u.Path+"/withdrawal?"+u.RawQuery, false); got.res.Code != http.StatusNotFound {
		t.Errorf("ack of a normal return: %d", got.res.Code)
	}
}

// TestPortalWithdrawalChosenItems: untick items; nothing ticked is a
// message on the form.
func TestPortalWithdrawalChosenItems(t *testing.T) {
	a := newTestApp(t)
	w := a.openWithdrawal("IT-1002", "de", false)
	v := formValues(w.one("withdraw-form"))
	v.Del("line")
	none := a.post("/withdraw", v, true)
	if none.res.Code != http.StatusUnprocessableEntity || !none.has("withdraw-error") || none.htmlElement() != nil {
		t.Fatalf("nothing ticked: %d\n%s", none.res.Code, none.res.Body)
	}
	lines := w.all("withdraw-line")
	if len(lines) < 1 {
		t.Fatalf("IT-1002: the statutory right still runs\n%s", w.res.Body)
	}
	v.Set("line", attr(lines[0], "value"))
	res := a.post("/withdraw", v, true)
	ack := a.follow(res, true)
	if len(ack.all("ack-item")) != 1 {
		t.Errorf("one item:\n%s", ack.res.Body)
	}
	if got := text(ack.one("ack-received")); !regexp.MustCompile(`^Ihr Widerruf ist am \d{1,2}\. \pL+ 20\d\d um \d\d:\d\d Uhr Ortszeit \x{2068}Rome\x{2069} \(\x{2068}CES?T\x{2069}\) bei uns eingegangen, das ist \x{2068}20\d\d-\d\d-\d\d \d\d:\d\d UTC\x{2069}\.$`).MatchString(got) {
		t.Errorf("de timestamp %q", got)
	}
	// A line that may not be withdrawn from (forged form): a message.
	v.Set("line", "nope")
	if bad := a.post("/withdraw", v, false); bad.res.Code != http.StatusUnprocessableEntity {
		t.Errorf("unknown line: %d", bad.res.Code)
	}
}

// TestPortalWithdrawalOutsideEU: explained in the shopper's language, with
// the return form linked; the lookup answers exactly like the return flow's.
func TestPortalWithdrawalOutsideEU(t *testing.T) {
	a := newTestApp(t)
	for _, tc := range []struct{ order, lang string }{{"US-1005", "en"}, {"JP-1006", "ja"}, {"KW-1007", "ar"}, {"US-1005", "de"}} {
		w := a.openWithdrawal(tc.order, tc.lang, false)
		if !w.has("withdraw-not-applicable") || w.has("withdraw-form") {
			t.Errorf("%s: %s", tc.order, w.res.Body)
		}
		if l, _ := w.portalLang(); l != tc.lang {
			t.Errorf("%s: lang %s", tc.order, l)
		}
		href := attr(w.one("return-flow-link"), "href")
		u, err := url.Parse(href)
		if err != nil || u.Path != "/order" || u.Query().Get("t") == "" {
			t.Fatalf("return link %q", href)
		}
		// Posting the withdrawal anyway (the order's token, a forged line)
		// makes nothing.
		forged := a.post("/withdraw", url.Values{"t": {u.Query().Get("t")}, "line": {"L1"}}, false)
		if forged.res.Code != http.StatusUnprocessableEntity || !forged.has("withdraw-not-applicable") {
			t.Errorf("%s: withdrawal outside the EU: %d", tc.order, forged.res.Code)
		}
	}
	// Unknown order and wrong e-mail: the same answer as the return flow's.
	for _, number := range []string{"XX-9999"} {
		plain := a.post("/lookup", lookupForm(number, demo.Email, "de"), false)
		v := lookupForm(number, demo.Email, "de")
		v.Set("intent", "withdraw")
		wd := a.post("/lookup", v, false)
		if plain.res.Code != wd.res.Code || text(plain.one("lookup-error")) != text(wd.one("lookup-error")) {
			t.Errorf("withdrawal lookup answers differently: %d %d", plain.res.Code, wd.res.Code)
		}
	}
}

// TestPortalWithdrawalRateLimited: the withdrawal lookup counts against
// the same limits.
func TestPortalWithdrawalRateLimited(t *testing.T) {
	a := newTestApp(t, withLimits(2, 0))
	a.post("/lookup", lookupForm("XX-1", demo.Email, "en"), false)
	v := lookupForm("XX-1", demo.Email, "en")
	v.Set("intent", "withdraw")
	a.post("/lookup", v, false)
	res := a.post("/lookup", v, false)
	if res.res.Code != http.StatusTooManyRequests || !strings.Contains(text(res.one("lookup-error")), "1 minute") {
		t.Fatalf("%d", res.res.Code)
	}
	if formValues(res.one("lookup-form")).Get("intent") != "withdraw" {
		t.Error("the withdrawal form lost its purpose")
	}
}

// TestPortalWithdrawalPagesInFourLanguages: the withdrawal steps by
// structure in en, de, ja and ar, as full pages and as htmx fragments.
func TestPortalWithdrawalPagesInFourLanguages(t *testing.T) {
	a := newTestApp(t)
	titles := map[string]string{"en": "Withdraw from contract", "de": "Vertrag widerrufen", "ja": "契約の撤回", "ar": "العدول عن العقد"}
	for lang, title := range titles {
		for _, hx := range []bool{false, true} {
			start := a.get("/?lang="+lang, hx)
			if !start.has("withdraw-entry") || (start.htmlElement() == nil) != hx {
				t.Errorf("%s hx=%v: start page", lang, hx)
			}
			entry := a.get("/withdraw?lang="+lang, hx)
			if got := text(entry.one("lookup-heading")); got != title {
				t.Errorf("%s: heading %q", lang, got)
			}
			w := a.openWithdrawal("IT-1002", lang, hx)
			if l, dir := w.portalLang(); l != lang || (dir == "rtl") != (lang == "ar") {
				t.Errorf("%s: lang %s dir %s", lang, l, dir)
			}
			if text(w.one("withdraw-heading")) != title || len(w.all("withdraw-line")) == 0 || !w.has("withdraw-submit") {
				t.Errorf("%s hx=%v: withdrawal step\n%s", lang, hx, w.res.Body)
			}
			if (w.htmlElement() == nil) != hx {
				t.Errorf("%s hx=%v: fragment or page?", lang, hx)
			}
		}
	}
}

// receivedEN is the English acknowledgement of a withdrawal received at
// at, shown in zone (named by city) and in UTC.
func receivedEN(t *testing.T, at time.Time, zone, city string) string {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		t.Fatal(err)
	}
	local := at.In(loc)
	abbr := local.Format("MST")
	if abbr[0] == '-' || abbr[0] == '+' {
		abbr = "UTC" + strings.Replace(abbr[:1], "-", "−", 1) + abbr[1:]
	}
	iso := func(s string) string { return "\u2068" + s + "\u2069" } // bidi isolates
	return fmt.Sprintf("We received your withdrawal on %s at %s %s time (%s), that is %s.",
		local.Format("2 January 2006"), local.Format("15:04"), iso(city), iso(abbr), iso(at.UTC().Format("2006-01-02 15:04")+" UTC"))
}

// TestPortalWithdrawalTimeZone: the acknowledgement's time is in the zone
// of the shopper's region, else of her capital (Lisbon, not the Azores that
// deadlines count in), named, and in UTC.
func TestPortalWithdrawalTimeZone(t *testing.T) {
	a := newTestApp(t)
	ctx := context.Background()
	base, err := a.st.GetOrder(ctx, "DE-1001")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ number, region, zone, city string }{
		{"PT-2001", "", "Europe/Lisbon", "Lisbon"},
		{"PT-2002", "20", "Atlantic/Azores", "Azores"},
	} {
		o := base
		o.Number, o.ShippingAddress.Country, o.ShippingAddress.Region = tt.number, "PT", tt.region
		if _, err := a.st.UpsertOrder(ctx, o); err != nil {
			t.Fatal(err)
		}
		w := a.openWithdrawal(tt.number, "en", false)
		ack := a.follow(a.post("/withdraw", formValues(w.one("withdraw-form")), false), false)
		r, err := a.st.GetReturn(ctx, text(ack.one("rma")))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := text(ack.one("ack-received")), receivedEN(t, r.CreatedAt, tt.zone, tt.city); got != want {
			t.Errorf("%s: %q, want %q", tt.number, got, want)
		}
		loc, _ := time.LoadLocation(tt.zone)
		var iso string
		for n := ack.one("ack-received").FirstChild; n != nil; n = n.NextSibling {
			if n.Data == "time" {
				iso = attr(n, "datetime")
			}
		}
		if want := r.CreatedAt.In(loc).Format(time.RFC3339); iso != want {
			t.Errorf("%s: datetime %q, want %q", tt.number, iso, want)
		}
	}
}
