package views

import (
	"context"
	"slices"
	"strconv"
)

// Props of the staff area's configuration pages: the policy editor
// (admin_policy.templ), the settings with the API keys
// (admin_settings.templ) and the staff accounts (admin_staff.templ).

// PolicyForm is the policy document as the editor's form holds it: every
// value as typed, so that a form with mistakes renders again unchanged. The
// input names are the fields' JSON paths ("default.window_days",
// "regions[1].hub", "reasons[0].labels.de"), which are also the paths of
// the validation errors and of the legal floor notes.
type PolicyForm struct {
	Default RulesForm
	Regions []RegionForm
	Reasons []ReasonForm
	Hubs    []HubForm
	// Holiday turns the holiday extension on.
	Holiday                              bool
	HolidayFrom, HolidayTo, HolidayUntil string
	// Keep the sale (admin_policy_keep.go): exchanges in the defaults
	// (SamePrice carries same_price_only, which must be true), and the
	// keep-the-item and review rules as JSON lists, as the policy
	// document writes them ("" : none).
	Exchanges, ExchangesFreeShipping, ExchangesSamePrice bool
	Returnless, ReviewRules                              string
}

// RulesForm are the overridable fields of the defaults or of a region. In
// a region an empty number, select or unticked "override" box inherits the
// default; lists and fees have an override box so that "inherit" differs
// from "none" (free return shipping, nothing excluded).
type RulesForm struct {
	WindowDays   string
	WindowStarts string // delivery, shipment, order; "" inherits
	// WindowEndRule is as_counted or next_working_day; "" inherits.
	WindowEndRule string
	MethodsSet    bool
	Methods       []string
	Bonus         string
	Restocking    string
	FeesSet       bool
	Fees          []FeeRow
	ExcludedSet   bool
	// Excluded are the categories, comma-separated.
	Excluded       string
	FinalSale      string // "true", "false"; "" inherits
	Hub            string // "" inherits
	TransitDays    string
	InspectionDays string
	DropOffDays    string
	AutoApprove    string // "true", "false"; "" inherits
	// DropOffReminder is "true", "false"; "" inherits (in the defaults:
	// the built-in on).
	DropOffReminder string
	// ReceiveOnDelivery is "true", "false"; "" inherits. RefundTrigger is
	// inspected, received or first_scan; "" inherits. TriggerMax are the
	// refund trigger's limits per currency (TriggerMaxSet: a region sets
	// its own).
	ReceiveOnDelivery string
	RefundTrigger     string
	TriggerMaxSet     bool
	TriggerMax        []FeeRow
	// Exchanges is a region's own exchanges entry: "true" (on), "false"
	// (off) or "" (inherits the defaults'). The defaults' are the keep
	// section's boxes (PolicyForm.Exchanges). ExchangesFree and
	// ExchangesSamePrice are the entry's other fields when it is set.
	Exchanges          string
	ExchangesFree      bool
	ExchangesSamePrice bool
}

// FeeRow is a return shipping fee in one currency, in major units as typed
// ("4.95").
type FeeRow struct {
	Currency, Amount string
}

// RegionForm is a region entry.
type RegionForm struct {
	// Countries are country codes or group names (EU), comma-separated.
	Countries string
	Rules     RulesForm
}

// ReasonForm is a return reason with its labels per language.
type ReasonForm struct {
	Code          string
	MerchantFault bool
	PhotoRequired bool
	Labels        []LabelRow
}

// LabelRow is a reason's label in one language.
type LabelRow struct {
	Lang, Text string
}

// HubForm is a returns hub.
type HubForm struct {
	Code, Name, Line1, Line2, City, PostalCode, Region, Country, Carrier, Service, AccountNote string
	// LabelProvider is own, easypost or sendcloud; PostagePaid: the
	// merchant's account pays the own label's postage.
	LabelProvider string
	PostagePaid   bool
}

// PolicyEditorProps is the policy editor page.
type PolicyEditorProps struct {
	Page AdminPage
	// CanEdit: the member may save (admin); others read the form.
	CanEdit bool
	Form    PolicyForm
	// Errors and Notes are translated messages by input name (a field's
	// JSON path); Notes say where a legal floor raises the value.
	Errors map[string][]string
	Notes  map[string][]string
	// Problem is a summary above the form ("fix the marked fields").
	Problem string
	Saved   string // "version N saved" after a save
	Version string
	History []PolicyVersionRow
	// Choices of the selects and checkboxes.
	Methods    []AdminOption
	Starts     []AdminOption
	WindowEnds []AdminOption
	// LabelProviders and RefundTriggers are the choices of the hubs'
	// label provider and of the refund trigger.
	LabelProviders []AdminOption
	RefundTriggers []AdminOption
	HubCodes       []string
	Countries      []AdminOption
	Preview        PolicyPreviewProps
	ImportJSON     string
	ImportErrors   []string
	// Sections are the editor's sections in order (Value: the id, Label:
	// the title).
	Sections []AdminOption
	// Law is every legal floor note of the policy, each linked to its
	// field, for the summary beside the sections.
	Law []LawNote
	// RegionTitles, ReasonTitles and HubTitles name the rows of those
	// lists (by their countries, label and name).
	RegionTitles, ReasonTitles, HubTitles []string
}

