package views

// OutboxProps is the staff's list of what the portal sends: e-mails and
// webhook deliveries, with filters.
type OutboxProps struct {
	Page     AdminPage
	Filter   OutboxFilterProps
	Channels []AdminOption
	Statuses []AdminOption
	Counts   []OutboxCount
	Rows     []OutboxRow
	NextHref string
	// Kept: no SMTP server is configured, e-mails are kept here.
	Kept bool
}

// OutboxFilterProps are the outbox form's current values.
type OutboxFilterProps struct {
	Channel, Status, RMA string
}

// OutboxCount is the number of rows of a channel in a state.
type OutboxCount struct {
	Label string
	N     int
	Href  string
}

// OutboxRow is one e-mail or delivery in a list.
type OutboxRow struct {
	ID          string
	Href        string
	Channel     string // email, webhook
	Event       string
	RMA         string
	RMAHref     string
	Recipient   string
	StatusCode  string
	Status      string // translated
	Attempts    int
	Created     string
	NextTry     string // "" unless pending
	LastError   string
	LastCode    string
	CanResend   bool
	Subject     string
	EndpointURL string
}

// OutboxMessageProps is one e-mail or delivery: what was sent (the
// e-mail's headers, text, and HTML in a sandboxed frame; the webhook's
// body) and every attempt.
type OutboxMessageProps struct {
	Page     AdminPage
	Row      OutboxRow
	Headers  string
	Text     string
	HTMLHref string
	Payload  string
	Attempts []OutboxAttemptRow
	Resent   bool
	Error    string
}

// OutboxAttemptRow is one attempt at sending.
type OutboxAttemptRow struct {
	At, Code, Error, Duration string
}

// WebhooksProps is the webhook endpoints' page in the settings.
type WebhooksProps struct {
	Page      AdminPage
	Endpoints []WebhookRow
	Events    []AdminOption
	// NewSecret is shown once, after a creation or rotation, for the
	// endpoint NewSecretFor.
	NewSecret    string
	NewSecretFor string
	// The creation form as typed, and what was wrong with it.
	FormURL    string
	FormEvents map[string]bool
	Errors     map[string]string
	Done       string
}

// WebhookRow is one endpoint.
type WebhookRow struct {
	ID       string
	URL      string
	Events   string
	Enabled  bool
	Status   string // translated: enabled, disabled (why)
	Created  string
	Href     string
	OldUntil string // the old secret still signs until then ("" none)
}

// WebhookProps is one endpoint with its recent deliveries.
type WebhookProps struct {
	Page       AdminPage
	Endpoint   WebhookRow
	Deliveries []OutboxRow
	NextHref   string
}

// FeedbackView is a shopper's survey answer on the return's staff page.
type FeedbackView struct {
	Score   int
	Comment string
	At      string
}
