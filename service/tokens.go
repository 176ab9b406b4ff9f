package service

import (
	"context"
	"errors"
	"time"

	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
)

// A return's links carry one of two tokens (internal/token), and what the
// holder may do is decided here, in OpenReturn, and nowhere else:
//
//   - the view token (ViewToken) goes where others see it: the label's QR
//     code, links printed on documents. It shows the return's course and
//     opens its label and customs declaration, without personal data;
//   - the manage token (ManageToken) goes only to the shopper: the
//     confirmation page after creating the return, and her e-mails. It
//     also shows her personal data and may cancel the return;
//   - the lookup token of the return's order may do what the manage token
//     may: whoever holds it proved the order number and e-mail; the gift
//     lookup's token likewise for the returns its recipient made (and
//     only those: the buyer's lookup does not open them either).
//
// Return links issued before the split (token.Return, still in e-mails and
// on printed labels) keep opening their return, for viewing only: nobody
// can tell a confirmation link from a label's QR code by the token, and
// the shopper regains the cancel button through a lookup.

// Grant is what a token lets its holder do with a return.
type Grant struct {
	// Documents: download the label and the customs declaration.
	Documents bool
	// Personal: see the shopper's name, e-mail, address and bank account.
	Personal bool
	// Cancel: call the return off (and, later, change it).
	Cancel bool
}

var (
	viewGrant   = Grant{Documents: true}
	manageGrant = Grant{Documents: true, Personal: true, Cancel: true}
)

// ErrNotPermitted: a genuine token that does not allow what was asked (a
// view token asked to cancel).
var ErrNotPermitted = errors.New("the token does not allow this")

// ViewToken is the token of a return's links that anyone may read: the
// label's QR code, status links printed on documents. It expires after
// token.ViewTTL.
func (s *Service) ViewToken(rma string) string {
	t, _ := s.tokens.ForView(rma, s.now())
	return t
}

// ManageToken is the token of the links a return's shopper alone gets:
// the confirmation page, her e-mails. It expires after token.ManageTTL.
func (s *Service) ManageToken(rma string) string {
	t, _ := s.tokens.ForManage(rma, s.now())
	return t
}

// returnTokenGrace is how long a return's links keep working after the
// return has ended.
const returnTokenGrace = 30 * 24 * time.Hour

// ReturnAccess is a return opened for the holder of a token, in the
// shopper's language, with what the token allows. Without the Personal
// grant, Return holds no personal data (returns.Return.WithoutPersonalData).
// The zero value allows nothing.
type ReturnAccess struct {
	Return returns.Return
	Locale string
	May    Grant
}

// OpenReturn opens a return for the holder of a token: its view or manage
// token, an old return link (view only), or the lookup token of its order
// (everything). Whatever is wrong (no such RMA, a token for something
// else, a forged token) is the same ErrTokenInvalid; a token whose time is
// up is ErrTokenExpired, and so is a return link returnTokenGrace after the
// return ended.
func (s *Service) OpenReturn(ctx context.Context, rma, tok string) (ReturnAccess, error) {
	rma, ok := returns.NormalizeRMA(rma)
	if !ok || tok == "" {
		return ReturnAccess{}, ErrTokenInvalid
	}
	now := s.now()
	r, err := s.st.GetReturn(ctx, rma)
	if errors.Is(err, ErrNotFound) {
		return ReturnAccess{}, ErrTokenInvalid
	}
	if err != nil {
		return ReturnAccess{}, err
	}
	c, err := s.tokens.Parse(tok, now)
	switch {
	case errors.Is(err, token.ErrExpired):
		return ReturnAccess{}, ErrTokenExpired
	case err != nil:
		return ReturnAccess{}, ErrTokenInvalid
	}
	a := ReturnAccess{Return: r, Locale: r.Locale}
	switch c.Kind {
	case token.Order, token.Gift:
		// A gift's recipient opens the gift returns of the order, the buyer
		// the others: neither sees the other's.
		if c.Order != r.OrderNumber || (c.Kind == token.Gift) != r.Gift {
			return ReturnAccess{}, ErrTokenInvalid
		}
		a.Locale, a.May = c.Locale, manageGrant
	case token.Manage, token.View, token.Return:
		if c.RMA != r.RMA {
			return ReturnAccess{}, ErrTokenInvalid
		}
		if r.Status.Ended() && now.After(r.UpdatedAt.Add(returnTokenGrace)) {
			return ReturnAccess{}, ErrTokenExpired
		}
		// An old link has no expiry of its own: it lasts as a view token
		// issued with the return would.
		if c.Kind == token.Return && now.After(r.CreatedAt.Add(token.ViewTTL)) {
			return ReturnAccess{}, ErrTokenExpired
		}
		a.May = viewGrant
		if c.Kind == token.Manage {
			a.May = manageGrant
		}
	default:
		return ReturnAccess{}, ErrTokenInvalid
	}
	if !a.May.Personal {
		a.Return = a.Return.WithoutPersonalData()
	}
	return a, nil
}

// ShopperStatus is Status as the holder of a return's token sees it:
// without the Personal grant, the order holds no personal data
// (returns.Order.WithoutPersonalData).
func (s *Service) ShopperStatus(ctx context.Context, a ReturnAccess) (ReturnStatus, error) {
	d, err := s.Status(ctx, a.Return)
	if err == nil && !a.May.Personal {
		d.Order = d.Order.WithoutPersonalData()
	}
	return d, err
}
