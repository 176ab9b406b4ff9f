package handlers

import (
	"slices"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/views"
)

// The policy editor's sections: each is a form of its own that saves only
// its fields. A save takes every other field from the current version, as a
// document (applySection), so that nothing the section's form does not show
// is lost; a form shown again (a mistake, a row added) shows the section as
// typed and the others as saved (mergeSectionForm).

// policySections are the sections in the editor's order, with their
// titles' message IDs.
var policySections = []struct{ ID, Title string }{
	{"general", "admin.policy.section.general"},
	{"windows", "admin.policy.section.windows"},
	{"fees", "admin.policy.section.fees"},
	{"methods", "admin.policy.refund_methods"},
	{"reasons", "admin.policy.reasons"},
	{"parcel", "admin.policy.section.parcel"},
	{"regions", "admin.policy.regions"},
	{"hubs", "admin.policy.hubs"},
	{"keep", "admin.policy.section.keep"},
}

// isPolicySection reports whether id names a section.
func isPolicySection(id string) bool {
	return slices.ContainsFunc(policySections, func(s struct{ ID, Title string }) bool { return s.ID == id })
}

// applySection is current with the fields of one section taken from
// submitted (the document of that section's form); everything else,
// including fields no form shows, stays as it is.
func applySection(current, submitted returns.Policy, section string) returns.Policy {
	out := current
	d, s := &out.Default, submitted.Default
	switch section {
	case "general":
		d.Hub, d.TransitDays, d.InspectionDays, d.DropOffDays = s.Hub, s.TransitDays, s.InspectionDays, s.DropOffDays
		d.FinalSaleReturnable, d.AutoApprove, d.ExcludedCategories = s.FinalSaleReturnable, s.AutoApprove, s.ExcludedCategories
		d.DropOffReminder = s.DropOffReminder
		out.HolidayExtension = submitted.HolidayExtension
	case "windows":
		d.WindowDays, d.WindowStarts, d.WindowEndRule = s.WindowDays, s.WindowStarts, s.WindowEndRule
	case "fees":
		d.StoreCreditBonusPercent, d.RestockingFeePercent, d.ReturnShippingFee = s.StoreCreditBonusPercent, s.RestockingFeePercent, s.ReturnShippingFee
	case "methods":
		d.RefundMethods = s.RefundMethods
	case "parcel":
		d.ReceiveOnDelivery, d.RefundTrigger, d.RefundTriggerMax = s.ReceiveOnDelivery, s.RefundTrigger, s.RefundTriggerMax
	case "reasons":
		out.Reasons = submitted.Reasons
	case "regions":
		out.Regions = submitted.Regions
	case "hubs":
		out.Hubs = submitted.Hubs
	case "keep":
		d.Exchanges, out.Returnless, out.ReviewRules = s.Exchanges, submitted.Returnless, submitted.ReviewRules
	}
	return out
}

// mergeSectionForm is the saved form with one section's fields as typed.
func mergeSectionForm(saved, typed views.PolicyForm, section string) views.PolicyForm {
	out := saved
	d, t := &out.Default, typed.Default
	switch section {
	case "general":
		d.Hub, d.TransitDays, d.InspectionDays, d.DropOffDays = t.Hub, t.TransitDays, t.InspectionDays, t.DropOffDays
		d.FinalSale, d.AutoApprove, d.Excluded, d.ExcludedSet = t.FinalSale, t.AutoApprove, t.Excluded, t.ExcludedSet
		d.DropOffReminder = t.DropOffReminder
		out.Holiday, out.HolidayFrom, out.HolidayTo, out.HolidayUntil = typed.Holiday, typed.HolidayFrom, typed.HolidayTo, typed.HolidayUntil
	case "windows":
		d.WindowDays, d.WindowStarts, d.WindowEndRule = t.WindowDays, t.WindowStarts, t.WindowEndRule
	case "fees":
		d.Bonus, d.Restocking, d.Fees, d.FeesSet = t.Bonus, t.Restocking, t.Fees, t.FeesSet
	case "methods":
		d.Methods, d.MethodsSet = t.Methods, t.MethodsSet
	case "parcel":
		d.ReceiveOnDelivery, d.RefundTrigger, d.TriggerMax, d.TriggerMaxSet = t.ReceiveOnDelivery, t.RefundTrigger, t.TriggerMax, t.TriggerMaxSet
	case "reasons":
		out.Reasons = typed.Reasons
	case "regions":
		out.Regions = typed.Regions
	case "hubs":
		out.Hubs = typed.Hubs
	case "keep":
		out.Exchanges, out.ExchangesFreeShipping, out.ExchangesSamePrice = typed.Exchanges, typed.ExchangesFreeShipping, typed.ExchangesSamePrice
		out.Returnless, out.ReviewRules = typed.Returnless, typed.ReviewRules
	}
	return out
}

// sectionProps names the editor's sections and rows and gathers the legal
// floor notes for the summary, in the member's language.
func (a *admin) sectionProps(p *portal, props *views.PolicyEditorProps, pol returns.Policy) {
	for _, s := range policySections {
		props.Sections = append(props.Sections, views.AdminOption{Value: s.ID, Label: p.T(s.Title)})
	}
	for i, r := range props.Form.Regions {
		var names []string
		for _, c := range splitCodes(r.Countries) {
			c = strings.ToUpper(c)
			if len(c) == 2 {
				names = append(names, regionName(p.tag, c)+" ("+c+")")
			} else {
				names = append(names, c) // a group such as EU
			}
		}
		title := p.TData("admin.policy.region", map[string]any{"Number": i + 1})
		if len(names) > 0 {
			title = p.TData("admin.policy.region_named", map[string]any{"Countries": views.Isolate(strings.Join(names, ", "))})
		}
		props.RegionTitles = append(props.RegionTitles, title)
	}
	for i, r := range props.Form.Reasons {
		title := p.TData("admin.policy.reason", map[string]any{"Number": i + 1})
		if r.Code != "" {
			label := a.reasonLabel(p.c, returns.Reason{Code: r.Code, Labels: formLabels(r.Labels)})
			title = p.TData("admin.policy.reason_named", map[string]any{"Label": views.Isolate(label + " (" + r.Code + ")")})
		}
		props.ReasonTitles = append(props.ReasonTitles, title)
	}
	for i, h := range props.Form.Hubs {
		title := p.TData("admin.policy.hub_n", map[string]any{"Number": i + 1})
		if h.Name != "" || h.Code != "" {
			title = p.TData("admin.policy.hub_named", map[string]any{"Name": views.Isolate(strings.TrimSpace(h.Name + " (" + h.Code + ")"))})
		}
		props.HubTitles = append(props.HubTitles, title)
	}
	for _, n := range a.svc.FloorNotes(pol) {
		props.Law = append(props.Law, views.LawNote{Text: a.floorMessage(p, n), Anchor: lawAnchor(formKey(n.Path))})
	}
}

// lawAnchor is the id of the element a floor note's field key names
// (views' fieldID: "regions[1].window_days" → "regions-1-window_days").
func lawAnchor(key string) string {
	r := strings.NewReplacer("[", "-", "]", "", ".", "-")
	return r.Replace(key)
}

// formLabels are a reason's labels as the form holds them, by language.
func formLabels(rows []views.LabelRow) map[string]string {
	out := map[string]string{}
	for _, l := range rows {
		if l.Text != "" {
			out[l.Lang] = l.Text
		}
	}
	return out
}
