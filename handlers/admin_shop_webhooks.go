package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/views"
)

// shopWebhooksPage is GET /admin/settings/shop-webhooks (admins only): the latest
// shop webhook deliveries that could not be applied, with the reason, the
// time and the start of the payload. The payload is the sender's text: it
// is shown as text (escaped), cut at service.UnmappedPayloadShown
// characters.
func (a *admin) shopWebhooksPage(c echo.Context) error {
	rows, err := a.svc.UnmappedWebhooks(c.Request().Context())
	if err != nil {
		return err
	}
	p, loc := a.portal(c), a.staffLoc(c)
	props := views.ShopWebhooksProps{Page: a.page(c, p, "admin.shop_webhooks.title", "settings")}
	for _, r := range rows {
		row := views.ShopWebhookRow{Platform: p.T("admin.refund.executor." + r.Platform), Topic: r.Topic,
			DeliveryID: r.DeliveryID, Reason: r.Reason, Received: staffTime(r.ReceivedAt, loc), OrderNumber: r.OrderNumber,
			Payload: strings.ToValidUTF8(r.Payload, "\uFFFD")}
		if r.PayloadLength > len([]rune(r.Payload)) {
			row.Cut = p.TData("admin.shop_webhooks.cut", map[string]any{"Count": r.PayloadLength})
		}
		props.Rows = append(props.Rows, row)
	}
	return p.view(http.StatusOK, views.AdminShopWebhooks(props))
}
