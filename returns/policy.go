package returns

// Policy is the merchant's return policy document, as stored (one row per
// version), exported and imported. Region entries override the defaults.
type Policy struct {
	Default          Rules             `json:"default"`
	Regions          []Region          `json:"regions"`
	Reasons          []Reason          `json:"reasons"`
	Hubs             []Hub             `json:"hubs"`
	HolidayExtension *HolidayExtension `json:"holiday_extension,omitempty"`
	// Returnless are the rules under which the shopper keeps the items
	// (MatchReturnless): cheap items whose return costs more than they
	// are worth.
	Returnless []ReturnlessRule `json:"returnless,omitempty"`
	// ReviewRules send a return that matches any of them to manual review
	// instead of auto-approval (ReviewReasons).
	ReviewRules []ReviewRule `json:"review_rules,omitempty"`
}

// Rules are the overridable fields of a policy. Every field is a pointer so
// that "absent" (inherit the default) differs from "present and empty": in a
// region, "return_shipping_fee": {} means free return shipping there.
type Rules struct {
	WindowDays              *int              `json:"window_days,omitempty"`
	WindowStarts            *string           `json:"window_starts,omitempty"`
	RefundMethods           *[]string         `json:"refund_methods,omitempty"`
	StoreCreditBonusPercent *int              `json:"store_credit_bonus_percent,omitempty"`
	RestockingFeePercent    *int              `json:"restocking_fee_percent,omitempty"`
	ReturnShippingFee       *map[string]int64 `json:"return_shipping_fee,omitempty"`
	ExcludedCategories      *[]string         `json:"excluded_categories,omitempty"`
	FinalSaleReturnable     *bool             `json:"final_sale_returnable,omitempty"`
	Hub                     *string           `json:"hub,omitempty"`
	TransitDays             *int              `json:"transit_days,omitempty"`
	InspectionDays          *int              `json:"inspection_days,omitempty"`
	DropOffDays             *int              `json:"drop_off_days,omitempty"`
	AutoApprove             *bool             `json:"auto_approve,omitempty"`
	// DropOffReminder: e-mail the shopper the day before the drop-off
	// deadline while the parcel has not arrived (default on).
	DropOffReminder *bool `json:"drop_off_reminder,omitempty"`
	// WindowEndRule: PeriodEndNextWorkingDay extends the merchant window
	// whose last day is a Saturday, Sunday or public holiday of the
	// shopper's country (or region) to the next working day, as the law
	// does for the statutory period; PeriodEndAsCounted (the default) keeps
	// the counted day.
	WindowEndRule *string `json:"window_end_rule,omitempty"`
	// Exchanges: whether items may be exchanged for another variant of the
	// same product (ExchangeOptions); a region's value replaces the
	// default's whole.
	Exchanges *ExchangePolicy `json:"exchanges,omitempty"`
	// ReceiveOnDelivery: the carrier's "delivered" (at the hub) marks the
	// return received, as a scan at the receiving bench would (default
	// off). Only hubs with a carrier label provider report deliveries.
	ReceiveOnDelivery *bool `json:"receive_on_delivery,omitempty"`
	// RefundTrigger is when a return is paid back without staff
	// (refund_trigger.go): RefundOnInspected (the default: staff refund
	// after the inspection), RefundOnReceived or RefundOnFirstScan.
	RefundTrigger *string `json:"refund_trigger,omitempty"`
	// RefundTriggerMax limits the automatic refund per currency: only a
	// return whose refund is below the currency's amount (minor units) is
	// paid back on the trigger; at or above it, or in a currency the map
	// does not list, it waits for staff. Absent: no limit.
	RefundTriggerMax *map[string]int64 `json:"refund_trigger_max,omitempty"`
}

// Region overrides the default rules for the listed countries. A country code
// or a group name of the legal data (EU, EEA_EFTA) may be listed.
type Region struct {
	Countries []string `json:"countries"`
	Rules
}

// Reason is a return reason on offer. Built-in codes are translated in
// locales/; a merchant's own code carries its Labels (English required).
type Reason struct {
	Code          string            `json:"code"`
	MerchantFault bool              `json:"merchant_fault"`
	PhotoRequired bool              `json:"photo_required,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
}

// Hub is a returns warehouse that parcels are sent to.
type Hub struct {
	Code        string     `json:"code"`
	Name        string     `json:"name"`
	Address     HubAddress `json:"address"`
	Carrier     string     `json:"carrier"`
	Service     string     `json:"service"`
	AccountNote string     `json:"account_note,omitempty"`
	// LabelProvider makes the hub's return labels (carrier.go):
	// LabelProviderOwn (the default) draws the portal's own document; a
	// carrier platform (LabelProviderEasyPost, LabelProviderSendcloud)
	// sells the carrier's label, with its tracking number.
	LabelProvider string `json:"label_provider,omitempty"`
	// PostagePaid: the merchant's carrier account pays the postage of the
	// own label, which then says "prepaid" and names the account
	// (AccountNote, required then). Without it (the default) the own label
	// says that the sender pays. Carrier labels are always paid by the
	// platform account.
	PostagePaid bool `json:"postage_paid,omitempty"`
}

// HubAddress is a hub's postal address.
type HubAddress struct {
	Line1      string `json:"line1"`
	Line2      string `json:"line2,omitempty"`
	City       string `json:"city"`
	PostalCode string `json:"postal_code"`
	Region     string `json:"region,omitempty"`
	Country    string `json:"country"`
}

// HolidayExtension: an order placed between From and To (MM-DD, inclusive) may
// be returned until the next Until date (MM-DD) when that is later than the
// normal merchant deadline.
type HolidayExtension struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Until string `json:"until"`
}

// Refund methods. Exchange is not a refund method: it is chosen per item
// (QuoteItem.Resolution); a return made only of exchanges records it as
// its method, and a policy may not list it among refund_methods.
const (
	MethodOriginalPayment = "original_payment"
	MethodStoreCredit     = "store_credit"
	MethodBankTransfer    = "bank_transfer"
	MethodExchange        = "exchange"
)
