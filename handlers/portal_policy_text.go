package handlers

import (
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// policyText is a policy's facts (returns.FactsFor) in the shopper's
// words: every sentence that the policy page writes, from which the review
// page takes its short summary. Empty strings are facts that do not apply.
type policyText struct {
	window, starts, statutory, faulty string
	// windowEnd and statutoryEnd say what moves the end of each period;
	// holiday explains the holiday extension of the window.
	windowEnd, statutoryEnd string
	holiday                 string
	exclusions              []string
	restocking              string
	// shipping is the fees, one sentence each, or the sentence that
	// return shipping is free; faultFree qualifies the fees.
	shipping                      []string
	faultFree, noFeesByLaw        string
	methods                       []string
	sameMeans                     string
	dropOff, processing, deadline string
}

func (p *portal) policyText(f returns.PolicyFacts) policyText {
	count := func(id string, n int) string { return p.TData(id, map[string]any{"Count": n}) }
	// periodEnd says what moves the end of a period (returns.PeriodEnd):
	// weekends and holidays (id), or weekends only where the calendar has
	// no holidays of the country (weekendsID).
	periodEnd := func(id, weekendsID, coverage string) string {
		switch coverage {
		case returns.PeriodEndWeekendsAndHolidays:
			return p.T(id)
		case returns.PeriodEndWeekendsOnly:
			return p.TData(weekendsID, map[string]any{"Country": regionName(p.tag, f.Country)})
		}
		return ""
	}
	var t policyText
	if f.WindowDays > 0 {
		t.window, t.starts = count("portal.policy.window", f.WindowDays), p.T("portal.policy.starts."+f.WindowStarts)
		t.windowEnd = periodEnd("portal.policy.window_end", "portal.policy.window_end_weekends", f.WindowEnd)
		if h := f.HolidaySeason; h != nil {
			day := func(d returns.MonthDay) string { return views.Isolate(formatDayMonth(p.lang, p.monthName, d)) }
			t.holiday = p.TData("portal.policy.holiday", map[string]any{"From": day(h.From), "To": day(h.To), "Until": day(h.Until)})
		}
	}
	if w := f.Statutory; w != nil {
		id := "portal.policy.statutory"
		if w.BusinessDays {
			id = "portal.policy.statutory_business"
		}
		t.statutory = count(id, w.Days)
		t.statutoryEnd = periodEnd("portal.policy.period_end", "portal.policy.period_end_weekends", w.End)
	}
	if f.FaultyClaimMonths > 0 {
		t.faulty = count("portal.policy.faulty", f.FaultyClaimMonths)
	}
	for _, cat := range f.ExcludedCategories {
		t.exclusions = append(t.exclusions, p.TData("portal.policy.excluded_category",
			map[string]any{"Category": translate(p.loc, "category."+cat, strings.ReplaceAll(cat, "_", " "))}))
	}
	if f.FinalSaleExcluded {
		t.exclusions = append(t.exclusions, p.T("eligibility.final_sale"))
	}
	for _, class := range f.ExemptClasses {
		t.exclusions = append(t.exclusions, translate(p.loc, "class."+class, class))
	}
	if f.Statutory != nil {
		t.exclusions = append(t.exclusions, p.T("portal.policy.statutory_overrides"))
	}
	if f.RestockingFeePercent > 0 {
		t.restocking = p.TData("portal.policy.restocking", map[string]any{"Percent": f.RestockingFeePercent})
	}
	for _, fee := range f.ShippingFees {
		t.shipping = append(t.shipping, p.TData("portal.policy.shipping_fee",
			map[string]any{"Amount": views.Isolate(p.money(fee.Amount, fee.Currency))}))
	}
	if len(f.ShippingFees) == 0 {
		t.shipping = []string{p.T("portal.policy.shipping_free")}
	} else {
		t.faultFree = p.T("portal.policy.fault_free")
	}
	if f.NoFeesWithinStatutory {
		t.noFeesByLaw = p.T("portal.policy.no_fees_statutory")
	}
	for _, m := range f.Methods {
		text := p.T("method." + m.Code)
		if m.BonusPercent > 0 {
			text += " — " + p.TData("portal.method.bonus", map[string]any{"Percent": m.BonusPercent})
		}
		t.methods = append(t.methods, text)
	}
	if f.SameMeansRequired {
		t.sameMeans = p.T("portal.policy.same_means")
	}
	t.dropOff = count("portal.policy.drop_off", f.DropOffDays)
	t.processing = count("portal.policy.processing", f.ProcessingDays)
	if d := f.RefundDeadline; d != nil {
		id := "portal.policy.refund_deadline"
		if d.BusinessDays {
			id = "portal.policy.refund_deadline_business"
		}
		t.deadline = count(id, d.Days)
	}
	return t
}

// sections is the policy page's text: everything, by subject.
func (t policyText) sections(p *portal) []views.PolicySection {
	fees := append(nonEmpty(t.restocking), t.shipping...)
	fees = append(fees, nonEmpty(t.faultFree, t.noFeesByLaw)...)
	return []views.PolicySection{
		{Heading: p.T("portal.policy.windows"), Items: nonEmpty(t.window, t.starts, t.windowEnd, t.holiday, t.statutory, t.statutoryEnd, t.faulty), TestID: "policy-windows"},
		{Heading: p.T("portal.policy.exclusions"), Items: t.exclusions, TestID: "policy-exclusions"},
		{Heading: p.T("portal.policy.fees"), Items: fees, TestID: "policy-fees"},
		{Heading: p.T("portal.policy.methods"), Items: append(t.methods, nonEmpty(t.sameMeans)...), TestID: "policy-methods"},
		{Heading: p.T("portal.policy.timelines"), Items: nonEmpty(t.dropOff, t.processing, t.deadline), TestID: "policy-timelines"},
	}
}

// summary is the review page's text: the windows (with the holiday
// extension), what return shipping costs and the restocking fee.
func (t policyText) summary() []string {
	out := nonEmpty(t.window, t.holiday, t.statutory)
	out = append(out, t.shipping...)
	return append(out, nonEmpty(t.restocking)...)
}

// nonEmpty drops the empty strings.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}
