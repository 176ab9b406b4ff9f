package service

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/demo"
)

// importOrderLine is one line of an import file: an order of ten lines of
// qty units each, delivered yesterday.
func importOrderLine(number string, qty int) []byte {
	var lines []string
	for j := 1; j <= 10; j++ {
		lines = append(lines, fmt.Sprintf(`{"id":"L%d","sku":"SKU-%d","name":"Pullover","quantity":%d,"unit_price":%d,`+
			`"category":"apparel","hs_code":"610910","origin_country":"PT","weight_grams":300}`, j, j, qty, 1000+j))
	}
	day := func(d int) string { return time.Now().UTC().AddDate(0, 0, -d).Format(time.RFC3339) }
	return []byte(`{"number":"` + number + `","email":"` + demo.Email + `","customer_name":"Erika Mustermann","locale":"de",` +
		`"currency":"EUR","placed_at":"` + day(4) + `","shipped_at":"` + day(3) + `","delivered_at":"` + day(1) + `",` +
		`"shipping_address":{"name":"Erika Mustermann","line1":"Hauptstr. 1","city":"Berlin","postal_code":"10115","country":"DE"},` +
		`"shipping":{"amount":495,"method":"standard"},"payment":{"method":"card","provider":"stripe","reference":"pi_x"},` +
		`"lines":[` + strings.Join(lines, ",") + `]}`)
}

func numbered(lines [][]byte) func(yield func(int, []byte) bool) {
	return func(yield func(int, []byte) bool) {
		for i, l := range lines {
			if !yield(i+1, l) {
				return
			}
		}
	}
}

// TestImportOrders: more lines than a batch; invalid lines and an update
// that the order's returns refuse are reported at their lines, in order,
// and everything else is imported (the refused update's batch is stored
// again order by order); an order twice in a batch is created, then
// updated. Whether the reports follow each batch or are recounted at the
// end, they then equal a recount.
func TestImportOrders(t *testing.T) {
	for _, recount := range []bool{false, true} {
		t.Run(fmt.Sprintf("recount=%v", recount), func(t *testing.T) { testImportOrders(t, recount) })
	}
}

func testImportOrders(t *testing.T, recount bool) {
	ctx := context.Background()
	ts := newTestService(t, Settings{})
	// DE-1001 has a return of L1 once createOne ran: an update that drops
	// its lines is refused.
	ts.createOne(t, demo.FeaturedOrder, "L1")
	var lines [][]byte
	for i := range ImportBatch + 20 {
		lines = append(lines, importOrderLine(fmt.Sprintf("IMP-%04d", i), 1))
	}
	lines[3] = []byte(`{"number":"IMP-BAD","currency":"XXX","lines":[]}`)
	lines[7] = []byte(`{not json`)
	// An update of DE-1001 without its line L1, which a return holds.
	lines[10] = []byte(strings.Replace(string(importOrderLine(demo.FeaturedOrder, 1)), `"id":"L1"`, `"id":"X1"`, 1))
	lines[ImportBatch+5] = importOrderLine("IMP-0000", 2) // the first order again, in the next batch
	lines[12] = importOrderLine("IMP-0011", 3)            // the order of line 12, again in the same batch

	var rejected []int
	imported, err := ts.ImportOrders(ctx, numbered(lines), ImportOptions{Recount: recount, Rejected: func(line int, err error) {
		if err == nil {
			t.Errorf("line %d rejected without an error", line)
		}
		rejected = append(rejected, line)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{4, 8, 11}; fmt.Sprint(rejected) != fmt.Sprint(want) {
		t.Errorf("rejected lines %v, want %v", rejected, want)
	}
	if imported != len(lines)-3 {
		t.Errorf("imported %d, want %d", imported, len(lines)-3)
	}
	for number, qty := range map[string]int{"IMP-0000": 2, "IMP-0011": 3, "IMP-0519": 1} {
		o, err := ts.st.GetOrder(ctx, number)
		if err != nil || len(o.Lines) != 10 || o.Lines[0].Quantity != qty {
			t.Errorf("%s: %d lines of %v (%v), want quantity %d", number, len(o.Lines), o.Lines, err, qty)
		}
	}
	if o, err := ts.st.GetOrder(ctx, demo.FeaturedOrder); err != nil || o.Lines[0].ID != "L1" {
		t.Errorf("the refused update changed %s: %+v, %v", demo.FeaturedOrder, o.Lines, err)
	}
	if _, err := ts.st.GetOrder(ctx, "IMP-BAD"); err == nil {
		t.Error("the invalid order was stored")
	}
	diffs, err := ts.st.CheckAnalytics(ctx, 5)
	if err != nil || len(diffs) > 0 {
		t.Errorf("the reports after the import differ from a recount: %v %v", diffs, err)
	}
}

// BenchmarkImportOrders imports orders of ten lines as `import orders`
// does; orders/s is the rate that matters (a million historic orders).
func BenchmarkImportOrders(b *testing.B) {
	ctx := context.Background()
	ts := newTestService(b, Settings{})
	const n = 5000
	imported := 0
	var elapsed time.Duration
	b.ReportAllocs()
	for round := 0; b.Loop(); round++ {
		b.StopTimer()
		lines := make([][]byte, n)
		for i := range lines {
			lines[i] = importOrderLine(fmt.Sprintf("B%d-%07d", round, i), 1)
		}
		b.StartTimer()
		start := time.Now()
		k, err := ts.ImportOrders(ctx, numbered(lines), ImportOptions{Rejected: func(line int, err error) { b.Fatalf("line %d: %v", line, err) }})
		if err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		imported += k
	}
	b.ReportMetric(float64(imported)/elapsed.Seconds(), "orders/s")
}
