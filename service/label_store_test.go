package service

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/labels"
	"github.com/returns-portal/returns/returns"
)

// TestLabelStored: a label is rendered on its first download and stored;
// a download that would print the same is served the stored bytes, and
// anything that changes what it prints (the order, the paper size, the
// shopper's language, the code that draws it) renders it anew.
func TestLabelStored(t *testing.T) {
	ctx := context.Background()
	ts := newTestService(t, Settings{})
	c := ts.createOne(t, demo.FeaturedOrder, "L1")
	en := func(id string) string { return "en:" + id }
	de := func(id string) string { return "de:" + id }
	docs := func(words Words) Documents {
		t.Helper()
		a, err := ts.OpenReturn(ctx, c.Return.RMA, c.Token)
		if err != nil {
			t.Fatal(err)
		}
		d, err := ts.Documents(ctx, a, func(tok string) string { return "https://returns.example/r/" + c.Return.RMA + "?t=" + tok }, words)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	label := func(d Documents, size labels.Size) []byte {
		t.Helper()
		pdf, err := ts.LabelPDF(ctx, d, size)
		if err != nil {
			t.Fatal(err)
		}
		return pdf
	}
	// served says whether a download is the stored label of its variant:
	// the stored bytes are replaced under the same fingerprint first.
	served := func(d Documents, size labels.Size) bool {
		t.Helper()
		variant, fp := labelFingerprint(ts.build, size, d.label)
		if err := ts.st.SaveDocument(ctx, c.Return.ID, documentLabel, variant, fp, []byte("STORED")); err != nil {
			t.Fatal(err)
		}
		return string(label(d, size)) == "STORED"
	}

	d := docs(Words{English: en, Local: de})
	first := label(d, labels.Size4x6)
	if !bytes.HasPrefix(first, []byte("%PDF-")) {
		t.Fatalf("first download: %q", first[:min(8, len(first))])
	}
	if again := label(docs(Words{English: en, Local: de}), labels.Size4x6); !bytes.Equal(again, first) {
		t.Error("a repeated download differs")
	}
	// What is stored is what is served.
	if !served(docs(Words{English: en, Local: de}), labels.Size4x6) {
		t.Fatal("a repeated download was rendered again")
	}
	// Another paper size and another language are labels of their own.
	a4 := label(d, labels.SizeA4)
	if string(a4) == "STORED" || bytes.Equal(a4, first) {
		t.Error("the A4 label is the 4x6 one")
	}
	english := docs(Words{English: en})
	if got := label(english, labels.Size4x6); string(got) == "STORED" {
		t.Error("the English label is the German one")
	}
	if !served(english, labels.Size4x6) || !served(d, labels.SizeA4) || string(label(d, labels.Size4x6)) != "STORED" {
		t.Error("the labels of each size and language are not kept side by side")
	}
	// A changed translation renders anew.
	if got := label(docs(Words{English: en, Local: func(id string) string { return "DE:" + id }}), labels.Size4x6); string(got) == "STORED" {
		t.Error("a changed translation got the stored label")
	}

	// The shop changes the address: the label says the new one.
	o, err := ts.st.GetOrder(ctx, demo.FeaturedOrder)
	if err != nil {
		t.Fatal(err)
	}
	o.ShippingAddress.Line1 = "Neue Straße 5"
	if _, err := ts.st.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	moved := label(docs(Words{English: en, Local: de}), labels.Size4x6)
	if string(moved) == "STORED" || bytes.Equal(moved, first) {
		t.Fatal("the label of the old address was served after the order changed")
	}

	// Another build of the portal draws its own labels.
	if !served(docs(Words{English: en, Local: de}), labels.Size4x6) {
		t.Fatal("the new label was not stored")
	}
	ts.build = "another build"
	if served := label(docs(Words{English: en, Local: de}), labels.Size4x6); string(served) == "STORED" {
		t.Error("a label stored by another build was served")
	}
}

// TestLabelFingerprint: every field of the label counts, the translators
// by what they say.
func TestLabelFingerprint(t *testing.T) {
	base := labels.LabelData{RMA: "R-AAAA-BBBB", OrderNumber: "DE-1001",
		Sender:    returns.Address{Name: "Anna", Line1: "Demo Street 1", City: "Berlin", Country: "DE"},
		Hub:       returns.Hub{Code: "eu", Name: "Hub"},
		StatusURL: "https://x/r/R-AAAA-BBBB?t=1", WeightGrams: 500, Items: 1,
		English: func(id string) string { return id }}
	_, want := labelFingerprint("b", labels.Size4x6, base)
	for name, change := range map[string]func(*labels.LabelData){
		"RMA":        func(d *labels.LabelData) { d.RMA = "R-AAAA-CCCC" },
		"order":      func(d *labels.LabelData) { d.OrderNumber = "DE-1002" },
		"sender":     func(d *labels.LabelData) { d.Sender.PostalCode = "10115" },
		"latin":      func(d *labels.LabelData) { d.Sender.Latin = &returns.LatinAddress{Name: "Anna"} },
		"hub":        func(d *labels.LabelData) { d.Hub.Name = "Other hub" },
		"status URL": func(d *labels.LabelData) { d.StatusURL += "2" },
		"weight":     func(d *labels.LabelData) { d.WeightGrams++ },
		"items":      func(d *labels.LabelData) { d.Items++ },
		"customs":    func(d *labels.LabelData) { d.Customs = true },
		"English":    func(d *labels.LabelData) { d.English = func(id string) string { return "x" + id } },
		"local":      func(d *labels.LabelData) { d.Local = func(id string) string { return id } },
	} {
		d := base
		change(&d)
		if _, got := labelFingerprint("b", labels.Size4x6, d); got == want {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	if _, got := labelFingerprint("b", labels.SizeA4, base); got == want {
		t.Error("paper size: same fingerprint")
	}
	if _, got := labelFingerprint("b", labels.Size4x6, base); got != want {
		t.Error("the same label has another fingerprint")
	}
}

// TestLabelViewTokenPerDay: the token a label's QR code carries is the
// same all day (so the stored label is served), another the next day, and
// opens the return for at least ViewTTL less a day.
func TestLabelViewTokenPerDay(t *testing.T) {
	ctx := context.Background()
	ts := newTestService(t, Settings{})
	c := ts.createOne(t, demo.FeaturedOrder, "L1")
	link := func() string {
		t.Helper()
		a, err := ts.OpenReturn(ctx, c.Return.RMA, c.Token)
		if err != nil {
			t.Fatal(err)
		}
		var tok string
		if _, err := ts.Documents(ctx, a, func(token string) string { tok = token; return "https://x/r?t=" + token }, Words{}); err != nil {
			t.Fatal(err)
		}
		return tok
	}
	// To the next day's first second, then to its last.
	day := ts.now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	ts.advance(day.Sub(ts.now()))
	first := link()
	ts.advance(24*time.Hour - time.Second)
	if got := link(); got != first {
		t.Errorf("the label's token changed within the day: %q, then %q", first, got)
	}
	ts.advance(time.Second)
	next := link()
	if next == first {
		t.Error("the next day's label carries the same token")
	}
	ts.advance(token.ViewTTL - 24*time.Hour)
	if _, err := ts.OpenReturn(ctx, c.Return.RMA, next); err != nil {
		t.Errorf("the label's token %s after it was issued: %v", token.ViewTTL-24*time.Hour, err)
	}
}
