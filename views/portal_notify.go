package views

// LookupLinkProps is the page where a shopper asks for a link to her order
// by e-mail (when the lookup is blocked, or she prefers it).
type LookupLinkProps struct {
	Page        Page
	Lang        string
	OrderNumber string
	Email       string
	// Sent: the request was taken (the same answer whether or not an
	// e-mail goes out).
	Sent    bool
	Error   FieldError
	BackURL string
}

// FeedbackProps is the survey after the refund.
type FeedbackProps struct {
	Page Page
	RMA  string
	// Action is the form's address (with the return's token).
	Action string
	Lang   string
	// State: "form", "thanks" (just answered), "given" (answered before),
	// "not_open" (no refund yet).
	State   string
	Scores  []FeedbackScore
	Comment string
	Error   FieldError
	// CommentError is the comment's own message.
	CommentError FieldError
	StatusURL    string
}

// FeedbackScore is one choice of the 1–5 question.
type FeedbackScore struct {
	Value   string
	Label   string
	Checked bool
}
