package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/returns-portal/returns/locales"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
	"github.com/returns-portal/returns/views"
)

// The policy editor, /admin/policy: the policy document in forms (defaults,
// regions, reasons, hubs, holiday extension), validation messages next to
// the fields, notes where a legal floor raises a value, a preview for one
// country, the version history and a JSON import/export. Everyone reads;
// admins save. Every save is a new version (store.SavePolicy): returns keep
// the version they were decided under.

// policyHistory is how many versions the history lists.
const policyHistory = 50

// labelLangs are the languages a reason gets label inputs for.
func labelLangs() []string {
	var out []string
	for _, t := range locales.Languages() {
		b, _ := t.Base()
		out = append(out, b.String())
	}
	return out
}

// policyPage is GET /admin/policy: the current version in the form.
func (a *admin) policyPage(c echo.Context) error {
	ctx := c.Request().Context()
	version, pol, err := a.svc.Policy(ctx)
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		return err
	}
	p := a.portal(c)
	props, err := a.policyProps(c, p, policyToForm(pol, labelLangs()), version, pol)
	if err != nil {
		return err
	}
	if v := c.QueryParam("saved"); v != "" {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			props.Saved = p.TData("admin.policy.saved", map[string]any{"Version": n})
			if sec := c.QueryParam("section"); isPolicySection(sec) {
				props.Saved = p.TData("admin.policy.saved_section", map[string]any{"Version": n,
					"Section": props.SectionTitle(sec)})
			}
		}
	}
	return p.view(http.StatusOK, views.AdminPolicy(props))
}

// policyProps fills the editor around a form; pol (the form's document,
// when it is one) gives the floor notes and the preview.
func (a *admin) policyProps(c echo.Context, p *portal, f views.PolicyForm, version int64, pol returns.Policy) (views.PolicyEditorProps, error) {
	props := views.PolicyEditorProps{Page: a.page(c, p, "admin.policy.title", "policy"), Form: f,
		CanEdit: store.RoleAtLeast(session(c).Role, store.RoleAdmin),
		Errors:  map[string][]string{}, Notes: a.floorNotes(p, pol)}
	if version > 0 {
		props.Version = strconv.FormatInt(version, 10)
	}
	hist, err := a.svc.PolicyVersions(c.Request().Context(), policyHistory)
	if err != nil {
		return props, err
	}
	loc := a.staffLoc(c)
	for _, h := range hist {
		props.History = append(props.History, views.PolicyVersionRow{Version: strconv.FormatInt(h.Version, 10),
			At: staffTime(h.CreatedAt, loc), By: h.CreatedBy, Current: h.Version == version})
	}
	for _, m := range returns.RefundMethods {
		props.Methods = append(props.Methods, views.AdminOption{Value: m, Label: p.T("method." + m)})
	}
	for _, s := range []string{returns.StartDelivery, returns.StartShipment, returns.StartOrder} {
		props.Starts = append(props.Starts, views.AdminOption{Value: s, Label: p.T("admin.policy.starts." + s)})
	}
	for _, r := range []string{returns.PeriodEndAsCounted, returns.PeriodEndNextWorkingDay} {
		props.WindowEnds = append(props.WindowEnds, views.AdminOption{Value: r, Label: p.T("admin.policy.window_end." + r)})
	}
	for _, lp := range returns.LabelProviders {
		props.LabelProviders = append(props.LabelProviders, views.AdminOption{Value: lp, Label: p.T("admin.policy.label_provider." + lp)})
	}
	for _, tr := range returns.RefundTriggers {
		props.RefundTriggers = append(props.RefundTriggers, views.AdminOption{Value: tr, Label: p.T("admin.policy.refund_trigger." + tr)})
	}
	for _, h := range f.Hubs {
		if h.Code != "" && !slices.Contains(props.HubCodes, h.Code) {
			props.HubCodes = append(props.HubCodes, h.Code)
		}
	}
	props.Countries = a.countryOptions(p, pol)
	country := strings.ToUpper(strings.TrimSpace(c.QueryParam("country")))
	props.Preview = a.preview(c, p, pol, country)
	props.ImportJSON = exportJSON(pol)
	a.sectionProps(p, &props, pol)
	return props, nil
}

