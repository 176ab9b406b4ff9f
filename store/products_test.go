package store

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/returns-portal/returns/returns"
)

func teeProduct(stock int) returns.Product {
	return returns.Product{ID: "P-TEE", Title: "T-shirt", Variants: []returns.Variant{
		{SKU: "TEE-M-BLU", Title: "M / Blue", Options: map[string]string{"Size": "M"}, Prices: map[string]int64{"EUR": 2500}, Inventory: 5},
		{SKU: "TEE-L-BLU", Title: "L / Blue", Options: map[string]string{"Size": "L"}, Prices: map[string]int64{"EUR": 2500}, Inventory: stock},
	}}
}

// exchangeReturn creates a return of O-1 exchanging its line L1 for sku
// (the stand-in build, and the reservation in the same transaction).
func exchangeReturn(ctx context.Context, s *Store, order, sku string, units int) (returns.Return, error) {
	var out returns.Return
	err := s.Write(ctx, func(tx *Tx) error {
		it := returns.QuoteItem{LineID: "L1", Quantity: units, Reason: "changed_mind",
			Resolution: returns.ResolutionExchange, ExchangeSKU: sku}
		r, err := tx.CreateReturn(order, "shopper", build(it))
		if err != nil {
			return err
		}
		out = r
		return tx.AddToReturn(r, Additions{Exchanges: []returns.ExchangeLine{{LineID: "L1", ProductID: "P-TEE", SKU: sku,
			Title: "L / Blue", Options: map[string]string{"Size": "L"}, Quantity: units, State: returns.ExchangeReserved}}})
	})
	return out, err
}

func conflictCode(err error) string {
	var de *returns.Error
	if errors.Is(err, ErrConflict) && errors.As(err, &de) {
		return de.Code
	}
	return ""
}

func TestProductRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	created, err := s.PutProduct(ctx, teeProduct(2))
	if err != nil || !created {
		t.Fatalf("created %v, %v", created, err)
	}
	got, err := s.GetProduct(ctx, "P-TEE")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Product, teeProduct(2)) {
		t.Errorf("product %+v", got.Product)
	}
	if _, err := exchangeReturn(ctx, s, "O-1", "TEE-L-BLU", 1); err != nil {
		t.Fatal(err)
	}
	// A new figure from the shop: the reservation still counts against it,
	// and a variant dropped without reservations goes.
	p := teeProduct(4)
	p.Title = "Tee"
	p.Variants = p.Variants[1:]
	if created, err := s.PutProduct(ctx, p); err != nil || created {
		t.Fatalf("update: created %v, %v", created, err)
	}
	got, err = s.GetProduct(ctx, "P-TEE")
	if err != nil {
		t.Fatal(err)
	}
	v := got.Product.Variants
	if got.Product.Title != "Tee" || len(v) != 1 || v[0].Inventory != 4 || got.Reserved["TEE-L-BLU"] != 1 || got.Available(v[0]) != 3 {
		t.Errorf("after the update: %+v, reserved %v, available %d", got.Product, got.Reserved, got.Available(v[0]))
	}
	st, err := s.ExchangeStock(ctx, []string{"P-TEE", "P-NONE"})
	if err != nil || st.Available["TEE-L-BLU"] != 3 || len(st.Products) != 1 {
		t.Errorf("stock %+v, %v", st, err)
	}
	if _, err := s.GetProduct(ctx, "P-NONE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown product: %v", err)
	}
}