// LawNote is a legal floor note and the id of the field it is about.
type LawNote struct {
	Text, Anchor string
}

// SectionTitle is a section's title by its id.
func (p PolicyEditorProps) SectionTitle(id string) string {
	for _, s := range p.Sections {
		if s.Value == id {
			return s.Label
		}
	}
	return id
}

// rowTitle is the title of row i of a list, "" when there is none.
func rowTitle(titles []string, i int) string {
	if i < len(titles) {
		return titles[i]
	}
	return ""
}

// Err returns the messages of an input.
func (p PolicyEditorProps) Err(name string) []string { return p.Errors[name] }

// Note returns the floor notes of an input.
func (p PolicyEditorProps) Note(name string) []string { return p.Notes[name] }

// PolicyVersionRow is one saved version in the history.
type PolicyVersionRow struct {
	Version, At, By string
	Current         bool
}

// PolicyPreviewProps is "what would an order from country X get".
type PolicyPreviewProps struct {
	Page    AdminPage
	Country string
	// Fragment renders only the #policy-preview element (htmx).
	Fragment bool
	Name     string
	// Region says which entry matched (or the defaults).
	Region string
	Rules  []PreviewRow
	// Floors say where the law raises the merchant's values there.
	Floors []string
	// Sections are the shopper's policy page for that country.
	Sections []PolicySection
}

// PreviewRow is one effective rule.
type PreviewRow struct {
	Label, Value, TestID string
}

// SettingsProps is the settings page: branding, embed origins, API keys,
// connectors.
type SettingsProps struct {
	Page                                           AdminPage
	MerchantName, LogoURL, AccentColor, EmbedOrigs string
	// Timezone is the staff area's time zone (an IANA name); Timezones
	// are suggestions for the field.
	Timezone  string
	Timezones []string
	// TimezoneDefault is the zone an empty field means (the default
	// hub's, or UTC).
	TimezoneDefault string
	Errors          map[string]string
	Saved           bool
	Keys            []APIKeyRow
	Scopes          []string
	// NewKey is a key just created: shown this once.
	NewKey, NewKeyName string
	KeyError           string
	// Connectors are the shop and payment connectors (admin_connectors.templ).
	Connectors ConnectorsProps
}

// APIKeyRow is one API key in the list.
type APIKeyRow struct {
	ID, Name, Prefix, Scopes, Created, LastUsed string
}

// StaffProps is the staff accounts page.
type StaffProps struct {
	Page    AdminPage
	Members []StaffRow
	Roles   []AdminOption
	// The create form's values and problem.
	Email, Role, Error string
	Done               string
}

// StaffRow is one account.
type StaffRow struct {
	Email, Role, RoleLabel, Created string
	Disabled, Self                  bool
}

// rowName is the input name of a field of a list entry:
// rowName("regions", 2, "hub") = "regions[2].hub"; an empty field gives
// the entry's prefix.
func rowName(list string, i int, field string) string {
	p := list + "[" + strconv.Itoa(i) + "]"
	if field == "" {
		return p
	}
	return p + "." + field
}

// fieldID turns an input name into an element id: "regions[2].hub" →
// "regions-2-hub".
func fieldID(name string) string {
	b := make([]byte, 0, len(name))
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c == '[' || c == '.':
			b = append(b, '-')
		case c == ']':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-':
			b = append(b, c)
		default:
			b = append(b, '_')
		}
	}
	return string(b)
}

// inheritHint is a region field's placeholder: the default it inherits.
func inheritHint(ctx context.Context, region bool, def string) string {
	switch {
	case !region:
		return ""
	case def == "":
		return T(ctx, "admin.policy.inherit")
	}
	return TData(ctx, "admin.policy.inherit_value", map[string]any{"Value": def})
}

// hubOptions are the hub codes to choose from, keeping a current value
// that names no hub (so that the form shows what was typed).
func hubOptions(codes []string, current string) []AdminOption {
	out := make([]AdminOption, 0, len(codes)+1)
	for _, c := range codes {
		out = append(out, AdminOption{Value: c, Label: c})
	}
	if current != "" && !slices.Contains(codes, current) {
		out = append(out, AdminOption{Value: current, Label: current})
	}
	return out
}

// yesNo are the choices of a yes/no select; "no" first, the value of an
// unset field.
func yesNo(ctx context.Context) []AdminOption {
	return []AdminOption{{Value: "false", Label: T(ctx, "admin.no")}, {Value: "true", Label: T(ctx, "admin.yes")}}
}

// reminderOptions are the drop-off reminder's choices: the defaults' unset
// value is the built-in "on", which a region's unset value inherits instead.
func reminderOptions(ctx context.Context, region bool) []AdminOption {
	if region {
		return yesNo(ctx)
	}
	return append([]AdminOption{{Value: "", Label: T(ctx, "admin.policy.builtin_on")}}, yesNo(ctx)...)
}

func contains(list []string, v string) bool { return slices.Contains(list, v) }

// boolAttr is a data attribute's value for a flag.
func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
