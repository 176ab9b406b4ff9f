package returns

// Limitation is why a line cannot be returned, or only if it is faulty, in
// the terms of its actual case, for the shopper's page to word: the window
// that closed and when, a final sale, an excluded category, an exemption by
// law (and its class). The page says "the return window closed on 2 March;
// only if faulty", never "only if faulty" alone, and never a case that is
// not the one that applies.
type Limitation struct {
	// Code is one of the eligibility codes: CodeWindowClosed,
	// CodeFinalSale, CodeExcludedCategory, CodeExemptByLaw,
	// CodeNotDelivered, CodeFullyReturned; "" when nothing limits the line.
	Code string
	// FaultyOnly: the line may still be returned if it is faulty (the
	// law's faulty-goods period runs), for a reason of the merchant's fault.
	FaultyOnly bool
	// ClosedOn is the last day of the window that has closed
	// (CodeWindowClosed), nil when no window ever applied.
	ClosedOn *Date
	// Class is the line's exemption class (CodeExemptByLaw).
	Class string
}

// LimitationOf says what limits a line, from its eligibility (Evaluate).
func LimitationOf(e LineEligibility, l Line) Limitation {
	code := e.Code
	var lim Limitation
	switch e.Code {
	case CodeOK:
		return Limitation{}
	case CodeFaultyOnly:
		code, lim.FaultyOnly = e.BlockedBy, true
	}
	lim.Code = code
	switch code {
	case CodeWindowClosed:
		lim.ClosedOn = copyDate(e.Deadline)
	case CodeExemptByLaw:
		lim.Class = l.Exemption
	}
	return lim
}

// ReasonsFor are the reasons a line accepts: all of them where it may be
// returned without a fault, only those of the merchant's fault where it may
// be returned only if faulty (BuildQuote refuses the others with
// CodeFaultReasonRequired), none where it cannot be returned.
func ReasonsFor(e LineEligibility, reasons []Reason) []Reason {
	var out []Reason
	for _, r := range reasons {
		switch {
		case !e.Eligible:
		case e.Code == CodeFaultyOnly && !r.MerchantFault:
		default:
			out = append(out, r)
		}
	}
	return out
}
