package handlers

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/returns"
)

// readmeDemoOrders are the order numbers of the README's demo table ("Try
// it"), each with the row's text.
func readmeDemoOrders(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start := strings.Index(s, "| order | e-mail | shows |")
	if start < 0 {
		t.Fatal("the README has no demo table")
	}
	rows := map[string]string{}
	number := regexp.MustCompile("`([A-Z]{2}-\\d{4})`")
	for _, line := range strings.Split(s[start:], "\n")[2:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(line, "|")
		for _, m := range number.FindAllStringSubmatch(cells[1], -1) {
			rows[m[1]] = cells[3]
		}
	}
	return rows
}

// TestReadmeDemoTable: every row of the README's demo table is what the
// rendered order form (or, for a parcel's documents, the return's page)
// shows; a row without a check here, or a check without its row, fails.
func TestReadmeDemoTable(t *testing.T) {
	a := newTestApp(t)
	status := func(p page, line string) *html.Node {
		t.Helper()
		for _, l := range p.all("line") {
			if attr(l, "data-line") == line {
				return all(l, byTestID("line-status"))[0]
			}
		}
		t.Fatalf("no line %s", line)
		return nil
	}
	lineText := func(p page, line, id string) string {
		for _, l := range p.all("line") {
			if attr(l, "data-line") == line {
				if ns := all(l, byTestID(id)); len(ns) > 0 {
					return text(ns[0])
				}
			}
		}
		return ""
	}
	reasons := func(p page, line string) string {
		for _, l := range p.all("line") {
			if attr(l, "data-line") == line {
				var out []string
				for _, o := range all(l, func(n *html.Node) bool { return n.Data == "option" && attr(n, "value") != "" }) {
					out = append(out, attr(o, "value"))
				}
				return strings.Join(out, ",")
			}
		}
		return ""
	}
	const faultReasons = "damaged,defective,not_as_described,wrong_item"
	la, _ := returns.ZoneFor("US", "CA")
	inDays := func(days int) string {
		d := returns.DateOf(a.now().AddDate(0, 0, days), la)
		return formatDate("en", func(m time.Month) string { return m.String() }, d)
	}
	checks := map[string]func(t *testing.T){
		demo.FeaturedOrder: func(t *testing.T) {
			p := a.openOrder(demo.FeaturedOrder, "en", false)
			if got := text(status(p, "L1")); !strings.HasPrefix(got, "Return by ") || strings.Contains(got, "legal") {
				t.Errorf("T-shirt: %q", got)
			}
			for _, l := range []string{"L2", "L3"} {
				if got := text(status(p, l)); !strings.HasPrefix(got, "Return by ") || !strings.HasSuffix(got, "(your legal right of withdrawal)") {
					t.Errorf("%s: %q", l, got)
				}
			}
		},
		"IT-1002": func(t *testing.T) {
			p := a.openOrder("IT-1002", "en", false)
			got := text(status(p, "L1"))
			if !strings.HasPrefix(got, "Return by ") || !strings.HasSuffix(got, "(your legal right of withdrawal)") || strings.Contains(got, "January") && strings.Contains(got, "31 ") {
				t.Errorf("dress: %q", got)
			}
		},
		"PT-1003": func(t *testing.T) {
			p := a.openOrder("PT-1003", "en", false)
			if got := text(status(p, "L1")); got != "Personalised items can't be returned." || !strings.Contains(attr(status(p, "L1"), "class"), "limited") {
				t.Errorf("mug: %q", got)
			}
			if got := lineText(p, "L1", "line-note"); !strings.Contains(got, "faulty") {
				t.Errorf("mug note: %q", got)
			}
			if got := reasons(p, "L1"); got != faultReasons {
				t.Errorf("mug reasons: %s", got)
			}
		},
		"US-1005": func(t *testing.T) {
			p := a.openOrder("US-1005", "en", false)
			if got := text(status(p, "L1")); got != "Return by "+inDays(15) {
				t.Errorf("sneakers: %q, want Return by %s", got, inDays(15))
			}
			form := formValues(p.one("order-form"))
			form.Set("qty.L1", "1")
			form.Set("reason.L1", "changed_mind")
			review := a.post("/review", form, false)
			// 10 % of $120.00.
			if got := text(review.one("quote-restocking-amount")); got != "-$12.00" {
				t.Errorf("restocking fee %q", got)
			}
			st := a.follow(a.post("/returns", formValues(review.one("confirm-form")), false), false)
			if attr(st.one("label-letter"), "data-default") != "true" {
				t.Error("the label does not default to US Letter")
			}
		},
		"JP-1006": func(t *testing.T) {
			if got := lineText(a.openOrder("JP-1006", "en", false), "L1", "line-price"); !strings.Contains(got, "¥12,345") || strings.Contains(got, ".") {
				t.Errorf("yen: %q", got)
			}
		},
		"KW-1007": func(t *testing.T) {
			if got := lineText(a.openOrder("KW-1007", "en", false), "L1", "line-price"); !strings.Contains(got, "KWD 45.750") {
				t.Errorf("dinar: %q", got)
			}
		},
		demo.PartialOrder: func(t *testing.T) {
			p := a.openOrder(demo.PartialOrder, "en", false)
			if len(p.all("existing-return")) != 1 || lineText(p, "L1", "line-in-returns") != "1 unit of this item is already in a return." ||
				attr(p.one("line-qty"), "max") != "2" {
				t.Errorf("partial: %d returns, %q, max %s", len(p.all("existing-return")), lineText(p, "L1", "line-in-returns"), attr(p.one("line-qty"), "max"))
			}
		},
		"IE-1009": func(t *testing.T) {
			p := a.openOrder("IE-1009", "en", false)
			if got := text(status(p, "L1")); !strings.HasPrefix(got, "Not delivered yet") || !p.has("nothing-eligible") {
				t.Errorf("hat: %q", got)
			}
		},
		"FR-1013": func(t *testing.T) {
			p := a.openOrder("FR-1013", "en", false)
			if got := text(status(p, "L1")); !strings.HasPrefix(got, "The return window closed on ") || !strings.Contains(attr(status(p, "L1"), "class"), "limited") {
				t.Errorf("shoes: %q", got)
			}
			if got := lineText(p, "L1", "line-note"); !strings.Contains(got, "faulty") {
				t.Errorf("shoes note: %q", got)
			}
			if got := reasons(p, "L1"); got != faultReasons {
				t.Errorf("shoes reasons: %s", got)
			}
		},
		"CH-1011": func(t *testing.T) {
			p := a.openOrder("CH-1011", "en", false)
			form := formValues(p.one("order-form"))
			form.Set("qty.L1", "1")
			form.Set("reason.L1", "wrong_size")
			st := a.follow(a.post("/returns", formValues(a.post("/review", form, false).one("confirm-form")), false), false)
			if !st.has("customs-link") || !strings.Contains(text(st.one("customs-note")), "customs border") {
				t.Errorf("no customs declaration on the return's page:\n%s", st.res.Body)
			}
		},
	}
	rows := readmeDemoOrders(t)
	for number := range rows {
		if checks[number] == nil {
			t.Errorf("the README's demo table shows %s, which no check here renders", number)
		}
	}
	for number, check := range checks {
		if _, ok := rows[number]; !ok {
			t.Errorf("%s is checked here but not in the README's demo table", number)
			continue
		}
		t.Run(number, check)
	}
}