// policySubmit is POST /admin/policy: a row added or removed (the form
// again, unsaved), or a save: the form's document, validated, stored as a
// new version. A form with a section (admin_policy_sections.go) changes
// only that section's fields; one without is the whole document.
func (a *admin) policySubmit(c echo.Context) error {
	params, err := c.FormParams()
	if err != nil {
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_request"}
	}
	f := parsePolicyForm(params, labelLangs())
	ctx := c.Request().Context()
	version, current, err := a.svc.Policy(ctx)
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		return err
	}
	p := a.portal(c)
	section := c.FormValue("section")
	if section != "" && !isPolicySection(section) {
		return &apiError{Status: http.StatusBadRequest, Code: "invalid_request"}
	}
	typed := f
	if section != "" {
		f = mergeSectionForm(policyToForm(current, labelLangs()), f, section)
	}
	if op := c.FormValue("op"); op != "" && op != "save" {
		editRows(&f, op, labelLangs())
		props, err := a.policyProps(c, p, f, version, current)
		if err != nil {
			return err
		}
		return p.view(http.StatusOK, views.AdminPolicy(props))
	}
	pol, fe := formToPolicy(typed)
	if section != "" {
		pol = applySection(current, pol, section)
	}
	var saved int64
	if len(fe) == 0 {
		saved, _, err = a.svc.ReplacePolicy(ctx, pol, staffActor(c))
		if !errors.As(err, &fe) && err != nil {
			return err
		}
	} else {
		fe = fe.Merge(a.svc.ValidatePolicy(pol))
	}
	if len(fe) > 0 {
		props, err := a.policyProps(c, p, f, version, current)
		if err != nil {
			return err
		}
		for _, e := range fe {
			k := formKey(e.Path)
			props.Errors[k] = append(props.Errors[k], a.fieldMessage(p, e))
		}
		props.Problem = p.TData("admin.policy.invalid", map[string]any{"Count": len(fe)})
		return p.view(http.StatusUnprocessableEntity, views.AdminPolicy(props))
	}
	to := "/admin/policy?saved=" + strconv.FormatInt(saved, 10)
	if section != "" {
		to += "&section=" + section + "#sec-" + section
	}
	return seeOther(c, to)
}

// editRows applies an add or remove button: add_region, remove_region:N,
// add_reason, remove_reason:N, add_hub, remove_hub:N.
func editRows(f *views.PolicyForm, op string, langs []string) {
	kind, idx, _ := strings.Cut(op, ":")
	i, err := strconv.Atoi(idx)
	if err != nil {
		i = -1
	}
	switch kind {
	case "add_region":
		if len(f.Regions) < maxFormRows {
			f.Regions = append(f.Regions, views.RegionForm{})
		}
	case "add_reason":
		if len(f.Reasons) < maxFormRows {
			f.Reasons = append(f.Reasons, views.ReasonForm{Labels: withLabelLangs(nil, langs)})
		}
	case "add_hub":
		if len(f.Hubs) < maxFormRows {
			f.Hubs = append(f.Hubs, views.HubForm{})
		}
	case "remove_region":
		if i >= 0 && i < len(f.Regions) {
			f.Regions = slices.Delete(f.Regions, i, i+1)
		}
	case "remove_reason":
		if i >= 0 && i < len(f.Reasons) {
			f.Reasons = slices.Delete(f.Reasons, i, i+1)
		}
	case "remove_hub":
		if i >= 0 && i < len(f.Hubs) {
			f.Hubs = slices.Delete(f.Hubs, i, i+1)
		}
	}
}

