package returns

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func valEUCountries() []string {
	return slices.Sorted(slices.Values(LoadLegal().Groups["EU"]))
}

func TestFloorNotesExample(t *testing.T) {
	p := valPolicy(t)
	p.Regions = append(p.Regions, Region{Countries: []string{"DE"},
		Rules: Rules{WindowDays: vPtr(7), RestockingFeePercent: vPtr(10)}})
	if fe := ValidatePolicy(p, LoadLegal()); fe != nil {
		t.Fatalf("policy invalid: %v", fe)
	}
	eea := []string{"IS", "LI", "NO"}
	excl := []string{"gift_card"}
	fees := map[string]int64{"EUR": 495, "GBP": 395, "USD": 595}
	want := []FloorNote{
		{"default.excluded_categories", eea, "excluded_categories", excl, []string{}, "EEA_EFTA", FloorInsideStatutoryWindow},
		{"default.excluded_categories", valEUCountries(), "excluded_categories", excl, []string{}, "EU", FloorInsideStatutoryWindow},
		{"default.excluded_categories", []string{"GB"}, "excluded_categories", excl, []string{}, "GB", FloorInsideStatutoryWindow},
		{"default.final_sale_returnable", eea, "final_sale_returnable", false, true, "EEA_EFTA", FloorInsideStatutoryWindow},
		{"default.final_sale_returnable", valEUCountries(), "final_sale_returnable", false, true, "EU", FloorInsideStatutoryWindow},
		{"default.final_sale_returnable", []string{"GB"}, "final_sale_returnable", false, true, "GB", FloorInsideStatutoryWindow},
		{"default.return_shipping_fee", []string{"BR"}, "return_shipping_fee", fees, map[string]int64{}, "BR", FloorStatutoryItems},
		{"default.return_shipping_fee", []string{"TR"}, "return_shipping_fee", fees, map[string]int64{}, "TR", FloorStatutoryItems},
		{"regions[2].restocking_fee_percent", []string{"DE"}, "restocking_fee_percent", 10, 0, "EU", FloorStatutoryItems},
		{"regions[2].window_days", []string{"DE"}, "window_days", 7, 14, "EU", ""},
	}
	got := FloorNotes(p, LoadLegal())
	if len(got) != len(want) {
		t.Fatalf("got %d notes, want %d:\n%s", len(got), len(want), valDumpNotes(got))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("[%d]\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
	if again := FloorNotes(p, LoadLegal()); !reflect.DeepEqual(again, got) {
		t.Error("not deterministic")
	}
}

func valDumpNotes(ns []FloorNote) string {
	var b strings.Builder
	for _, n := range ns {
		j, _ := json.Marshal(n)
		b.Write(j)
		b.WriteByte('\n')
	}
	return b.String()
}

// A policy without merchant values under any floor: no final-sale or
// category restriction, a long window, free shipping where the merchant pays.
func valGenerousPolicy(t *testing.T) Policy {
	p := valPolicy(t)
	p.Default.FinalSaleReturnable = vPtr(true)
	p.Default.ExcludedCategories = nil
	p.Default.ReturnShippingFee = &map[string]int64{}
	return p
}

func TestFloorNotes(t *testing.T) {
	tests := []struct {
		name   string
		region Region
		want   []FloorNote
	}{
		{"none", Region{Countries: []string{"FR"}, Rules: Rules{WindowDays: vPtr(14)}}, nil},
		{"EU group window", Region{Countries: []string{"EU"}, Rules: Rules{WindowDays: vPtr(10)}}, []FloorNote{
			{"regions[2].window_days", valEUCountries(), "window_days", 10, 14, "EU", ""}}},
		{"several countries, several markets", Region{Countries: []string{"GB", "NO", "FR", "CN"}, Rules: Rules{WindowDays: vPtr(7)}}, []FloorNote{
			{"regions[2].window_days", []string{"NO"}, "window_days", 7, 14, "EEA_EFTA", ""},
			{"regions[2].window_days", []string{"FR"}, "window_days", 7, 14, "EU", ""},
			{"regions[2].window_days", []string{"GB"}, "window_days", 7, 14, "GB", ""}}},
		{"Mexico business days", Region{Countries: []string{"MX"}, Rules: Rules{WindowDays: vPtr(4)}}, []FloorNote{
			{"regions[2].window_days", []string{"MX"}, "window_days", 4, 5, "MX", FloorBusinessDays}}},
		{"Mexico five days ok", Region{Countries: []string{"MX"}, Rules: Rules{WindowDays: vPtr(5)}}, nil},
		{"Japan: no statutory right on this portal", Region{Countries: []string{"JP"}, Rules: Rules{WindowDays: vPtr(0)}}, nil},
		{"US: no right", Region{Countries: []string{"US"}, Rules: Rules{WindowDays: vPtr(0), RestockingFeePercent: vPtr(20)}}, nil},
		{"Korea fees", Region{Countries: []string{"KR"}, Rules: Rules{RestockingFeePercent: vPtr(15)}}, []FloorNote{
			{"regions[2].restocking_fee_percent", []string{"KR"}, "restocking_fee_percent", 15, 0, "KR", FloorStatutoryItems}}},
		{"China fees allowed", Region{Countries: []string{"CN"}, Rules: Rules{RestockingFeePercent: vPtr(15)}}, nil},
		{"same means", Region{Countries: []string{"GB", "KR"}, Rules: Rules{RefundMethods: &[]string{"store_credit"}}}, []FloorNote{
			{"regions[2].refund_methods", []string{"GB"}, "refund_methods", []string{"store_credit"}, "original_payment", "GB", FloorStatutoryItems}}},
		{"merchant pays return shipping", Region{Countries: []string{"TR"}, Rules: Rules{ReturnShippingFee: &map[string]int64{"TRY": 5000}}}, []FloorNote{
			{"regions[2].return_shipping_fee", []string{"TR"}, "return_shipping_fee", map[string]int64{"TRY": 5000}, map[string]int64{}, "TR", FloorStatutoryItems}}},
		{"zero fee is free", Region{Countries: []string{"BR"}, Rules: Rules{ReturnShippingFee: &map[string]int64{"BRL": 0}}}, nil},
		{"final sale and exclusions in the EEA", Region{Countries: []string{"IS"}, Rules: Rules{
			FinalSaleReturnable: vPtr(false), ExcludedCategories: &[]string{"swimwear"}}}, []FloorNote{
			{"regions[2].excluded_categories", []string{"IS"}, "excluded_categories", []string{"swimwear"}, []string{}, "EEA_EFTA", FloorInsideStatutoryWindow},
			{"regions[2].final_sale_returnable", []string{"IS"}, "final_sale_returnable", false, true, "EEA_EFTA", FloorInsideStatutoryWindow}}},
		{"final sale where the data is silent", Region{Countries: []string{"TR", "RU"}, Rules: Rules{FinalSaleReturnable: vPtr(false)}}, nil},
		{"region inherits, default is named", Region{Countries: []string{"SE"}, Rules: Rules{AutoApprove: vPtr(false)}}, nil},
		{"first region wins", Region{Countries: []string{"US", "CA", "IE"}, Rules: Rules{WindowDays: vPtr(1)}}, []FloorNote{
			{"regions[2].window_days", []string{"IE"}, "window_days", 1, 14, "EU", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := valGenerousPolicy(t)
			p.Regions = append(p.Regions, tt.region)
			if fe := ValidatePolicy(p, LoadLegal()); fe != nil {
				t.Fatalf("policy invalid: %v", fe)
			}
			got := FloorNotes(p, LoadLegal())
			if len(got) != len(tt.want) {
				t.Fatalf("got %d notes, want %d:\n%s", len(got), len(tt.want), valDumpNotes(got))
			}
			for i := range tt.want {
				if !reflect.DeepEqual(got[i], tt.want[i]) {
					t.Errorf("[%d]\n got %+v\nwant %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// A default that is short everywhere names the default, with the countries
// that the regions leave to it.
func TestFloorNotesDefault(t *testing.T) {
	p := valGenerousPolicy(t)
	p.Default.WindowDays = vPtr(6)
	p.Regions = append(p.Regions, Region{Countries: []string{"EU"}, Rules: Rules{WindowDays: vPtr(30)}})
	got := FloorNotes(p, LoadLegal())
	var markets []string
	for _, n := range got {
		if n.Path != "default.window_days" || n.LegalValue == nil {
			t.Errorf("unexpected note %+v", n)
		}
		markets = append(markets, n.Market)
	}
	// CN, KR, RU, SA have 7 days, BR 7, MX 5 business days (6 ≥ 5: none).
	want := []string{"BR", "CN", "EEA_EFTA", "GB", "KR", "RU", "SA", "TR"}
	if !slices.Equal(markets, want) {
		t.Errorf("markets %v, want %v", markets, want)
	}
}

func TestFloorNoteJSON(t *testing.T) {
	n := FloorNote{Path: "regions[2].window_days", Countries: []string{"DE"}, Field: "window_days",
		MerchantValue: 7, LegalValue: 14, Market: "EU"}
	b, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"path":"regions[2].window_days","countries":["DE"],"field":"window_days","merchant_value":7,"legal_value":14,"market":"EU"}`
	if string(b) != want {
		t.Errorf("got %s\nwant %s", b, want)
	}
}
