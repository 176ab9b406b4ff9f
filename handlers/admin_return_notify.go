package handlers

import (
	"net/url"
	"time"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// notifyProps adds to a return's staff page the shopper's survey answer
// and, for members who may read the outbox, the link to the return's
// e-mails and webhooks.
func notifyProps(props *views.ReturnProps, sr service.StaffReturn, outbox bool, loc *time.Location) {
	if f := sr.Feedback; f != nil {
		props.Feedback = &views.FeedbackView{Score: f.Score, Comment: f.Comment, At: staffTime(f.At, loc)}
	}
	if outbox {
		props.OutboxHref = "/admin/outbox?" + url.Values{"rma": {sr.Return.RMA}}.Encode()
	}
}
