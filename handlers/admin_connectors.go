package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/payments"
	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The connectors' section of /admin/settings (admins only): the default
// refund executor and, per connector (Stripe, Shopify, WooCommerce),
// whether it is in use, its settings, its credentials and the shops'
// mappings. Credentials are write-only (the page says "set" or "not set",
// never the value) and are stored sealed with RETURNS_SECRETS_KEY by
// service.SaveConnectors; without that key the inputs are disabled and a
// posted credential is refused. Values the environment sets are shown
// read-only.

// mappingBlankRows are the empty rows offered to add mapping rules; the
// form reads at most maxMappingRows rows.
const (
	mappingBlankRows = 3
	maxMappingRows   = 100
)

// connectorGroup describes one connector's fieldset: its settings in the
// order shown, and the mapping's platform for a shop.
type connectorGroup struct {
	id, enabled string
	inputs      []connectorSetting
	platform    string
}

type connectorSetting struct {
	key, typ string
}

var connectorGroups = []connectorGroup{
	{id: payments.Stripe, enabled: service.SettingStripeEnabled,
		inputs: []connectorSetting{{service.SettingStripeKey, "password"}}},
	{id: payments.Shopify, enabled: service.SettingShopifyEnabled, platform: platforms.Shopify,
		inputs: []connectorSetting{{service.SettingShopifyShop, "text"}, {service.SettingShopifyToken, "password"},
			{service.SettingShopifyWebhook, "password"}, {service.SettingShopifyLocation, "text"}}},
	{id: payments.WooCommerce, enabled: service.SettingWooEnabled, platform: platforms.WooCommerce,
		inputs: []connectorSetting{{service.SettingWooURL, "url"}, {service.SettingWooKey, "password"},
			{service.SettingWooSecret, "password"}, {service.SettingWooWebhook, "password"}}},
}

// connectorsTyped is a refused form as typed, shown again: the plain
// values and the mapping rows (credentials are never echoed).
type connectorsTyped struct {
	values map[string]string
	rows   map[string][]views.MappingRow
}

// connectorsProps is the section: the settings in force, or a refused
// form's values (typed) with its errors by setting key.
func (a *admin) connectorsProps(c echo.Context, p *portal, typed *connectorsTyped, errs map[string]string) (views.ConnectorsProps, error) {
	cs, err := a.svc.Connectors(c.Request().Context())
	if err != nil {
		return views.ConnectorsProps{}, err
	}
	value := func(key string) string {
		if typed != nil && !cs.Fields[key].FromEnv {
			return typed.values[key]
		}
		return cs.Fields[key].Value
	}
	input := func(key, typ string) views.ConnectorInput {
		f := cs.Fields[key]
		in := views.ConnectorInput{Name: key, Type: typ, Label: p.T("admin.connectors.field." + key),
			Hint: p.T("admin.connectors.hint." + key), FromEnv: f.FromEnv, Set: f.Set, Error: errs[key]}
		if typ == "password" {
			in.Disabled = !cs.CanStoreSecrets
		} else {
			in.Value = value(key)
		}
		return in
	}
	props := views.ConnectorsProps{CanStoreSecrets: cs.CanStoreSecrets, Saved: c.QueryParam("connectors") == "saved"}
	props.Executor = input(service.SettingRefundExecutor, "select")
	if props.Executor.Value == "" {
		props.Executor.Value = payments.Manual
	}
	for _, name := range payments.DefaultExecutors {
		props.Executor.Options = append(props.Executor.Options, views.AdminOption{Value: name, Label: p.T("admin.refund.executor." + name)})
	}
	classes := make([]views.AdminOption, 0, len(cs.Classes))
	for _, cl := range cs.Classes {
		classes = append(classes, views.AdminOption{Value: cl, Label: cl + " · " + translate(p.loc, "class."+cl, cl)})
	}
	for _, g := range connectorGroups {
		vg := views.ConnectorGroup{ID: g.id, Title: p.T("admin.refund.executor." + g.id),
			Intro: p.T("admin.connectors.intro." + g.id)}
		enabled := cs.Fields[g.enabled].Value != "false"
		if typed != nil {
			enabled = typed.values[g.enabled] == "true"
		}
		vg.Enabled = views.ConnectorInput{Name: g.enabled, Type: "checkbox", Checked: enabled,
			Label: p.T("admin.connectors.enabled")}
		for _, s := range g.inputs {
			vg.Inputs = append(vg.Inputs, input(s.key, s.typ))
		}
		if g.platform != "" {
			vg.Mapping = mappingProps(p, g.platform, cs.Mappings[g.platform], typed, errs, classes)
		}
		props.Groups = append(props.Groups, vg)
	}
	if len(errs) > 0 {
		props.Problem = p.T("admin.connectors.problem")
	}
	return props, nil
}

