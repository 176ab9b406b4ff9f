package returns

import (
	"github.com/bojanz/currency"
)

// maxPolicyRules bounds the returnless and review rules of a policy.
const maxPolicyRules = 100

// validateReturnless checks the policy's returnless rules: each names at
// least one currency's limit (a known currency, an amount that is not
// negative), categories as plain text and reasons the policy offers.
func validateReturnless(fe *FieldErrors, rules []ReturnlessRule, reasons map[string]bool) {
	if len(rules) > maxPolicyRules {
		fe.add("returnless", FieldTooLarge)
		return
	}
	for i, r := range rules {
		path := fieldPath("returnless", i)
		validateAmounts(fe, fieldPath(path, "max_item_value"), r.MaxItemValue)
		for j, c := range r.Categories {
			if c == "" {
				fe.add(fieldPath(path, "categories", j), FieldRequired)
			} else {
				checkText(fe, fieldPath(path, "categories", j), c, maxID)
			}
		}
		validateReasonCodes(fe, fieldPath(path, "reasons"), r.Reasons, reasons)
	}
}

// validateReviewRules checks the policy's review rules: a known kind, and
// the fields that kind needs.
func validateReviewRules(fe *FieldErrors, rules []ReviewRule, reasons map[string]bool, legal *Legal) {
	if len(rules) > maxPolicyRules {
		fe.add("review_rules", FieldTooLarge)
		return
	}
	for i, r := range rules {
		path := fieldPath("review_rules", i)
		switch r.Rule {
		case RuleReturnsByEmail:
			switch {
			case r.MoreThan < 0:
				fe.add(fieldPath(path, "more_than"), FieldNegative)
			case r.MoreThan > maxQuantity:
				fe.add(fieldPath(path, "more_than"), FieldOutOfRange)
			}
			switch {
			case r.Days <= 0:
				fe.add(fieldPath(path, "days"), FieldRequired)
			case r.Days > maxWindowDays:
				fe.add(fieldPath(path, "days"), FieldOutOfRange)
			}
		case RuleOrderValue:
			validateAmounts(fe, fieldPath(path, "above"), r.Above)
		case RuleReason:
			if len(r.Reasons) == 0 {
				fe.add(fieldPath(path, "reasons"), FieldRequired)
			}
			validateReasonCodes(fe, fieldPath(path, "reasons"), r.Reasons, reasons)
		case RuleCountry:
			if len(r.Countries) == 0 {
				fe.add(fieldPath(path, "countries"), FieldRequired)
			}
			for j, c := range r.Countries {
				if _, group := legal.Groups[c]; !group && !ValidCountry(c) {
					fe.add(fieldPath(path, "countries", j), FieldUnknownCountry)
				}
			}
		case RuleBlockList:
			if len(r.Emails) == 0 && len(r.Addresses) == 0 {
				fe.add(fieldPath(path, "emails"), FieldRequired)
			}
			for j, e := range r.Emails {
				if len(e) > maxEmail || hasDirectionControl(e) || !plausibleEmail(e) {
					fe.add(fieldPath(path, "emails", j), FieldInvalid)
				}
			}
			for j, a := range r.Addresses {
				ap := fieldPath(path, "addresses", j)
				if addressKey(a.Line1) == "" {
					fe.add(fieldPath(ap, "line1"), FieldRequired)
				} else {
					checkText(fe, fieldPath(ap, "line1"), a.Line1, maxText)
				}
				checkText(fe, fieldPath(ap, "postal_code"), a.PostalCode, maxID)
				switch {
				case a.Country == "":
					fe.add(fieldPath(ap, "country"), FieldRequired)
				case !ValidCountry(a.Country):
					fe.add(fieldPath(ap, "country"), FieldUnknownCountry)
				}
			}
		case "":
			fe.add(fieldPath(path, "rule"), FieldRequired)
		default:
			fe.add(fieldPath(path, "rule"), FieldInvalid)
		}
	}
}

// validateAmounts checks a map of amounts by currency: at least one, each
// a known currency and an amount that is not negative.
func validateAmounts(fe *FieldErrors, path string, amounts map[string]int64) {
	if len(amounts) == 0 {
		fe.add(path, FieldRequired)
	}
	for _, cur := range valSortedKeys(amounts) {
		if cur == "" || !currency.IsValid(cur) {
			fe.add(fieldPath(path, cur), FieldUnknownCurrency)
			continue
		}
		checkAmount(fe, fieldPath(path, cur), amounts[cur])
	}
}

// validateReasonCodes checks that every code names a reason the policy
// offers (or a built-in one).
func validateReasonCodes(fe *FieldErrors, path string, codes []string, reasons map[string]bool) {
	for j, c := range codes {
		if !reasons[c] && !IsBuiltinReason(c) {
			fe.add(fieldPath(path, j), FieldInvalid)
		}
	}
}
