package service

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
)

// oldReturnLink is the token of a return link as issued before view and
// manage tokens, built by hand as that code built it ({"k":"r","r":rma},
// no expiry, HMAC-SHA256 with the test key of newTestService).
func oldReturnLink(rma string) string {
	p := base64.RawURLEncoding.EncodeToString([]byte(`{"k":"r","r":"` + rma + `"}`))
	m := hmac.New(sha256.New, []byte(strings.Repeat("k", 32)))
	m.Write([]byte(p))
	return p + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// createByTransfer makes a return refunded by bank transfer with a comment:
// personal data in the return itself, besides the order's.
func (ts *testService) createByTransfer(t *testing.T) Created {
	t.Helper()
	ctx := context.Background()
	l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.10", Locale: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := ts.CreateReturn(ctx, OrderAccess{Number: l.Facts.Order.Number, Locale: l.Locale}, ReturnRequest{
		QuoteRequest: returns.QuoteRequest{Items: []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}},
			RefundMethod: returns.MethodBankTransfer, Consent: true},
		IBAN: "DE89 3704 0044 0532 0130 00", Holder: "Ana Demo", Comment: "Ring twice, I'm at Hauptstraße 5"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestReturnTokensGrant: what each token lets its holder do, decided by
// OpenReturn and enforced by the use cases.
func TestReturnTokensGrant(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	c := ts.createByTransfer(t)
	rma := c.Return.RMA
	l, err := ts.Lookup(ctx, LookupRequest{OrderNumber: demo.FeaturedOrder, Email: demo.Email, ClientIP: "192.0.2.10", Locale: "es"})
	if err != nil {
		t.Fatal(err)
	}
	lookup := l.Token
	if c.Token == c.ViewToken || c.Token == "" || c.ViewToken == "" {
		t.Fatalf("created tokens: manage %q, view %q", c.Token, c.ViewToken)
	}
	for _, tc := range []struct {
		name, token, locale string
		want                Grant
	}{
		// A return's own tokens speak the language it was made in.
		{"manage token (confirmation, e-mails)", c.Token, "fr", manageGrant},
		{"ManageToken", ts.ManageToken(rma), "fr", manageGrant},
		{"view token (label, QR code)", c.ViewToken, "fr", viewGrant},
		{"ViewToken", ts.ViewToken(rma), "fr", viewGrant},
		{"a link issued before the split: view only", oldReturnLink(rma), "fr", viewGrant},
		{"the order's lookup token: everything, in its own language", lookup, "es", manageGrant},
	} {
		a, err := ts.OpenReturn(ctx, strings.ToLower(rma), tc.token)
		if err != nil || a.Return.RMA != rma || a.May != tc.want || a.Locale != tc.locale {
			t.Errorf("%s: %+v %s %v, want %+v %s", tc.name, a.May, a.Locale, err, tc.want, tc.locale)
			continue
		}
		// Personal data only with the grant: in the return and its status.
		d, err := ts.ShopperStatus(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		personal := a.Return.BankIBAN != "" && a.Return.BankHolder != "" && a.Return.Comment != "" &&
			d.Order.Email != "" && d.Order.CustomerName != "" && d.Order.ShippingAddress.Line1 != ""
		none := a.Return.BankIBAN == "" && a.Return.BankHolder == "" && a.Return.Comment == "" &&
			d.Order.Email == "" && d.Order.CustomerName == "" && d.Order.ShippingAddress.Line1 == "" &&
			d.Order.ShippingAddress.PostalCode == "" && d.Order.ShippingAddress.Country == "DE"
		if tc.want.Personal && !personal || !tc.want.Personal && !none {
			t.Errorf("%s: personal data %+v / %+v", tc.name, a.Return, d.Order)
		}
		// The documents open with any of them, and the label's QR code
		// carries a view token whichever it was.
		docs, err := ts.Documents(ctx, a, func(tok string) string { return "https://returns.example/r/" + rma + "?t=" + tok }, Words{})
		if err != nil {
			t.Errorf("%s: documents: %v", tc.name, err)
			continue
		}
		qr, ok := strings.CutPrefix(docs.label.StatusURL, "https://returns.example/r/"+rma+"?t=")
		if c, err := ts.tokens.Verify(qr, token.View, ts.now()); !ok || err != nil || c.RMA != rma {
			t.Errorf("%s: the QR code links %q (%v)", tc.name, docs.label.StatusURL, err)
		}
	}

	// Cancelling: refused to the view token and an old link, whatever the
	// status; allowed to the manage token.
	for name, tok := range map[string]string{"view": c.ViewToken, "old link": oldReturnLink(rma)} {
		a, err := ts.OpenReturn(ctx, rma, tok)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Cancel(ctx, a); !errors.Is(err, ErrNotPermitted) {
			t.Errorf("cancel with the %s token: %v", name, err)
		}
	}
	if r, _ := ts.Return(ctx, rma); r.Status == returns.StatusCancelled {
		t.Fatal("a refused cancel cancelled the return")
	}
	// The zero access allows nothing.
	if _, err := ts.Cancel(ctx, ReturnAccess{Return: c.Return}); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("cancel without a grant: %v", err)
	}
	if _, err := ts.Documents(ctx, ReturnAccess{Return: c.Return}, func(string) string { return "" }, Words{}); !errors.Is(err, ErrNotPermitted) {
		t.Errorf("documents without a grant: %v", err)
	}
	a, err := ts.OpenReturn(ctx, rma, c.Token)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := ts.Cancel(ctx, a); err != nil || r.Status != returns.StatusCancelled {
		t.Fatalf("cancel with the manage token: %+v %v", r.Status, err)
	}
}

