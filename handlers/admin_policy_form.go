package handlers

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bojanz/currency"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// The policy editor's form and the policy document, both ways, as pure
// functions: policyToForm and policyFormValues render a document into form
// values; parsePolicyForm and formToPolicy read them back. The input names
// are the JSON paths of the fields, so that ValidatePolicy's errors and
// FloorNotes' paths point at inputs (formKey).

// maxFormRows bounds the regions, reasons and hubs a form may hold: an
// index like regions[99999999] must not allocate.
const maxFormRows = 200

// rulesPrefixDefault is the input name prefix of the defaults.
const rulesPrefixDefault = "default"

// policyToForm renders a policy into the editor's form. langs are the
// languages that get a label input per reason (labels in other languages
// are kept after them).
func policyToForm(p returns.Policy, langs []string) views.PolicyForm {
	f := views.PolicyForm{Default: rulesToForm(p.Default)}
	for _, r := range p.Regions {
		f.Regions = append(f.Regions, views.RegionForm{Countries: strings.Join(r.Countries, ", "), Rules: rulesToForm(r.Rules)})
	}
	for _, r := range p.Reasons {
		rf := views.ReasonForm{Code: r.Code, MerchantFault: r.MerchantFault, PhotoRequired: r.PhotoRequired}
		for tag, text := range r.Labels {
			rf.Labels = append(rf.Labels, views.LabelRow{Lang: tag, Text: text})
		}
		rf.Labels = withLabelLangs(rf.Labels, langs)
		f.Reasons = append(f.Reasons, rf)
	}
	for _, h := range p.Hubs {
		f.Hubs = append(f.Hubs, views.HubForm{Code: h.Code, Name: h.Name, Line1: h.Address.Line1, Line2: h.Address.Line2,
			City: h.Address.City, PostalCode: h.Address.PostalCode, Region: h.Address.Region, Country: h.Address.Country,
			Carrier: h.Carrier, Service: h.Service, AccountNote: h.AccountNote, LabelProvider: h.Provider(),
			PostagePaid: h.PostagePaid})
	}
	if x := p.HolidayExtension; x != nil {
		f.Holiday, f.HolidayFrom, f.HolidayTo, f.HolidayUntil = true, x.From, x.To, x.Until
	}
	keepToForm(&f, p) // admin_policy_keep.go
	return f
}

// withLabelLangs orders label rows: one per language of langs (empty where
// missing), then the others by tag.
func withLabelLangs(rows []views.LabelRow, langs []string) []views.LabelRow {
	out := make([]views.LabelRow, 0, len(langs)+len(rows))
	for _, l := range langs {
		row := views.LabelRow{Lang: l}
		for _, r := range rows {
			if r.Lang == l {
				row.Text = r.Text
			}
		}
		out = append(out, row)
	}
	var extra []views.LabelRow
	for _, r := range rows {
		if !slices.Contains(langs, r.Lang) {
			extra = append(extra, r)
		}
	}
	slices.SortFunc(extra, func(a, b views.LabelRow) int { return strings.Compare(a.Lang, b.Lang) })
	return append(out, extra...)
}

