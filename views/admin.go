package views

// AdminScriptFile confirms in a dialog and sounds the scans
// (static/admin.js).
const AdminScriptFile = "admin.js"

// AdminPage is what every staff page needs besides its content.
type AdminPage struct {
	Lang  string
	Dir   string
	Title string
	// Email and Role of the member logged in; empty on the login page.
	Email string
	Role  string
	// CSRF is the session's anti-CSRF token: a hidden field of every form
	// and, for htmx, the X-CSRF-Token header (hx-headers on <body>).
	CSRF string
	// Nav marks the current section: "queue", "receive".
	Nav string
}

// CSRFHeaders is the hx-headers value that sends the CSRF token with every
// htmx request.
func (p AdminPage) CSRFHeaders() string {
	b := []byte(`{"X-CSRF-Token":"`)
	for _, r := range p.CSRF { // the token is base64url; escape anyway
		if r == '"' || r == '\\' || r < 0x20 {
			continue
		}
		b = append(b, string(r)...)
	}
	return string(append(b, `"}`...))
}

// LoginProps is the login page.
type LoginProps struct {
	Page  AdminPage
	Email string
	Next  string
	// LoginCSRF pairs the form with the login cookie (login CSRF).
	LoginCSRF string
	Error     string
}

// QueueProps is the returns queue.
type QueueProps struct {
	Page     AdminPage
	Filter   QueueFilterProps
	Statuses []AdminOption
	Reasons  []AdminOption
	Hubs     []AdminOption
	// Shipments are the parcel filter's options.
	Shipments []AdminOption
	Sorts     []AdminOption
	Counts    []StatusCount
	Rows      []QueueRowProps
	NextHref  string
	// ExportHref is the CSV export of the filtered queue (all pages).
	ExportHref string
}

// QueueFilterProps are the queue form's current values.
type QueueFilterProps struct {
	Status, Country, Reason, Hub, From, To, Search, Sort string
	Overdue, RefundFailed                                bool
	// Kept: only the returns whose shopper kept the items.
	Kept bool
	// Shipment filters by the parcel (in transit, delivered and not yet
	// received).
	Shipment string
	Error    string
}

// More reports whether a filter other than the search and the status is
// set: the folded filters then show open.
func (f QueueFilterProps) More() bool {
	return f.Country != "" || f.Reason != "" || f.Hub != "" || f.From != "" || f.To != "" || f.Overdue || f.RefundFailed || f.Kept || f.Shipment != "" ||
		(f.Sort != "" && f.Sort != "newest")
}

// AdminOption is a choice of a select.
type AdminOption struct {
	Value, Label string
}

// StatusCount is the number of returns in one status, linking to them.
type StatusCount struct {
	Status, Label, Href string
	Count               int
}

// QueueRowProps is one return in the queue.
type QueueRowProps struct {
	RMA, Href, OrderNumber, Email, StatusCode, Status, Country, Total, Created string
	// Due is the legal refund deadline ("" when the law sets none).
	Due     string
	Overdue bool
	// Override: an admin granted goodwill on the return.
	Override bool
}

// ReceiveProps is the receive-by-scan page and its result fragment.
type ReceiveProps struct {
	Page AdminPage
	// Fragment renders only the #scan element (htmx).
	Fragment bool
	// Result: "" (nothing scanned yet), received, unknown, already_received,
	// cancelled, not_approved, closed, partial (the beginning of an RMA:
	// Matches lists the returns it may be).
	Result  string
	Message string
	RMA     string
	Href    string
	// Cue is how the result is signalled (ok, warn, error): a colour, an
	// icon and a tone, each beside the message.
	Cue     string
	Matches []ScanMatch
	// Scans are this page's scans, newest first (the current one
	// included); the form carries them to the next scan, so that the list
	// lasts as long as the page, with or without JavaScript.
	Scans []ScanRow
	// Received and Problems count Scans by outcome.
	Received, Problems int
}

// ScanRow is one scan of the receiving bench.
type ScanRow struct {
	// At is the scan's time as shown; Stamp the same in RFC 3339, carried
	// in the form.
	At, Stamp string
	// Input is what was scanned, canonical when it is an RMA.
	Input, Href     string
	Result, Message string
	Cue             string
}

// ScanMatch is a return that a partial RMA may be.
type ScanMatch struct {
	RMA, Href, Status string
}

// CueIcon is the symbol that tells a scan's cue apart without colour.
func CueIcon(cue string) string {
	switch cue {
	case "ok":
		return "✓"
	case "warn":
		return "!"
	}
	return "✕"
}

