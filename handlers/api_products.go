package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
)

// The merchant's catalog for exchanges (scope orders:write): the shop
// pushes each product with its variants and the units it has for
// exchanges; GET shows what is left after the portal's reservations.

// productInput is the body of PUT /api/v1/products/{id}.
type productInput struct {
	Title    string            `json:"title"`
	Variants []returns.Variant `json:"variants"`
}

// putProduct creates or replaces a product: 201 created, 200 replaced,
// 422 invalid_product with every invalid field (service.PutProduct).
func (s *Server) putProduct(c echo.Context) error {
	id := lastPathSegment(c)
	if !returns.ValidOrderNumber(id) {
		return invalidProduct(returns.FieldErrors{{Path: "id", Code: returns.FieldInvalid}})
	}
	var in productInput
	if err := decodeJSON(c, &in, "invalid_product"); err != nil {
		return err
	}
	v, created, err := s.svc.PutProduct(c.Request().Context(), returns.Product{ID: id, Title: in.Title, Variants: in.Variants})
	if err != nil {
		return invalidProduct(err)
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	return c.JSON(status, v)
}

// invalidProduct answers a product's field errors as invalid_product;
// other errors pass (a SKU of another product: 409).
func invalidProduct(err error) error {
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		return &apiError{Status: http.StatusUnprocessableEntity, Code: "invalid_product", Fields: fe}
	}
	return err
}

// getProduct shows a product with each variant's units available for
// exchanges now.
func (s *Server) getProduct(c echo.Context) error {
	v, err := s.svc.Product(c.Request().Context(), lastPathSegment(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// deleteProduct removes a product (204), unless open reservations hold
// one of its variants (409).
func (s *Server) deleteProduct(c echo.Context) error {
	if err := s.svc.DeleteProduct(c.Request().Context(), lastPathSegment(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