func TestProductConflicts(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	if _, err := s.PutProduct(ctx, teeProduct(1)); err != nil {
		t.Fatal(err)
	}
	other := returns.Product{ID: "P-MUG", Title: "Mug", Variants: []returns.Variant{
		{SKU: "MUG-1", Prices: map[string]int64{"EUR": 1200}, Inventory: 1},
		{SKU: "TEE-L-BLU", Prices: map[string]int64{"EUR": 1200}, Inventory: 1}}}
	if _, err := s.PutProduct(ctx, other); conflictCode(err) != returns.CodeSKUTaken {
		t.Errorf("another product's SKU: %v", err)
	}
	if _, err := s.GetProduct(ctx, "P-MUG"); !errors.Is(err, ErrNotFound) {
		t.Errorf("the refused product was stored: %v", err)
	}
	r, err := exchangeReturn(ctx, s, "O-1", "TEE-L-BLU", 1)
	if err != nil {
		t.Fatal(err)
	}
	dropped := teeProduct(1)
	dropped.Variants = dropped.Variants[:1]
	if _, err := s.PutProduct(ctx, dropped); conflictCode(err) != returns.CodeVariantReserved {
		t.Errorf("dropping a reserved variant: %v", err)
	}
	if err := s.DeleteProduct(ctx, "P-TEE"); conflictCode(err) != returns.CodeProductReserved {
		t.Errorf("deleting a reserved product: %v", err)
	}
	// Once the return is cancelled and its reservation released, both may.
	if err := s.Write(ctx, func(tx *Tx) error {
		r, err := tx.Transition(r.RMA, returns.StatusCancelled, "shopper", "")
		if err != nil {
			return err
		}
		return tx.ReleaseExchanges(r)
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteProduct(ctx, "P-TEE"); err != nil {
		t.Errorf("delete: %v", err)
	}
	if err := s.DeleteProduct(ctx, "P-TEE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete again: %v", err)
	}
}

// TestReservationGuard: the store's guard alone (the stand-in build does
// not look at the stock) refuses the unit that is no longer there, and the
// whole return with it.
func TestReservationGuard(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	if _, err := s.PutProduct(ctx, teeProduct(1)); err != nil {
		t.Fatal(err)
	}
	if _, err := exchangeReturn(ctx, s, "O-1", "TEE-L-BLU", 1); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s, "returns")
	_, err := exchangeReturn(ctx, s, "O-1", "TEE-L-BLU", 1)
	var de *returns.Error
	if conflictCode(err) != returns.CodeOutOfStock || !errors.As(err, &de) || de.Field != "items[0].exchange_sku" {
		t.Fatalf("second reservation of the last unit: %v", err)
	}
	if n := countRows(t, s, "returns"); n != before {
		t.Errorf("returns %d, want %d: the refused return was kept", n, before)
	}
	if _, err := exchangeReturn(ctx, s, "O-1", "TEE-UNKNOWN", 1); conflictCode(err) != returns.CodeOutOfStock {
		t.Errorf("an unknown SKU: %v", err)
	}
}

