package views

// Props of the connectors' section of the settings page
// (admin_connectors.templ): the default refund executor, then per
// connector (Stripe, Shopify, WooCommerce) whether it is in use, its
// settings and credentials, and for the shops the mapping of their
// products to the portal's categories, final sale and exemptions.

// ConnectorsProps is the connectors' section.
type ConnectorsProps struct {
	// CanStoreSecrets: RETURNS_SECRETS_KEY is configured; without it the
	// credential inputs are disabled and the section says why.
	CanStoreSecrets bool
	Saved           bool
	// Problem sums up a refused save ("fix the marked fields").
	Problem  string
	Executor ConnectorInput
	Groups   []ConnectorGroup
}

// ConnectorGroup is one connector's fieldset.
type ConnectorGroup struct {
	// ID names the connector (stripe, shopify, woocommerce) in element ids
	// and test ids.
	ID, Title, Intro string
	Enabled          ConnectorInput
	Inputs           []ConnectorInput
	// Mapping is nil for a connector without products (Stripe).
	Mapping *MappingProps
}

// ConnectorInput is one setting: a text, URL or select input, a checkbox,
// or a write-only credential.
type ConnectorInput struct {
	// Name is the setting's key, the input's name.
	Name, Label, Hint string
	// Type is text, url, password (a credential), select or checkbox.
	Type    string
	Value   string
	Checked bool
	Options []AdminOption
	// FromEnv: the environment sets it (read-only here); Set: a value is
	// in force (a credential shows only this).
	FromEnv, Set bool
	// Disabled: a credential that cannot be stored (no
	// RETURNS_SECRETS_KEY).
	Disabled bool
	Error    string
}

// ID is the input's element id.
func (c ConnectorInput) ID() string { return fieldID(c.Name) }

// MappingProps is a shop's mapping: its rules as rows of the form, with
// blank rows to add more.
type MappingProps struct {
	// Name is the mapping's setting key; row inputs are
	// Name[i].kind, .value, .category, .final_sale, .exemption.
	Name    string
	Rows    []MappingRow
	Kinds   []AdminOption
	Classes []AdminOption
}

// MappingRow is one rule as the form holds it.
type MappingRow struct {
	Kind, Value, Category, Exemption string
	FinalSale                        bool
	Error                            string
}