// mappingProps are a shop's mapping rows: the typed ones of a refused form
// (with their errors), else the stored rules, and blank rows to add more.
func mappingProps(p *portal, platform string, stored platforms.Mapping, typed *connectorsTyped, errs map[string]string,
	classes []views.AdminOption) *views.MappingProps {
	key := mappingKey(platform)
	m := &views.MappingProps{Name: key, Classes: classes}
	for _, k := range platforms.MatchKinds[platform] {
		m.Kinds = append(m.Kinds, views.AdminOption{Value: k, Label: p.T("admin.connectors.match." + k)})
	}
	if typed != nil {
		m.Rows = append(m.Rows, typed.rows[platform]...)
	} else {
		for _, r := range stored.Rules {
			kind, value, _ := strings.Cut(r.Match, ":")
			m.Rows = append(m.Rows, views.MappingRow{Kind: kind, Value: value, Category: r.Category,
				FinalSale: r.FinalSale, Exemption: r.Exemption})
		}
	}
	for i := range m.Rows {
		m.Rows[i].Error = errs[key+"["+strconv.Itoa(i)+"]"]
	}
	for range mappingBlankRows {
		if len(m.Rows) < maxMappingRows {
			m.Rows = append(m.Rows, views.MappingRow{})
		}
	}
	return m
}

func mappingKey(platform string) string {
	if platform == platforms.WooCommerce {
		return service.SettingWooMapping
	}
	return service.SettingShopifyMapping
}

// parseConnectorsForm reads the connectors' form: every setting by its key,
// the credentials to forget, and each shop's mapping rows (blank rows
// dropped, so that rule i of the service's errors is row i of the form
// shown again).
func parseConnectorsForm(c echo.Context) (service.ConnectorForm, *connectorsTyped, error) {
	// The CSRF check has parsed the form under the body limit already.
	params, err := c.FormParams()
	if err != nil {
		return service.ConnectorForm{}, nil, err
	}
	f := service.ConnectorForm{Values: map[string]string{}, Clear: params["clear"],
		Mappings: map[string][]platforms.Rule{}}
	typed := &connectorsTyped{values: map[string]string{}, rows: map[string][]views.MappingRow{}}
	keys := []string{service.SettingRefundExecutor}
	for _, g := range connectorGroups {
		keys = append(keys, g.enabled)
		for _, s := range g.inputs {
			keys = append(keys, s.key)
		}
	}
	for _, k := range keys {
		f.Values[k] = params.Get(k)
		typed.values[k] = params.Get(k)
	}
	for _, platform := range []string{platforms.Shopify, platforms.WooCommerce} {
		key := mappingKey(platform)
		for i := range maxMappingRows {
			field := func(name string) string {
				return strings.TrimSpace(params.Get(key + "[" + strconv.Itoa(i) + "]." + name))
			}
			row := views.MappingRow{Kind: field("kind"), Value: field("value"), Category: field("category"),
				FinalSale: field("final_sale") == "true", Exemption: field("exemption")}
			if row == (views.MappingRow{}) {
				continue
			}
			match := row.Kind
			if row.Kind != "gift_card" && (row.Kind != "" || row.Value != "") {
				match = row.Kind + ":" + row.Value
			}
			f.Mappings[platform] = append(f.Mappings[platform], platforms.Rule{Match: match, Category: row.Category,
				FinalSale: row.FinalSale, Exemption: row.Exemption})
			typed.rows[platform] = append(typed.rows[platform], row)
		}
	}
	return f, typed, nil
}

// connectorsSubmit is POST /admin/settings/connectors: validated and stored
// (service.SaveConnectors), in force at once; a refused form is shown again
// with its errors (422), its credentials blank.
func (a *admin) connectorsSubmit(c echo.Context) error {
	f, typed, err := parseConnectorsForm(c)
	if err != nil {
		return err
	}
	err = a.svc.SaveConnectors(c.Request().Context(), f)
	var fe returns.FieldErrors
	if !errors.As(err, &fe) {
		if err != nil {
			return err
		}
		return seeOther(c, "/admin/settings?connectors=saved#connectors")
	}
	p := a.portal(c)
	props, err := a.settingsFromStore(c, p)
	if err != nil {
		return err
	}
	errs := map[string]string{}
	for _, e := range fe {
		errs[e.Path] = p.T("admin.connectors.error." + e.Code)
	}
	if props.Connectors, err = a.connectorsProps(c, p, typed, errs); err != nil {
		return err
	}
	return p.view(http.StatusUnprocessableEntity, views.AdminSettings(props))
}