// TestReservationRace: twenty shoppers on two connections reserve the last
// unit at once; exactly one gets it.
func TestReservationRace(t *testing.T) {
	ctx := context.Background()
	s1, path := setup(t)
	s2 := openAt(t, path)
	o := sampleOrder("RACE")
	o.Lines[0].Quantity = 50
	if _, err := s1.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := s1.PutProduct(ctx, teeProduct(1)); err != nil {
		t.Fatal(err)
	}
	const n = 20
	var (
		wg             sync.WaitGroup
		mu             sync.Mutex
		ok, outOfStock int
		other          []error
		start          = make(chan struct{})
	)
	for i := range n {
		s := s1
		if i%2 == 1 {
			s = s2
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := exchangeReturn(ctx, s, "RACE", "TEE-L-BLU", 1)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case conflictCode(err) == returns.CodeOutOfStock:
				outOfStock++
			default:
				other = append(other, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != 1 || outOfStock != n-1 || len(other) != 0 {
		t.Fatalf("reserved %d, out of stock %d, other %v; want 1, %d, none", ok, outOfStock, other, n-1)
	}
	p, err := s2.GetProduct(ctx, "P-TEE")
	if err != nil || p.Reserved["TEE-L-BLU"] != 1 {
		t.Fatalf("reserved after the race: %+v, %v", p.Reserved, err)
	}
}

func TestApplyExchanges(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	if _, err := s.PutProduct(ctx, teeProduct(3)); err != nil {
		t.Fatal(err)
	}
	r, err := exchangeReturn(ctx, s, "O-1", "TEE-L-BLU", 2)
	if err != nil {
		t.Fatal(err)
	}
	r, err = s.GetReturn(ctx, r.RMA)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Exchanges) != 1 || r.Items[0].Resolution != returns.ResolutionExchange || r.Items[0].ExchangeSKU != "TEE-L-BLU" {
		t.Fatalf("loaded: exchanges %+v, items %+v", r.Exchanges, r.Items)
	}
	settled := returns.SettleExchanges(r.Exchanges, map[string]int{"L1": 1})
	if err := s.Write(ctx, func(tx *Tx) error { return tx.ApplyExchanges(r, settled) }); err != nil {
		t.Fatal(err)
	}
	r, _ = s.GetReturn(ctx, r.RMA)
	var states []string
	for _, x := range r.Exchanges {
		states = append(states, x.State)
	}
	if !reflect.DeepEqual(states, []string{returns.ExchangeIssued, returns.ExchangeReleased}) {
		t.Errorf("states %v", states)
	}
	p, _ := s.GetProduct(ctx, "P-TEE")
	l := p.Product.Variants[1]
	if p.Reserved[l.SKU] != 0 || p.Issued[l.SKU] != 1 || p.Available(l) != 2 {
		t.Errorf("after settling: reserved %v, issued %v, available %d", p.Reserved, p.Issued, p.Available(l))
	}
	// Settled once: nothing is reserved any more, so nothing changes.
	if err := s.Write(ctx, func(tx *Tx) error { return tx.ReleaseExchanges(r) }); err != nil {
		t.Errorf("release after settling: %v", err)
	}
	// The exchanged unit counts until the shop's next figure.
	if _, err := s.PutProduct(ctx, teeProduct(2)); err != nil {
		t.Fatal(err)
	}
	p, _ = s.GetProduct(ctx, "P-TEE")
	if p.Issued[l.SKU] != 0 || p.Available(p.Product.Variants[1]) != 2 {
		t.Errorf("after the shop's figure: issued %v", p.Issued)
	}
	h, err := s.OrderHistory(ctx, "O-1")
	if err != nil || h.UnitsExchanged["L1"] != 1 || h.Held("L1") != 2 {
		t.Errorf("history %+v, %v: 2 units held, 1 of them exchanged", h, err)
	}
}

func TestOrderLineProduct(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	o := sampleOrder("O-P")
	o.Lines[0].ProductID = "P-TEE"
	if _, err := s.UpsertOrder(ctx, o); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetOrder(ctx, "O-P")
	if err != nil || got.Lines[0].ProductID != "P-TEE" || got.Lines[1].ProductID != "" {
		t.Fatalf("lines %+v, %v", got.Lines, err)
	}
}

func TestAdditions(t *testing.T) {
	ctx := context.Background()
	s, _ := setup(t)
	clock := date("2026-11-10T10:00:00Z")
	s.now = func() time.Time { return clock }
	other := sampleOrder("O-2")
	other.Email = " ANA@example.com " // the same address, written otherwise
	if _, err := s.UpsertOrder(ctx, other); err != nil {
		t.Fatal(err)
	}
	flags := []returns.ReviewMatch{{Index: 1, Rule: returns.RuleCountry, Value: "PT"}}
	var made returns.Return
	if err := s.Write(ctx, func(tx *Tx) error {
		r, err := tx.CreateReturn("O-1", "shopper", build(item("L1", 1)))
		if err != nil {
			return err
		}
		made = r
		return tx.AddToReturn(r, Additions{ReviewFlags: flags, Returnless: true, GiftEmail: "kim@example.com"})
	}); err != nil {
		t.Fatal(err)
	}
	r, err := s.GetReturn(ctx, made.RMA)
	if err != nil || !r.Gift || r.GiftEmail != "kim@example.com" {
		t.Fatalf("gift %v %q, %v", r.Gift, r.GiftEmail, err)
	}
	x, err := s.ReturnExtras(ctx, made.RMA)
	if err != nil || !reflect.DeepEqual(x.ReviewFlags, flags) {
		t.Errorf("flags %+v, %v", x.ReviewFlags, err)
	}
	total, open, err := s.ReturnlessCount(ctx)
	if err != nil || total != 1 || open != 1 {
		t.Errorf("returnless %d, open %d, %v", total, open, err)
	}
	// A second return a day later, of the other order with the same address.
	clock = clock.Add(24 * time.Hour)
	if _, err := s.CreateReturn(ctx, "O-2", "shopper", build(item("L1", 1))); err != nil {
		t.Fatal(err)
	}
	var recent []time.Time
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		recent, err = tx.RecentReturnsByEmail("O-2", clock.Add(-48*time.Hour))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(recent) != 2 || !recent[0].Equal(date("2026-11-10T10:00:00Z")) {
		t.Errorf("recent %v", recent)
	}
	if err := s.Write(ctx, func(tx *Tx) error {
		var err error
		recent, err = tx.RecentReturnsByEmail("O-1", clock.Add(-time.Hour))
		return err
	}); err != nil || len(recent) != 1 {
		t.Errorf("recent within the hour %v, %v", recent, err)
	}
}
