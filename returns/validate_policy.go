package returns

import (
	"regexp"
	"slices"
	"strings"

	"github.com/bojanz/currency"
	"golang.org/x/text/language"
)

// BuiltinReasons are the reason codes translated in locales/. A policy lists
// the reasons it offers, built-in or its own; whether a reason is the
// merchant's fault is set by the policy document, never implied by the code,
// except for ReasonWithdrawal: never the merchant's fault, accepted on
// statutory lines even when the policy does not list it (withdrawal.go).
var BuiltinReasons = []string{"changed_mind", "wrong_size", "damaged", "defective",
	"not_as_described", "wrong_item", "arrived_late", "other", ReasonWithdrawal}

// IsBuiltinReason reports whether code is one of BuiltinReasons.
func IsBuiltinReason(code string) bool { return slices.Contains(BuiltinReasons, code) }

// RefundMethods are the refund methods a policy may offer.
var RefundMethods = []string{MethodOriginalPayment, MethodStoreCredit, MethodBankTransfer}

// Limits of a policy document.
const (
	maxWindowDays = 3650
	maxPercent    = 100
)

var reasonCodeRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// ValidatePolicy checks a policy document as imported or PUT and returns
// every invalid field by its JSON path, or nil. legal supplies the country
// groups regions may name.
func ValidatePolicy(p Policy, legal *Legal) FieldErrors {
	var fe FieldErrors
	hubs := make(map[string]bool, len(p.Hubs))
	for _, h := range p.Hubs {
		if h.Code != "" {
			hubs[h.Code] = true
		}
	}

	d := p.Default
	if d.WindowDays == nil {
		fe.add("default.window_days", FieldRequired)
	}
	if d.RefundMethods == nil {
		fe.add("default.refund_methods", FieldRequired)
	}
	if d.Hub == nil {
		fe.add("default.hub", FieldRequired)
	}
	validateRules(&fe, "default", d, hubs)

	for i, r := range p.Regions {
		path := fieldPath("regions", i)
		if len(r.Countries) == 0 {
			fe.add(fieldPath(path, "countries"), FieldRequired)
		}
		for j, c := range r.Countries {
			if c == "" {
				fe.add(fieldPath(path, "countries", j), FieldRequired)
			} else if _, group := legal.Groups[c]; !group && !ValidCountry(c) {
				fe.add(fieldPath(path, "countries", j), FieldUnknownCountry)
			}
		}
		validateRules(&fe, path, r.Rules, hubs)
	}

	if len(p.Reasons) == 0 {
		fe.add("reasons", FieldRequired)
	}
	codes := make(map[string]bool, len(p.Reasons))
	for i, r := range p.Reasons {
		path := fieldPath("reasons", i)
		switch {
		case r.Code == "":
			fe.add(fieldPath(path, "code"), FieldRequired)
		case !reasonCodeRE.MatchString(r.Code):
			fe.add(fieldPath(path, "code"), FieldInvalid)
		case codes[r.Code]:
			fe.add(fieldPath(path, "code"), FieldDuplicate)
		default:
			codes[r.Code] = true
		}
		for _, tag := range valSortedKeys(r.Labels) {
			lp := fieldPath(path, "labels", tag)
			if _, err := language.Parse(tag); err != nil || len(tag) > maxLocale {
				fe.add(lp, FieldInvalid)
				continue
			}
			checkText(&fe, lp, r.Labels[tag], maxText)
		}
		if r.Code != "" && !IsBuiltinReason(r.Code) && strings.TrimSpace(r.Labels["en"]) == "" {
			fe.add(fieldPath(path, "labels", "en"), FieldLabelRequired)
		}
	}

	seen := make(map[string]bool, len(p.Hubs))
	for i, h := range p.Hubs {
		path := fieldPath("hubs", i)
		switch {
		case h.Code == "":
			fe.add(fieldPath(path, "code"), FieldRequired)
		case seen[h.Code]:
			fe.add(fieldPath(path, "code"), FieldDuplicate)
		case len(h.Code) > maxID || strings.ContainsAny(h.Code, " /?#") || hasControl(h.Code):
			fe.add(fieldPath(path, "code"), FieldInvalid)
		}
		seen[h.Code] = true
		if strings.TrimSpace(h.Name) == "" {
			fe.add(fieldPath(path, "name"), FieldRequired)
		} else {
			checkText(&fe, fieldPath(path, "name"), h.Name, maxText)
		}
		a := fieldPath(path, "address")
		if strings.TrimSpace(h.Address.Line1) == "" {
			fe.add(fieldPath(a, "line1"), FieldRequired)
		}
		if strings.TrimSpace(h.Address.City) == "" {
			fe.add(fieldPath(a, "city"), FieldRequired)
		}
		switch {
		case h.Address.Country == "":
			fe.add(fieldPath(a, "country"), FieldRequired)
		case !ValidCountry(h.Address.Country):
			fe.add(fieldPath(a, "country"), FieldUnknownCountry)
		}
		if h.Address.Region != "" && !validSubdivision(h.Address.Region) {
			fe.add(fieldPath(a, "region"), FieldInvalid)
		}
		checkText(&fe, fieldPath(a, "line1"), h.Address.Line1, maxText)
		checkText(&fe, fieldPath(a, "line2"), h.Address.Line2, maxText)
		checkText(&fe, fieldPath(a, "city"), h.Address.City, maxText)
		checkText(&fe, fieldPath(a, "postal_code"), h.Address.PostalCode, maxID)
		checkText(&fe, fieldPath(path, "carrier"), h.Carrier, maxID)
		checkText(&fe, fieldPath(path, "service"), h.Service, maxID)
		checkText(&fe, fieldPath(path, "account_note"), h.AccountNote, maxText)
		validateHubLabels(&fe, path, h)
	}

	if x := p.HolidayExtension; x != nil {
		for _, f := range []struct{ name, v string }{{"from", x.From}, {"to", x.To}, {"until", x.Until}} {
			path := fieldPath("holiday_extension", f.name)
			if f.v == "" {
				fe.add(path, FieldRequired)
			} else if !validMonthDay(f.v) {
				fe.add(path, FieldInvalid)
			}
		}
	}
	validateReturnless(&fe, p.Returnless, codes)
	validateReviewRules(&fe, p.ReviewRules, codes, legal)
	if len(fe) == 0 {
		return nil
	}
	return fe
}

