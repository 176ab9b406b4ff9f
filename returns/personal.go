package returns

// What a return's view link may show. The view link is printed on the
// parcel (the label's QR code), so whoever handles the parcel holds it: it
// shows how the return is going, never who sent it or where the money
// goes. The shopper's own links (her manage link, her lookup) show
// everything.

// WithoutPersonalData is the order as a view link shows it: no name,
// e-mail, street, postal code, city, phone, Latin form of the address nor
// payment reference. The country and region stay (they decide the dates,
// the time zone and the money's format and name no one), and so do the
// items.
func (o Order) WithoutPersonalData() Order {
	o.Email, o.CustomerName = "", ""
	o.ShippingAddress = Address{Country: o.ShippingAddress.Country, Region: o.ShippingAddress.Region}
	o.Payment.Reference = ""
	return o
}

// WithoutPersonalData is the return as a view link shows it: without the
// bank account, its holder, the shopper's comment (free text, which may
// say anything about her) and a gift recipient's e-mail address.
func (r Return) WithoutPersonalData() Return {
	r.BankIBAN, r.BankHolder, r.Comment, r.GiftEmail = "", "", "", ""
	return r
}

// MaskIBAN shows a stored IBAN (electronic form) as its shopper may
// recognise it on a page others might glimpse: the country and check
// digits, then the last four characters ("DE89 … 3000"). Anything
// shorter than nine characters is masked whole.
func MaskIBAN(iban string) string {
	if len(iban) < 9 {
		return "…"
	}
	return iban[:4] + " … " + iban[len(iban)-4:]
}