// ReturnProps is a return's detail page.
type ReturnProps struct {
	Page AdminPage
	// Shipment is the return's carrier shipment (nil: its hub draws its
	// own labels).
	Shipment                                              *AdminShipmentProps
	RMA, StatusCode, Status, Basis, Method, PolicyVersion string
	OrderNumber, Email, Customer, Country                 string
	// Address is the shipping address, line by line; Comment the
	// shopper's comment on the return. Both are shown as the shopper wrote
	// them, each isolated (<bdi>) from the page's direction.
	Address                []string
	Comment                string
	Created, Received, Due string
	Overdue                bool
	Items                  []ReturnItemProps
	Quote                  QuoteProps
	// OriginalQuote is the shopper's quote when an inspection changed it.
	OriginalQuote *QuoteProps
	Refund        *RefundProps
	Events        []EventProps
	Notes         []NoteProps
	// Actions the member may take now.
	CanApprove, CanReject, CanReceive, CanInspect, CanRefund, CanNote bool
	Conditions                                                        []AdminOption
	// IdempotencyKey is the refund form's key, fresh on every render.
	IdempotencyKey string
	// RefundConfirm is what the refund will do, for the confirmation
	// dialog (nil: no refund possible now).
	RefundConfirm *RefundConfirmProps
	// TimeZone names the zone of the page's times.
	TimeZone string
	Error    string
	// Photos the shopper uploaded (served to staff only).
	Photos []PhotoProps
	// Goodwill overrides granted by admins; Override is set when there is
	// any. CanGoodwill shows the form (admins, before the refund), with
	// the order's lines to choose from and the currency of the amount.
	Goodwill         []GoodwillProps
	Override         bool
	CanGoodwill      bool
	GoodwillLines    []AdminOption
	GoodwillCurrency string
	// Feedback is the shopper's survey answer (nil: none); OutboxHref
	// lists the return's e-mails and webhooks ("" for viewers).
	Feedback   *FeedbackView
	OutboxHref string
	// Exchanges are the exchanged items and their state; ReviewFlags the
	// review rules the return matched, in words (staff only); Returnless:
	// the shopper keeps the items (no parcel); GiftEmail: a gift's
	// recipient made the return and gets its messages there.
	Exchanges   []ExchangeStatus
	ReviewFlags []string
	Returnless  bool
	GiftEmail   string
}

// PhotoProps is a shopper's photo of an item.
type PhotoProps struct {
	Href, Item, Alt string
}

// GoodwillProps is one goodwill override: amount, the item it is for (""
// above the quote), the admin's reason, who and when.
type GoodwillProps struct {
	Amount, Item, Reason, Actor, At string
}

// ReturnItemProps is one item of a return, with its inspection if any.
type ReturnItemProps struct {
	LineID, SKU, Name, Reason string
	// CustomsDescription is the shop's English description for customs.
	CustomsDescription string
	Quantity           int
	Refund             string
	Inspected          bool
	Accepted           int
	Condition, Notes   string
}

// RefundProps is a return's refund or store credit.
type RefundProps struct {
	ID, Amount, Bonus, Goodwill, Method, CreditCode, Actor, At string
	// Executor and State are translated; StateCode is pending, succeeded
	// or failed. ProviderID is the provider's refund id, ProviderURL its
	// page in the provider's dashboard ("" when none). ErrorCode and
	// ErrorMessage are the provider's refusal (failed).
	Executor, State, StateCode, ProviderID, ProviderURL string
	ErrorCode, ErrorMessage                             string
	// Explanation says what a provider's error code means for staff ("" for
	// a code without one); PendingHint explains a pending refund.
	Explanation, PendingHint string
	// CanRetry: an agent may retry a failed refund or record it as paid by
	// hand.
	CanRetry bool
}

// EventProps is one entry of a return's audit trail.
type EventProps struct {
	At, Actor, Action, From, To, Note string
	// FromLabel and ToLabel are the statuses in the member's language.
	FromLabel, ToLabel string
}

// NoteProps is a staff note.
type NoteProps struct {
	At, Actor, Body string
}

// RefundConfirmProps is the refund's confirmation: what will be paid, how,
// and what follows; the dialog of the return's page with JavaScript, a page
// of its own without.
type RefundConfirmProps struct {
	Page     AdminPage
	RMA      string
	Total    string
	Currency string
	// Parts are the amounts that make the total (the quote, a store
	// credit bonus, goodwill), when there is more than one.
	Parts  []AdminOption
	Method string
	// Destination says where the money goes (the shopper's original
	// payment, an IBAN, a store credit code).
	Destination string
	// Consequences are what happens once it is confirmed.
	Consequences   []string
	IdempotencyKey string
	BackHref       string
	// Problem replaces the confirmation when the refund cannot be paid.
	Problem string
}