func TestReturnTokensRefusedAndExpired(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	c := ts.createOne(t, demo.FeaturedOrder, "L1")
	rma := c.Return.RMA
	other := ts.createOne(t, "IT-1002", "L1")
	otherLookup, err := ts.Lookup(ctx, LookupRequest{OrderNumber: "IT-1002", Email: demo.Email, ClientIP: "192.0.2.11"})
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{
		"another return's manage token": other.Token, "another return's view token": other.ViewToken,
		"another return's old link": oldReturnLink(other.Return.RMA), "another order's lookup token": otherLookup.Token,
		"none": "", "forged": c.Token + "x", "garbage": "not-a-token",
	} {
		if _, err := ts.OpenReturn(ctx, rma, tok); !errors.Is(err, ErrTokenInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := ts.OpenReturn(ctx, "R-0000-0000", c.Token); !errors.Is(err, ErrTokenInvalid) {
		t.Errorf("unknown RMA: %v", err)
	}

	// Every token expires: the manage token after ManageTTL, the view token
	// and an old link (counted from the return's creation) after ViewTTL.
	manage, view, old := c.Token, c.ViewToken, oldReturnLink(rma)
	open := func(tok string) error { _, err := ts.OpenReturn(ctx, rma, tok); return err }
	ts.advance(token.ManageTTL - time.Minute)
	if open(manage) != nil || open(view) != nil || open(old) != nil {
		t.Fatal("a token expired early")
	}
	ts.advance(2 * time.Minute)
	if err := open(manage); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("manage token after %s: %v", token.ManageTTL, err)
	}
	// A fresh manage token still works: the return has not ended.
	if err := open(ts.ManageToken(rma)); err != nil {
		t.Errorf("a fresh manage token: %v", err)
	}
	ts.advance(token.ViewTTL - token.ManageTTL)
	if err := open(view); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("view token after %s: %v", token.ViewTTL, err)
	}
	if err := open(old); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("old link %s after the return was made: %v", token.ViewTTL, err)
	}
}

// TestReturnLinksEndWithTheReturn: once a return has ended, its links
// work for returnTokenGrace, then not, however fresh the token.
func TestReturnLinksEndWithTheReturn(t *testing.T) {
	ts := newTestService(t, Settings{})
	ctx := context.Background()
	c := ts.createOne(t, demo.FeaturedOrder, "L1")
	rma := c.Return.RMA
	a, err := ts.OpenReturn(ctx, rma, c.Token)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Cancel(ctx, a); err != nil {
		t.Fatal(err)
	}
	cancelled, err := ts.OpenReturn(ctx, rma, c.Token)
	if err != nil {
		t.Fatal(err)
	}
	var ce *ConflictError
	if _, err := ts.Cancel(ctx, cancelled); !errors.As(err, &ce) || ce.Code != CodeNotCancellable {
		t.Errorf("cancelled twice: %v", err)
	}
	ts.advance(returnTokenGrace + time.Hour)
	for name, tok := range map[string]string{"manage": ts.ManageToken(rma), "view": ts.ViewToken(rma), "old": oldReturnLink(rma)} {
		if _, err := ts.OpenReturn(ctx, rma, tok); !errors.Is(err, ErrTokenExpired) {
			t.Errorf("%s token long after it ended: %v", name, err)
		}
	}
}