// fieldMessage translates a validation code for the editor.
func (a *admin) fieldMessage(p *portal, e returns.FieldError) string {
	return translate(p.loc, "admin.field."+e.Code, p.T("admin.field.invalid"))
}

// floorNotes are the legal floor notes of a policy, translated, by input.
func (a *admin) floorNotes(p *portal, pol returns.Policy) map[string][]string {
	out := map[string][]string{}
	for _, n := range a.svc.FloorNotes(pol) {
		k := formKey(n.Path)
		out[k] = append(out[k], a.floorMessage(p, n))
	}
	return out
}

// floorMessage says in the member's language how the law raises a value.
func (a *admin) floorMessage(p *portal, n returns.FloorNote) string {
	data := map[string]any{"Market": n.Market, "Countries": strings.Join(n.Countries, ", ")}
	id := "admin.floor." + n.Field
	if n.Field == "window_days" {
		data["Days"] = fmt.Sprint(n.LegalValue)
		if n.Note == returns.FloorBusinessDays {
			id += "_business"
		}
	}
	return p.TData(id, data)
}

// countryOptions are the preview's countries, by name in the member's
// language.
func (a *admin) countryOptions(p *portal, pol returns.Policy) []views.AdminOption {
	var out []views.AdminOption
	for _, code := range a.svc.PolicyCountries(pol) {
		out = append(out, views.AdminOption{Value: code, Label: regionName(p.tag, code) + " (" + code + ")"})
	}
	slices.SortFunc(out, func(x, y views.AdminOption) int { return strings.Compare(x.Label, y.Label) })
	return out
}

// regionName is a country's name in a language, or its code.
func regionName(tag language.Tag, code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(tag).Name(r); n != "" {
		return n
	}
	return code
}

// policyPreview is GET /admin/policy/preview?country=XX: what an order
// delivered there gets under the current policy (the #policy-preview
// fragment for htmx).
func (a *admin) policyPreview(c echo.Context) error {
	_, pol, err := a.svc.Policy(c.Request().Context())
	if err != nil && !errors.Is(err, service.ErrNotFound) {
		return err
	}
	p := a.portal(c)
	props := a.preview(c, p, pol, strings.ToUpper(strings.TrimSpace(c.QueryParam("country"))))
	props.Fragment = isHX(c)
	return p.view(http.StatusOK, views.AdminPolicyPreview(props))
}

