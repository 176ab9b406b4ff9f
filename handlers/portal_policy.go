package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/bojanz/currency"
	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// policyPage is the return policy for a country, GET /policy?country=XX:
// written from the same policy and legal floors the engine decides with, so
// it can't disagree with a decision.
func (s *Server) policyPage(c echo.Context) error {
	p := s.portal(c)
	country := strings.ToUpper(strings.TrimSpace(c.QueryParam("country")))
	if _, err := language.ParseRegion(country); country != "" && (err != nil || len(country) != 2) {
		country = ""
	}
	_, pol, err := s.cfg.Store.CurrentPolicy(c.Request().Context())
	if err != nil {
		return err
	}
	names := display.Regions(p.tag)
	regionName := func(code string) string {
		r, err := language.ParseRegion(code)
		if err != nil {
			return code
		}
		if n := names.Name(r); n != "" {
			return n
		}
		return code
	}
	here := &url.URL{Path: "/policy"}
	if country != "" {
		here.RawQuery = url.Values{"country": {country}}.Encode()
	}
	props := views.PolicyProps{Page: p.page("portal.policy.title", here), Lang: p.explicit()}
	for _, code := range s.policyCountries(pol) {
		props.Countries = append(props.Countries, views.Option{Value: code, Label: regionName(code), Selected: code == country})
	}
	sort.Slice(props.Countries, func(i, j int) bool { return props.Countries[i].Label < props.Countries[j].Label })
	if country != "" {
		props.CountryName = regionName(country)
	}
	props.Sections = p.policySections(pol, s.legal, country)
	return p.view(http.StatusOK, views.Policy(props))
}

// policyCountries are the countries the policy or the legal data name.
func (s *Server) policyCountries(pol returns.Policy) []string {
	seen := map[string]bool{}
	add := func(c string) {
		if _, group := s.legal.Groups[c]; len(c) == 2 && !group {
			seen[c] = true
		}
	}
	for _, m := range s.legal.Markets {
		add(m.Code)
	}
	for _, g := range s.legal.Groups {
		for _, c := range g {
			add(c)
		}
	}
	for _, r := range pol.Regions {
		for _, c := range r.Countries {
			add(c)
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// policySections writes the effective policy for a country ("" for the
// merchant's defaults) in the shopper's language.
func (p *portal) policySections(pol returns.Policy, legal *returns.Legal, country string) []views.PolicySection {
	r := pol.Effective(legal, country)
	var m *returns.Market
	if country != "" {
		m = legal.For(country, "")
	}
	w := m.StatutoryWithdrawal()

	// endText says what moves the end of a period (returns.PeriodEnd).
	endText := func(prefix, rule string) []string {
		switch returns.PeriodEndCoverage(rule, legal.Calendar(), country) {
		case returns.PeriodEndWeekendsAndHolidays:
			return []string{p.T(prefix)}
		case returns.PeriodEndWeekendsOnly:
			return []string{p.TData(prefix+"_weekends", map[string]any{"Country": regionName(p.tag, country)})}
		}
		return nil
	}
	var windows []string
	if r.WindowDays > 0 {
		windows = append(windows, p.TData("portal.policy.window", map[string]any{"Count": r.WindowDays}),
			p.T("portal.policy.starts."+r.WindowStarts))
		windows = append(windows, endText("portal.policy.window_end", r.WindowEndRule)...)
	}
	if w != nil {
		id := "portal.policy.statutory"
		if w.Unit == "business" {
			id = "portal.policy.statutory_business"
		}
		windows = append(windows, p.TData(id, map[string]any{"Count": w.Days}))
		windows = append(windows, endText("portal.policy.period_end", w.PeriodEndRule)...)
	}
	if m != nil && m.FaultyClaimMonths > 0 {
		windows = append(windows, p.TData("portal.policy.faulty", map[string]any{"Count": m.FaultyClaimMonths}))
	}

	var excl []string
	for _, cat := range r.ExcludedCategories {
		excl = append(excl, p.TData("portal.policy.excluded_category",
			map[string]any{"Category": translate(p.loc, "category."+cat, strings.ReplaceAll(cat, "_", " "))}))
	}
	if !r.FinalSaleReturnable {
		excl = append(excl, p.T("eligibility.final_sale"))
	}
	if m != nil {
		for _, class := range m.ExemptClasses {
			excl = append(excl, translate(p.loc, "class."+class, class))
		}
	}
	if w != nil {
		excl = append(excl, p.T("portal.policy.statutory_overrides"))
	}

	var fees []string
	if r.RestockingFeePercent > 0 {
		fees = append(fees, p.TData("portal.policy.restocking", map[string]any{"Percent": r.RestockingFeePercent}))
	}
	if len(r.ReturnShippingFee) == 0 {
		fees = append(fees, p.T("portal.policy.shipping_free"))
	}
	// A country's page shows the fee in its currency where the policy sets
	// one; otherwise every currency the policy prices.
	curs := make([]string, 0, len(r.ReturnShippingFee))
	for cur := range r.ReturnShippingFee {
		curs = append(curs, cur)
	}
	sort.Strings(curs)
	if local, ok := currency.ForCountryCode(country); ok && country != "" {
		if _, priced := r.ReturnShippingFee[local]; priced {
			curs = []string{local}
		}
	}
	for _, cur := range curs {
		fees = append(fees, p.TData("portal.policy.shipping_fee", map[string]any{"Amount": views.Isolate(p.money(r.ReturnShippingFee[cur], cur))}))
	}
	if len(r.ReturnShippingFee) > 0 {
		fees = append(fees, p.T("portal.policy.fault_free"))
	}
	if m != nil && !m.FeesAllowed() {
		fees = append(fees, p.T("portal.policy.no_fees_statutory"))
	}

	var methods []string
	for _, code := range r.RefundMethods {
		if code == returns.MethodExchange || (code == returns.MethodBankTransfer && country != "" && !returns.UsesIBAN(country)) {
			continue
		}
		text := p.T("method." + code)
		if code == returns.MethodStoreCredit && r.StoreCreditBonusPercent > 0 {
			text += " — " + p.TData("portal.method.bonus", map[string]any{"Percent": r.StoreCreditBonusPercent})
		}
		methods = append(methods, text)
	}
	if w != nil && !slices.Contains(r.RefundMethods, returns.MethodOriginalPayment) {
		methods = append([]string{p.T("method.original_payment")}, methods...)
	}
	if m.SameMeansRequired() {
		methods = append(methods, p.T("portal.policy.same_means"))
	}

	times := []string{
		p.TData("portal.policy.drop_off", map[string]any{"Count": r.DropOffDays}),
		p.TData("portal.policy.processing", map[string]any{"Count": r.TransitDays + r.InspectionDays}),
	}
	if m != nil && m.Refund != nil && m.Refund.DeadlineDays != nil && w != nil {
		times = append(times, p.TData("portal.policy.refund_deadline", map[string]any{"Count": *m.Refund.DeadlineDays}))
	}
	return []views.PolicySection{
		{Heading: p.T("portal.policy.windows"), Items: windows, TestID: "policy-windows"},
		{Heading: p.T("portal.policy.exclusions"), Items: excl, TestID: "policy-exclusions"},
		{Heading: p.T("portal.policy.fees"), Items: fees, TestID: "policy-fees"},
		{Heading: p.T("portal.policy.methods"), Items: methods, TestID: "policy-methods"},
		{Heading: p.T("portal.policy.timelines"), Items: times, TestID: "policy-timelines"},
	}
}
