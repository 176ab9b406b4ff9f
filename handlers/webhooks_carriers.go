package handlers

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
)

// maxCarrierWebhook bounds a carrier's tracking webhook (an EasyPost
// tracker with its whole history stays far below).
const maxCarrierWebhook = 1 << 20

// carrierWebhook is POST /webhooks/easypost and /webhooks/sendcloud: the
// raw body and headers go to the service, which checks the signature over
// the raw body before reading it (401 when it is missing or wrong; 404 when
// the platform is not configured) and answers 200 once the events are
// stored, whether they moved a shipment, were known already or match no
// shipment: the platform would otherwise send them again.
func (s *Server) carrierWebhook(provider string) echo.HandlerFunc {
	return func(c echo.Context) error {
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		outcome, err := s.svc.CarrierWebhook(c.Request().Context(), provider, c.Request().Header, body)
		switch {
		case errors.Is(err, service.ErrWebhookSignature):
			return errUnauthorized
		case err != nil:
			return err
		}
		return c.JSON(http.StatusOK, map[string]string{"outcome": outcome})
	}
}

// carrierWebhookRoutes registers the carrier platforms' webhooks.
func (s *Server) carrierWebhookRoutes(e *echo.Echo) {
	for _, provider := range []string{returns.LabelProviderEasyPost, returns.LabelProviderSendcloud} {
		e.POST("/webhooks/"+provider, s.carrierWebhook(provider), limitBody(maxCarrierWebhook))
	}
}