// preview is the effective rules for a country, the legal floors there and
// the shopper's policy text; an unknown or empty country previews nothing.
func (a *admin) preview(c echo.Context, p *portal, pol returns.Policy, country string) views.PolicyPreviewProps {
	props := views.PolicyPreviewProps{Page: a.page(c, p, "admin.policy.preview", "policy"), Country: country}
	pv, ok := a.svc.PreviewPolicy(pol, country)
	if !ok {
		props.Country = ""
		return props
	}
	props.Name = regionName(p.tag, country)
	e := pv.Rules
	if e.Region >= 0 {
		props.Region = p.TData("admin.policy.preview.region", map[string]any{"Number": e.Region + 1,
			"Countries": strings.Join(pol.Regions[e.Region].Countries, ", ")})
	} else {
		props.Region = p.T("admin.policy.preview.defaults")
	}
	yesNo := func(b bool) string {
		if b {
			return p.T("admin.yes")
		}
		return p.T("admin.no")
	}
	days := func(n int) string { return p.TData("admin.days", map[string]any{"Count": n}) }
	var methods []string
	for _, m := range e.RefundMethods {
		methods = append(methods, p.T("method."+m))
	}
	var fees []string
	for _, cur := range sortedKeys(e.ReturnShippingFee) {
		fees = append(fees, p.money(e.ReturnShippingFee[cur], cur))
	}
	fee := strings.Join(fees, " · ")
	if len(fees) == 0 {
		fee = p.T("admin.policy.free")
	}
	excluded := strings.Join(e.ExcludedCategories, ", ")
	if excluded == "" {
		excluded = "—"
	}
	hub := e.Hub
	if h, ok := pol.HubByCode(e.Hub); ok {
		hub = h.Name + " (" + h.Code + ")"
	}
	row := func(label, value, id string) views.PreviewRow {
		return views.PreviewRow{Label: label, Value: value, TestID: id}
	}
	props.Rules = []views.PreviewRow{
		row(p.T("admin.policy.window_days"), days(e.WindowDays)+" · "+p.T("admin.policy.starts."+e.WindowStarts), "preview-window"),
		row(p.T("admin.policy.refund_methods"), strings.Join(methods, ", "), "preview-methods"),
		row(p.T("admin.policy.bonus"), strconv.Itoa(e.StoreCreditBonusPercent)+" %", "preview-bonus"),
		row(p.T("admin.policy.restocking"), strconv.Itoa(e.RestockingFeePercent)+" %", "preview-restocking"),
		row(p.T("admin.policy.fees"), fee, "preview-fees"),
		row(p.T("admin.policy.excluded"), excluded, "preview-excluded"),
		row(p.T("admin.policy.final_sale"), yesNo(e.FinalSaleReturnable), "preview-final-sale"),
		row(p.T("admin.policy.hub"), hub, "preview-hub"),
		row(p.T("admin.policy.transit_days"), days(e.TransitDays), "preview-transit"),
		row(p.T("admin.policy.inspection_days"), days(e.InspectionDays), "preview-inspection"),
		row(p.T("admin.policy.drop_off_days"), days(e.DropOffDays), "preview-drop-off"),
		row(p.T("admin.policy.auto_approve"), yesNo(e.AutoApprove), "preview-auto-approve"),
	}
	for _, n := range pv.Floors {
		props.Floors = append(props.Floors, a.floorMessage(p, n))
	}
	props.Sections = p.policyText(pv.Facts).sections(p)
	return props
}

// policyExport is GET /admin/policy/export: the current document as JSON
// (the same as `policy export` and GET /api/v1/policy), as a download.
func (a *admin) policyExport(c echo.Context) error {
	version, pol, err := a.svc.Policy(c.Request().Context())
	if err != nil {
		return err
	}
	doc, err := json.MarshalIndent(pol, "", "  ")
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("X-Policy-Version", strconv.FormatInt(version, 10))
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="policy-v%d.json"`, version))
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, append(doc, '\n'))
}

// policyImport is POST /admin/policy/import: a JSON document pasted into
// the advanced section, validated like PUT /api/v1/policy and saved as a
// new version.
func (a *admin) policyImport(c echo.Context) error {
	raw := c.FormValue("document")
	var pol returns.Policy
	dec := json.NewDecoder(strings.NewReader(raw))
	dec.DisallowUnknownFields()
	p := a.portal(c)
	var problems []string
	ctx := c.Request().Context()
	var saved int64
	if err := dec.Decode(&pol); err != nil || dec.More() {
		problems = append(problems, p.T("admin.policy.import.bad_json"))
	} else {
		var err error
		saved, _, err = a.svc.ReplacePolicy(ctx, pol, staffActor(c))
		var fe returns.FieldErrors
		if errors.As(err, &fe) {
			for _, e := range fe {
				problems = append(problems, e.Path+": "+a.fieldMessage(p, e))
			}
		} else if err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		version, current, err := a.svc.Policy(ctx)
		if err != nil && !errors.Is(err, service.ErrNotFound) {
			return err
		}
		props, err := a.policyProps(c, p, policyToForm(current, labelLangs()), version, current)
		if err != nil {
			return err
		}
		props.ImportJSON, props.ImportErrors = raw, problems
		return p.view(http.StatusUnprocessableEntity, views.AdminPolicy(props))
	}
	return seeOther(c, "/admin/policy?saved="+strconv.FormatInt(saved, 10))
}

// exportJSON is the current document for the advanced section's textarea.
func exportJSON(pol returns.Policy) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(pol); err != nil {
		return ""
	}
	return buf.String()
}