func rulesToForm(r returns.Rules) views.RulesForm {
	itoa := func(v *int) string {
		if v == nil {
			return ""
		}
		return strconv.Itoa(*v)
	}
	str := func(v *string) string {
		if v == nil {
			return ""
		}
		return *v
	}
	boolean := func(v *bool) string {
		if v == nil {
			return ""
		}
		return strconv.FormatBool(*v)
	}
	f := views.RulesForm{WindowDays: itoa(r.WindowDays), WindowStarts: str(r.WindowStarts), WindowEndRule: str(r.WindowEndRule),
		Bonus: itoa(r.StoreCreditBonusPercent), Restocking: itoa(r.RestockingFeePercent),
		FinalSale: boolean(r.FinalSaleReturnable), Hub: str(r.Hub), TransitDays: itoa(r.TransitDays),
		InspectionDays: itoa(r.InspectionDays), DropOffDays: itoa(r.DropOffDays), AutoApprove: boolean(r.AutoApprove),
		DropOffReminder: boolean(r.DropOffReminder), ReceiveOnDelivery: boolean(r.ReceiveOnDelivery), RefundTrigger: str(r.RefundTrigger)}
	if r.RefundTriggerMax != nil {
		f.TriggerMaxSet = true
		limits := *r.RefundTriggerMax
		for _, cur := range sortedKeys(limits) {
			f.TriggerMax = append(f.TriggerMax, views.FeeRow{Currency: cur, Amount: majorUnits(limits[cur], cur)})
		}
	}
	if r.RefundMethods != nil {
		f.MethodsSet, f.Methods = true, slices.Clone(*r.RefundMethods)
	}
	if r.ReturnShippingFee != nil {
		f.FeesSet = true
		fees := *r.ReturnShippingFee
		for _, cur := range sortedKeys(fees) {
			f.Fees = append(f.Fees, views.FeeRow{Currency: cur, Amount: majorUnits(fees[cur], cur)})
		}
	}
	if r.ExcludedCategories != nil {
		f.ExcludedSet, f.Excluded = true, strings.Join(*r.ExcludedCategories, ", ")
	}
	if x := r.Exchanges; x != nil {
		f.Exchanges, f.ExchangesFree = strconv.FormatBool(x.Enabled), x.FreeReturnShipping
		f.ExchangesSamePrice = x.SamePriceOnly != nil && *x.SamePriceOnly
	}
	return f
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// majorUnits writes minor units as the currency's decimal number ("4.95",
// "800" yen, "1.500" dinars).
func majorUnits(minor int64, cur string) string {
	a, err := currency.NewAmountFromInt64(minor, cur)
	if err != nil {
		return strconv.FormatInt(minor, 10)
	}
	return a.Number()
}

// policyFormValues writes the form as the browser would submit it.
func policyFormValues(f views.PolicyForm) url.Values {
	v := url.Values{}
	rulesValues(v, rulesPrefixDefault, f.Default, false)
	for i, r := range f.Regions {
		p := "regions[" + strconv.Itoa(i) + "]"
		v.Set(p+".countries", r.Countries)
		rulesValues(v, p, r.Rules, true)
	}
	for i, r := range f.Reasons {
		p := "reasons[" + strconv.Itoa(i) + "]"
		v.Set(p+".code", r.Code)
		if r.MerchantFault {
			v.Set(p+".merchant_fault", "true")
		}
		if r.PhotoRequired {
			v.Set(p+".photo_required", "true")
		}
		for _, l := range r.Labels {
			v.Set(p+".labels."+l.Lang, l.Text)
		}
	}
	for i, h := range f.Hubs {
		p := "hubs[" + strconv.Itoa(i) + "]"
		for name, val := range map[string]string{"code": h.Code, "name": h.Name, "address.line1": h.Line1,
			"address.line2": h.Line2, "address.city": h.City, "address.postal_code": h.PostalCode,
			"address.region": h.Region, "address.country": h.Country, "carrier": h.Carrier,
			"service": h.Service, "account_note": h.AccountNote, "label_provider": h.LabelProvider} {
			v.Set(p+"."+name, val)
		}
		if h.PostagePaid {
			v.Set(p+".postage_paid", "true")
		}
	}
	if f.Holiday {
		v.Set("holiday_extension", "true")
	}
	v.Set("holiday_extension.from", f.HolidayFrom)
	v.Set("holiday_extension.to", f.HolidayTo)
	v.Set("holiday_extension.until", f.HolidayUntil)
	keepValues(v, f)
	return v
}

func rulesValues(v url.Values, p string, r views.RulesForm, region bool) {
	v.Set(p+".window_days", r.WindowDays)
	v.Set(p+".window_starts", r.WindowStarts)
	v.Set(p+".window_end_rule", r.WindowEndRule)
	if region && r.MethodsSet {
		v.Set(p+".refund_methods.set", "true")
	}
	for _, m := range r.Methods {
		v.Add(p+".refund_methods", m)
	}
	v.Set(p+".store_credit_bonus_percent", r.Bonus)
	v.Set(p+".restocking_fee_percent", r.Restocking)
	if region && r.FeesSet {
		v.Set(p+".return_shipping_fee.set", "true")
	}
	for _, fee := range r.Fees {
		v.Add(p+".return_shipping_fee.currency", fee.Currency)
		v.Add(p+".return_shipping_fee.amount", fee.Amount)
	}
	if region && r.ExcludedSet {
		v.Set(p+".excluded_categories.set", "true")
	}
	v.Set(p+".excluded_categories", r.Excluded)
	v.Set(p+".final_sale_returnable", r.FinalSale)
	v.Set(p+".hub", r.Hub)
	v.Set(p+".transit_days", r.TransitDays)
	v.Set(p+".inspection_days", r.InspectionDays)
	v.Set(p+".drop_off_days", r.DropOffDays)
	v.Set(p+".auto_approve", r.AutoApprove)
	v.Set(p+".drop_off_reminder", r.DropOffReminder)
	v.Set(p+".receive_on_delivery", r.ReceiveOnDelivery)
	v.Set(p+".refund_trigger", r.RefundTrigger)
	if region && r.TriggerMaxSet {
		v.Set(p+".refund_trigger_max.set", "true")
	}
	for _, l := range r.TriggerMax {
		v.Add(p+".refund_trigger_max.currency", l.Currency)
		v.Add(p+".refund_trigger_max.amount", l.Amount)
	}
	if region {
		regionExchangeValues(v, p, r)
	}
}

var rowKeyRE = regexp.MustCompile(`^(regions|reasons|hubs)\[(\d{1,4})\]\.`)

// parsePolicyForm reads the submitted form (langs as for policyToForm).
// Text is trimmed; nothing is validated here.
func parsePolicyForm(v url.Values, langs []string) views.PolicyForm {
	count := map[string]int{}
	labels := map[int][]views.LabelRow{}
	for key := range v {
		m := rowKeyRE.FindStringSubmatch(key)
		if m == nil {
			continue
		}
		i, _ := strconv.Atoi(m[2])
		if i >= maxFormRows {
			continue
		}
		count[m[1]] = max(count[m[1]], i+1)
		if m[1] == "reasons" {
			if tag, ok := strings.CutPrefix(key[len(m[0]):], "labels."); ok && tag != "" {
				labels[i] = append(labels[i], views.LabelRow{Lang: tag, Text: strings.TrimSpace(v.Get(key))})
			}
		}
	}
	get := func(key string) string { return strings.TrimSpace(v.Get(key)) }
	f := views.PolicyForm{Default: parseRules(v, rulesPrefixDefault, false)}
	for i := range count["regions"] {
		p := "regions[" + strconv.Itoa(i) + "]"
		f.Regions = append(f.Regions, views.RegionForm{Countries: get(p + ".countries"), Rules: parseRules(v, p, true)})
	}
	for i := range count["reasons"] {
		p := "reasons[" + strconv.Itoa(i) + "]"
		f.Reasons = append(f.Reasons, views.ReasonForm{Code: get(p + ".code"),
			MerchantFault: get(p+".merchant_fault") == "true", PhotoRequired: get(p+".photo_required") == "true",
			Labels: withLabelLangs(labels[i], langs)})
	}
	for i := range count["hubs"] {
		p := "hubs[" + strconv.Itoa(i) + "]."
		f.Hubs = append(f.Hubs, views.HubForm{Code: get(p + "code"), Name: get(p + "name"),
			Line1: get(p + "address.line1"), Line2: get(p + "address.line2"), City: get(p + "address.city"),
			PostalCode: get(p + "address.postal_code"), Region: get(p + "address.region"),
			Country: get(p + "address.country"), Carrier: get(p + "carrier"), Service: get(p + "service"),
			AccountNote: get(p + "account_note"), LabelProvider: get(p + "label_provider"),
			PostagePaid: get(p+"postage_paid") == "true"})
	}
	f.Holiday = get("holiday_extension") == "true"
	f.HolidayFrom, f.HolidayTo, f.HolidayUntil = get("holiday_extension.from"), get("holiday_extension.to"), get("holiday_extension.until")
	parseKeep(&f, get)
	return f
}

func parseRules(v url.Values, p string, region bool) views.RulesForm {
	get := func(name string) string { return strings.TrimSpace(v.Get(p + "." + name)) }
	r := views.RulesForm{WindowDays: get("window_days"), WindowStarts: get("window_starts"), WindowEndRule: get("window_end_rule"),
		Bonus: get("store_credit_bonus_percent"), Restocking: get("restocking_fee_percent"),
		Excluded: get("excluded_categories"), FinalSale: get("final_sale_returnable"), Hub: get("hub"),
		TransitDays: get("transit_days"), InspectionDays: get("inspection_days"), DropOffDays: get("drop_off_days"),
		AutoApprove: get("auto_approve"), DropOffReminder: get("drop_off_reminder"), ReceiveOnDelivery: get("receive_on_delivery"), RefundTrigger: get("refund_trigger")}
	r.TriggerMax = currencyRows(v, p+".refund_trigger_max")
	for _, m := range v[p+".refund_methods"] {
		if m = strings.TrimSpace(m); m != "" {
			r.Methods = append(r.Methods, m)
		}
	}
	r.Fees = currencyRows(v, p+".return_shipping_fee")
	if region {
		r.MethodsSet = get("refund_methods.set") == "true"
		r.FeesSet = get("return_shipping_fee.set") == "true"
		r.ExcludedSet = get("excluded_categories.set") == "true"
		r.TriggerMaxSet = get("refund_trigger_max.set") == "true"
		parseRegionExchanges(&r, get)
	} else {
		// The defaults always set the methods; fees, exclusions and
		// limits when there are any.
		r.MethodsSet, r.FeesSet, r.ExcludedSet = true, len(r.Fees) > 0, r.Excluded != ""
		r.TriggerMaxSet = len(r.TriggerMax) > 0
	}
	return r
}

// currencyRows reads the rows of an amount per currency (the return
// shipping fees, the refund trigger's limits), the empty ones left out.
func currencyRows(v url.Values, name string) []views.FeeRow {
	var rows []views.FeeRow
	curs, amts := v[name+".currency"], v[name+".amount"]
	for i := range max(len(curs), len(amts)) {
		var row views.FeeRow
		if i < len(curs) {
			row.Currency = strings.ToUpper(strings.TrimSpace(curs[i]))
		}
		if i < len(amts) {
			row.Amount = strings.TrimSpace(amts[i])
		}
		if row.Currency != "" || row.Amount != "" {
			rows = append(rows, row)
		}
	}
	return rows
}

// formToPolicy turns the form into a policy document. Values that are not
// even of the field's type (a number that is not one, an amount the
// currency cannot hold) are reported by their JSON path with the codes of
// ValidatePolicy, which checks the rest.
func formToPolicy(f views.PolicyForm) (returns.Policy, returns.FieldErrors) {
	var fe returns.FieldErrors
	p := returns.Policy{Default: formToRules(&fe, rulesPrefixDefault, f.Default)}
	for i, r := range f.Regions {
		path := "regions[" + strconv.Itoa(i) + "]"
		reg := returns.Region{Countries: []string{}, Rules: formToRules(&fe, path, r.Rules)}
		for _, c := range splitCodes(r.Countries) {
			reg.Countries = append(reg.Countries, strings.ToUpper(c))
		}
		p.Regions = append(p.Regions, reg)
	}
	for _, r := range f.Reasons {
		reason := returns.Reason{Code: r.Code, MerchantFault: r.MerchantFault, PhotoRequired: r.PhotoRequired}
		for _, l := range r.Labels {
			if l.Text == "" {
				continue
			}
			if reason.Labels == nil {
				reason.Labels = map[string]string{}
			}
			reason.Labels[l.Lang] = l.Text
		}
		p.Reasons = append(p.Reasons, reason)
	}
	for _, h := range f.Hubs {
		provider := h.LabelProvider
		if provider == returns.LabelProviderOwn {
			provider = "" // the default, left out of the document
		}
		p.Hubs = append(p.Hubs, returns.Hub{Code: h.Code, Name: h.Name, Carrier: h.Carrier, Service: h.Service,
			AccountNote: h.AccountNote, LabelProvider: provider, PostagePaid: h.PostagePaid, Address: returns.HubAddress{Line1: h.Line1, Line2: h.Line2, City: h.City,
				PostalCode: h.PostalCode, Region: strings.ToUpper(h.Region), Country: strings.ToUpper(h.Country)}})
	}
	if f.Holiday {
		p.HolidayExtension = &returns.HolidayExtension{From: f.HolidayFrom, To: f.HolidayTo, Until: f.HolidayUntil}
	}
	formToKeep(&fe, &p, f)
	return p, fe
}

func formToRules(fe *returns.FieldErrors, path string, f views.RulesForm) returns.Rules {
	num := func(name, s string) *int {
		if s == "" {
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			*fe = append(*fe, returns.FieldError{Path: path + "." + name, Code: returns.FieldInvalid})
			return nil
		}
		return &n
	}
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	boolean := func(name, s string) *bool {
		switch s {
		case "":
			return nil
		case "true", "false":
			b := s == "true"
			return &b
		}
		*fe = append(*fe, returns.FieldError{Path: path + "." + name, Code: returns.FieldInvalid})
		return nil
	}
	r := returns.Rules{WindowDays: num("window_days", f.WindowDays), WindowStarts: str(f.WindowStarts), WindowEndRule: str(f.WindowEndRule),
		StoreCreditBonusPercent: num("store_credit_bonus_percent", f.Bonus),
		RestockingFeePercent:    num("restocking_fee_percent", f.Restocking),
		FinalSaleReturnable:     boolean("final_sale_returnable", f.FinalSale), Hub: str(f.Hub),
		TransitDays: num("transit_days", f.TransitDays), InspectionDays: num("inspection_days", f.InspectionDays),
		DropOffDays: num("drop_off_days", f.DropOffDays), AutoApprove: boolean("auto_approve", f.AutoApprove),
		DropOffReminder:   boolean("drop_off_reminder", f.DropOffReminder),
		ReceiveOnDelivery: boolean("receive_on_delivery", f.ReceiveOnDelivery), RefundTrigger: str(f.RefundTrigger)}
	if f.MethodsSet {
		methods := slices.Clone(f.Methods)
		if methods == nil {
			methods = []string{}
		}
		r.RefundMethods = &methods
	}
	if f.FeesSet {
		fees := amountsPerCurrency(fe, path+".return_shipping_fee", f.Fees)
		r.ReturnShippingFee = &fees
	}
	if f.TriggerMaxSet {
		limits := amountsPerCurrency(fe, path+".refund_trigger_max", f.TriggerMax)
		r.RefundTriggerMax = &limits
	}
	if f.ExcludedSet {
		cats := []string{}
		for _, c := range strings.Split(f.Excluded, ",") {
			if c = strings.TrimSpace(c); c != "" {
				cats = append(cats, c)
			}
		}
		r.ExcludedCategories = &cats
	}
	r.Exchanges = formToRegionExchanges(fe, path, f)
	return r
}

// minorUnits reads a decimal amount in a currency ("4.95" EUR = 495); more
// decimals than the currency has are refused, not rounded.
func minorUnits(s, cur string) (int64, bool) {
	s = strings.ReplaceAll(s, ",", ".")
	a, err := currency.NewAmount(s, cur)
	if err != nil {
		return 0, false
	}
	if !a.Round().Equal(a) {
		return 0, false
	}
	n, err := a.Int64()
	return n, err == nil
}

// splitCodes splits a list typed with commas or spaces.
func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// formKey is the input that a JSON path of an error or a floor note belongs
// to: list items belong to their list ("regions[0].countries[2]" →
// "regions[0].countries"), fees to their table.
func formKey(path string) string {
	// A rule list's mistakes show at its text area, the defaults'
	// exchanges' at their first box.
	for _, list := range []string{keepReturnless, keepReviewRules} {
		if path == list || strings.HasPrefix(path, list+"[") {
			return list
		}
	}
	if strings.HasPrefix(path, "default.exchanges") {
		return keepExchanges
	}
	if i := strings.Index(path, ".return_shipping_fee"); i >= 0 {
		return path[:i] + ".return_shipping_fee"
	}
	for strings.HasSuffix(path, "]") {
		i := strings.LastIndexByte(path, '[')
		if i <= 0 {
			break
		}
		path = path[:i]
	}
	return path
}

// amountsPerCurrency reads rows of an amount per currency in major units
// into minor units, reporting the rows that are not (name is the field's
// JSON path).
func amountsPerCurrency(fe *returns.FieldErrors, name string, rows []views.FeeRow) map[string]int64 {
	out := map[string]int64{}
	for _, row := range rows {
		fp := name + "." + row.Currency
		switch {
		case row.Currency == "":
			*fe = append(*fe, returns.FieldError{Path: name, Code: returns.FieldRequired})
			continue
		case !currency.IsValid(row.Currency):
			*fe = append(*fe, returns.FieldError{Path: fp, Code: returns.FieldUnknownCurrency})
			continue
		case row.Amount == "":
			*fe = append(*fe, returns.FieldError{Path: fp, Code: returns.FieldRequired})
			continue
		}
		if _, dup := out[row.Currency]; dup {
			*fe = append(*fe, returns.FieldError{Path: fp, Code: returns.FieldDuplicate})
			continue
		}
		minor, ok := minorUnits(row.Amount, row.Currency)
		if !ok {
			*fe = append(*fe, returns.FieldError{Path: fp, Code: returns.FieldInvalid})
			continue
		}
		out[row.Currency] = minor
	}
	return out
}