// validateRules checks the fields a default or region entry sets.
func validateRules(fe *FieldErrors, path string, r Rules, hubs map[string]bool) {
	days := func(name string, v *int, max int) {
		switch {
		case v == nil:
		case *v < 0:
			fe.add(fieldPath(path, name), FieldNegative)
		case *v > max:
			fe.add(fieldPath(path, name), FieldOutOfRange)
		}
	}
	days("window_days", r.WindowDays, maxWindowDays)
	if r.WindowStarts != nil {
		switch *r.WindowStarts {
		case StartDelivery, StartShipment, StartOrder:
		default:
			fe.add(fieldPath(path, "window_starts"), FieldInvalid)
		}
	}
	if r.WindowEndRule != nil {
		switch *r.WindowEndRule {
		case PeriodEndAsCounted, PeriodEndNextWorkingDay:
		default:
			fe.add(fieldPath(path, "window_end_rule"), FieldInvalid)
		}
	}
	if r.RefundMethods != nil {
		if len(*r.RefundMethods) == 0 {
			fe.add(fieldPath(path, "refund_methods"), FieldRequired)
		}
		for j, m := range *r.RefundMethods {
			mp := fieldPath(path, "refund_methods", j)
			switch {
			case m == MethodExchange:
				fe.add(mp, FieldNotSupported)
			case !slices.Contains(RefundMethods, m):
				fe.add(mp, FieldUnknownMethod)
			case slices.Index(*r.RefundMethods, m) < j:
				fe.add(mp, FieldDuplicate)
			}
		}
	}
	days("store_credit_bonus_percent", r.StoreCreditBonusPercent, maxPercent)
	days("restocking_fee_percent", r.RestockingFeePercent, maxPercent)
	if r.ReturnShippingFee != nil {
		for _, cur := range valSortedKeys(*r.ReturnShippingFee) {
			fp := fieldPath(path, "return_shipping_fee", cur)
			if cur == "" || !currency.IsValid(cur) {
				fe.add(fp, FieldUnknownCurrency)
				continue
			}
			checkAmount(fe, fp, (*r.ReturnShippingFee)[cur])
		}
	}
	if r.ExcludedCategories != nil {
		for j, c := range *r.ExcludedCategories {
			cp := fieldPath(path, "excluded_categories", j)
			if c == "" {
				fe.add(cp, FieldRequired)
			} else {
				checkText(fe, cp, c, maxID)
			}
		}
	}
	if r.Hub != nil {
		switch {
		case *r.Hub == "":
			fe.add(fieldPath(path, "hub"), FieldRequired)
		case !hubs[*r.Hub]:
			fe.add(fieldPath(path, "hub"), FieldUnknownHub)
		}
	}
	days("transit_days", r.TransitDays, maxWindowDays)
	days("inspection_days", r.InspectionDays, maxWindowDays)
	days("drop_off_days", r.DropOffDays, maxWindowDays)
	if x := r.Exchanges; x != nil && x.SamePriceOnly != nil && !*x.SamePriceOnly {
		// Price differences are not charged or refunded yet.
		fe.add(fieldPath(path, "exchanges", "same_price_only"), FieldNotSupported)
	}
	validateRefundTrigger(fe, path, r)
}

// validateHubLabels checks how a hub's labels are made: a known provider;
// an own label whose postage the merchant pays names the account that pays
// it; Sendcloud needs the shipping option (the hub's service) to buy with.
func validateHubLabels(fe *FieldErrors, path string, h Hub) {
	if h.LabelProvider != "" && !validLabelProvider(h.LabelProvider) {
		fe.add(fieldPath(path, "label_provider"), FieldInvalid)
		return
	}
	switch h.Provider() {
	case LabelProviderOwn:
		if h.PostagePaid && strings.TrimSpace(h.AccountNote) == "" {
			fe.add(fieldPath(path, "account_note"), FieldRequired)
		}
	case LabelProviderSendcloud:
		if strings.TrimSpace(h.Service) == "" {
			fe.add(fieldPath(path, "service"), FieldRequired)
		}
	}
}

// validMonthDay accepts "MM-DD" of a real calendar day, 29 February included.
func validMonthDay(s string) bool {
	if len(s) != 5 || s[2] != '-' || !isASCIIDigit(s[0]) || !isASCIIDigit(s[1]) || !isASCIIDigit(s[3]) || !isASCIIDigit(s[4]) {
		return false
	}
	m := int(s[0]-'0')*10 + int(s[1]-'0')
	d := int(s[3]-'0')*10 + int(s[4]-'0')
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= [...]int{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m-1]
}

func valSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
