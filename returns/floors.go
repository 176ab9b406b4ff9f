package returns

import (
	"cmp"
	"slices"
	"strings"
)

// FloorNote is a place where the law of a market raises a value of the
// merchant's policy, for the admin and the answer of PUT /api/v1/policy.
// Path is the JSON path of the policy field whose value the law raises (the
// region entry that sets the field, else the default); Countries are the
// countries governed by Market where that happens.
type FloorNote struct {
	Path          string   `json:"path"`
	Countries     []string `json:"countries"`
	Field         string   `json:"field"`
	MerchantValue any      `json:"merchant_value"`
	LegalValue    any      `json:"legal_value"`
	Market        string   `json:"market"`
	// Note qualifies the floor with a code: FloorBusinessDays,
	// FloorStatutoryItems or FloorInsideStatutoryWindow.
	Note string `json:"note,omitempty"`
}

// Codes of FloorNote.Note.
const (
	// FloorBusinessDays: the law counts business days (Monday to Friday), the
	// merchant calendar days; the days were compared as numbers.
	FloorBusinessDays = "business_days"
	// FloorStatutoryItems: the floor holds for items returned on the
	// statutory basis; the merchant's value still applies beyond it.
	FloorStatutoryItems = "statutory_items"
	// FloorInsideStatutoryWindow: the floor holds inside the statutory
	// withdrawal window; the merchant's value applies after it.
	FloorInsideStatutoryWindow = "inside_statutory_window"
)

// Rules fields that FloorNotes reports.
var floorFields = []string{"window_days", "restocking_fee_percent", "refund_methods",
	"return_shipping_fee", "final_sale_returnable", "excluded_categories"}

// FloorNotes lists where the legal floors of the markets with a statutory
// withdrawal right raise the merchant's policy: one note per policy field,
// market and entry that sets the field, with the countries concerned (sorted),
// the notes sorted by path (default first, then regions in document order,
// then field name), then market.
// Markets without a right on this portal (Japan's applies only where no
// policy is displayed) and subdivisions (US-CA) are skipped.
func FloorNotes(p Policy, legal *Legal) []FloorNote {
	type key struct {
		entry  int // -1 for the default, else the region index
		field  int // index in floorFields
		market string
	}
	notes := map[key]*FloorNote{}
	add := func(region int, field string, m *Market, country string, merchant, legalValue any, note string) {
		entry := -1
		if region >= 0 && setsField(p.Regions[region].Rules, field) {
			entry = region
		}
		k := key{entry, slices.Index(floorFields, field), m.Code}
		n := notes[k]
		if n == nil {
			path := "default." + field
			if entry >= 0 {
				path = fieldPath("regions", entry, field)
			}
			n = &FloorNote{Path: path, Field: field, MerchantValue: merchant,
				LegalValue: legalValue, Market: m.Code, Note: note}
			notes[k] = n
		}
		n.Countries = append(n.Countries, country)
	}

	for i := range legal.Markets {
		m := &legal.Markets[i]
		w := m.StatutoryWithdrawal()
		if w == nil || strings.Contains(m.Code, "-") {
			continue
		}
		countries := []string{m.Code}
		if members, ok := legal.Groups[m.Code]; ok {
			countries = slices.Sorted(slices.Values(members))
		}
		for _, c := range countries {
			if legal.For(c, "") != m {
				continue // a country with its own entry is governed by it
			}
			e := p.Effective(legal, c)
			r := e.Region
			if e.WindowDays < w.Days {
				note := ""
				if w.Unit == "business" {
					note = FloorBusinessDays
				}
				add(r, "window_days", m, c, e.WindowDays, w.Days, note)
			}
			if e.RestockingFeePercent > 0 && !m.FeesAllowed() {
				add(r, "restocking_fee_percent", m, c, e.RestockingFeePercent, 0, FloorStatutoryItems)
			}
			if m.SameMeansRequired() && !slices.Contains(e.RefundMethods, MethodOriginalPayment) {
				add(r, "refund_methods", m, c, e.RefundMethods, MethodOriginalPayment, FloorStatutoryItems)
			}
			if m.ReturnShippingPayerDefault == "merchant" && anyPositive(e.ReturnShippingFee) {
				add(r, "return_shipping_fee", m, c, e.ReturnShippingFee, map[string]int64{}, FloorStatutoryItems)
			}
			if f := m.FinalSaleOverridesWithdrawal; f != nil && !*f {
				if !e.FinalSaleReturnable {
					add(r, "final_sale_returnable", m, c, false, true, FloorInsideStatutoryWindow)
				}
				if len(e.ExcludedCategories) > 0 {
					add(r, "excluded_categories", m, c, e.ExcludedCategories, []string{}, FloorInsideStatutoryWindow)
				}
			}
		}
	}

	keys := make([]key, 0, len(notes))
	for k := range notes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.entry, b.entry),
			cmp.Compare(floorFields[a.field], floorFields[b.field]),
			cmp.Compare(a.market, b.market))
	})
	out := make([]FloorNote, 0, len(keys))
	for _, k := range keys {
		n := notes[k]
		slices.Sort(n.Countries)
		out = append(out, *n)
	}
	return out
}

// setsField reports whether a rules entry sets the named field.
func setsField(r Rules, field string) bool {
	switch field {
	case "window_days":
		return r.WindowDays != nil
	case "restocking_fee_percent":
		return r.RestockingFeePercent != nil
	case "refund_methods":
		return r.RefundMethods != nil
	case "return_shipping_fee":
		return r.ReturnShippingFee != nil
	case "final_sale_returnable":
		return r.FinalSaleReturnable != nil
	case "excluded_categories":
		return r.ExcludedCategories != nil
	}
	return false
}

func anyPositive(m map[string]int64) bool {
	for _, v := range m {
		if v > 0 {
			return true
		}
	}
	return false
}
