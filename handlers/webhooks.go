package handlers

import (
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/platforms"
	"github.com/returns-portal/returns/service"
)

// maxWebhookBody bounds a shop's webhook delivery (an order with hundreds
// of lines stays far below).
const maxWebhookBody = 2 << 20

// shopWebhook is POST /webhooks/shopify and /webhooks/woocommerce: the raw
// body and the platform's headers go to the service, which verifies the
// HMAC before parsing (401 when wrong, 404 when the connector is not
// enabled) and answers 200 once the delivery is stored, whether applied,
// ignored, kept as unmappable or a duplicate.
func (s *Server) shopWebhook(c echo.Context) error {
	h := c.Request().Header
	d := service.WebhookDelivery{Platform: c.Param("platform")}
	switch d.Platform {
	case platforms.Shopify:
		d.ID, d.Topic = h.Get("X-Shopify-Webhook-Id"), h.Get("X-Shopify-Topic")
		d.Signature, d.ShopDomain = h.Get("X-Shopify-Hmac-Sha256"), h.Get("X-Shopify-Shop-Domain")
	case platforms.WooCommerce:
		d.ID, d.Topic = h.Get("X-WC-Webhook-Delivery-ID"), h.Get("X-WC-Webhook-Topic")
		d.Signature = h.Get("X-WC-Webhook-Signature")
		if d.Signature == "" && d.Topic == "" {
			// WooCommerce's ping when a webhook is saved is a form post
			// "webhook_id=N" without a signature: acknowledge it.
			return c.NoContent(http.StatusOK)
		}
	default:
		return errNotFound
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err
	}
	d.Body = body
	outcome, err := s.svc.ReceiveWebhook(c.Request().Context(), d)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"outcome": outcome})
}
