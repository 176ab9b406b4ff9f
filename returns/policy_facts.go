package returns

import (
	"slices"
	"sort"
	"time"

	"github.com/bojanz/currency"
)

// PolicyFacts are what the return policy says for deliveries to one
// country, with the law of that country applied: the windows with their
// unit, what cannot be returned, who pays return shipping, which refund
// methods are offered and how long things take. The shopper's pages put
// them in words (the policy page in full, the review page in short), both
// from these facts, so that they cannot disagree.
type PolicyFacts struct {
	// Country is the destination the facts are for ("" for the merchant's
	// general rules).
	Country string
	// WindowDays is the merchant's return window (0: none), counted from
	// WindowStarts (StartDelivery, StartShipment, StartOrder).
	WindowDays   int
	WindowStarts string
	// WindowEnd says what moves the end of the merchant's window
	// (PeriodEndCoverage: nothing, weekends, weekends and holidays).
	WindowEnd string
	// HolidaySeason is the policy's holiday extension of that window:
	// orders placed in the season may be returned until a later day, nil
	// when there is none (or no window to extend).
	HolidaySeason *HolidaySeason
	// Statutory is the law's withdrawal right there, nil where there is
	// none (or no country is known).
	Statutory *StatutoryPeriod
	// FaultyClaimMonths is how long the law lets a faulty item be
	// claimed (0: not stated).
	FaultyClaimMonths int

	// ExcludedCategories cannot be returned under the merchant's window;
	// FinalSaleExcluded: neither can final-sale items. ExemptClasses are
	// the classes the law exempts from withdrawal. Within the statutory
	// period the law overrides the merchant's exclusions (Statutory != nil).
	ExcludedCategories []string
	FinalSaleExcluded  bool
	ExemptClasses      []string

	// RestockingFeePercent applies to items returned without a fault.
	RestockingFeePercent int
	// ShippingFees are the return shipping fees that apply, by currency
	// (none: return shipping is free); never charged for a fault.
	ShippingFees []Fee
	// NoFeesWithinStatutory: the law forbids fees on a statutory withdrawal.
	NoFeesWithinStatutory bool

	// Methods are the refund methods on offer, in order (OfferMethods).
	Methods []MethodOffer
	// SameMeansRequired: within the statutory period the refund goes to the
	// original means of payment unless the shopper agrees otherwise.
	SameMeansRequired bool

	// DropOffDays is how long the shopper has to send the parcel;
	// ProcessingDays how long its way to the hub and the check take.
	DropOffDays    int
	ProcessingDays int
	// RefundDeadline is the law's deadline for paying a withdrawal back,
	// nil where it sets none.
	RefundDeadline *StatutoryPeriod
}

// HolidaySeason is a holiday extension as days of the year: orders placed
// from From to To (inclusive; the season may wrap the year end) may be
// returned until the next Until.
type HolidaySeason struct {
	From, To, Until MonthDay
}

// MonthDay is a day of the year.
type MonthDay struct {
	Month time.Month
	Day   int
}

// season is the extension's days of the year, nil when there is no
// extension or its dates are malformed (which disables it: extendedUntil).
func (h *HolidayExtension) season() *HolidaySeason {
	if h == nil {
		return nil
	}
	fm, fd, ok1 := parseMonthDay(h.From)
	tm, td, ok2 := parseMonthDay(h.To)
	um, ud, ok3 := parseMonthDay(h.Until)
	if !ok1 || !ok2 || !ok3 {
		return nil
	}
	return &HolidaySeason{From: MonthDay{fm, fd}, To: MonthDay{tm, td}, Until: MonthDay{um, ud}}
}

// StatutoryPeriod is a period the law sets, in days of a unit.
type StatutoryPeriod struct {
	Days int
	// BusinessDays: Monday to Friday count, weekends do not.
	BusinessDays bool
	// End says what moves the period's last day (PeriodEndCoverage).
	End string
}

// Fee is an amount in minor units of a currency.
type Fee struct {
	Currency string
	Amount   int64
}

// MethodOffer is a refund method on offer and what comes with it.
type MethodOffer struct {
	Code string
	// BonusPercent is store credit's bonus on top (0 for other methods).
	BonusPercent int
	// ConsentRequired: the shopper must agree explicitly to this method
	// (another means than the original where the law requires the same).
	ConsentRequired bool
}

// PolicyScope is what the facts are for: a destination country (""
// for the merchant's general rules) with its region, and the currency of
// an order when one is known. Without a currency the fees are those in the
// country's own currency where the policy prices it, else every currency
// it prices.
type PolicyScope struct {
	Country  string
	Region   string
	Currency string
}

// FactsFor gathers the policy's facts for a scope: the merchant's
// effective rules there and the law's floors of the country.
func FactsFor(p Policy, legal *Legal, s PolicyScope) PolicyFacts {
	r := p.Effective(legal, s.Country)
	var m *Market
	if s.Country != "" {
		m = legal.For(s.Country, s.Region)
	}
	f := PolicyFacts{
		Country:    s.Country,
		WindowDays: r.WindowDays, WindowStarts: r.WindowStarts,
		ExcludedCategories: r.ExcludedCategories, FinalSaleExcluded: !r.FinalSaleReturnable,
		RestockingFeePercent: r.RestockingFeePercent, ShippingFees: shippingFees(r.ReturnShippingFee, s),
		DropOffDays: r.DropOffDays, ProcessingDays: r.TransitDays + r.InspectionDays,
	}
	w := m.StatutoryWithdrawal()
	if r.WindowDays > 0 {
		f.WindowEnd = PeriodEndCoverage(r.WindowEndRule, legal.Calendar(), s.Country)
		f.HolidaySeason = p.HolidayExtension.season()
	}
	if w != nil {
		f.Statutory = &StatutoryPeriod{Days: w.Days, BusinessDays: w.Unit == unitBusiness,
			End: PeriodEndCoverage(w.PeriodEndRule, legal.Calendar(), s.Country)}
	}
	if m != nil {
		f.FaultyClaimMonths = m.FaultyClaimMonths
		if len(m.ExemptClasses) > 0 {
			f.ExemptClasses = m.ExemptClasses
		}
		f.NoFeesWithinStatutory = !m.FeesAllowed()
		f.SameMeansRequired = m.SameMeansRequired()
		if m.Refund != nil && m.Refund.DeadlineDays != nil && w != nil {
			f.RefundDeadline = &StatutoryPeriod{Days: *m.Refund.DeadlineDays, BusinessDays: m.Refund.DeadlineUnit == unitBusiness}
		}
	}
	for _, code := range offeredMethods(r.RefundMethods, s.Country, w != nil) {
		mo := MethodOffer{Code: code, ConsentRequired: w != nil && f.SameMeansRequired && code != MethodOriginalPayment}
		if code == MethodStoreCredit {
			mo.BonusPercent = r.StoreCreditBonusPercent
		}
		f.Methods = append(f.Methods, mo)
	}
	return f
}

// shippingFees picks the return shipping fees that apply in a scope: the
// order's currency's when it is known, else the country's own currency's
// where priced, else all, sorted by currency. A fee of 0 is no fee.
func shippingFees(fees map[string]int64, s PolicyScope) []Fee {
	curs := make([]string, 0, len(fees))
	for cur, amount := range fees {
		if amount > 0 {
			curs = append(curs, cur)
		}
	}
	sort.Strings(curs)
	pick := s.Currency
	if pick == "" && s.Country != "" {
		if local, ok := currency.ForCountryCode(s.Country); ok && fees[local] > 0 {
			pick = local
		}
	}
	if pick != "" {
		curs = slices.DeleteFunc(curs, func(c string) bool { return c != pick })
	}
	out := make([]Fee, 0, len(curs))
	for _, cur := range curs {
		out = append(out, Fee{Currency: cur, Amount: fees[cur]})
	}
	return out
}

// offeredMethods are the refund methods on offer from the merchant's
// effective list: exchange (reserved) never; bank transfer only where the
// country uses IBANs (or no country is known: the general rules); each
// once; and under a statutory right the original means of payment first,
// listed or not.
func offeredMethods(methods []string, country string, statutory bool) []string {
	var out []string
	for _, m := range methods {
		switch {
		case slices.Contains(out, m):
		case m == MethodOriginalPayment || m == MethodStoreCredit:
			out = append(out, m)
		case m == MethodBankTransfer && (country == "" || UsesIBAN(country)):
			out = append(out, m)
		}
	}
	if statutory && !slices.Contains(out, MethodOriginalPayment) {
		out = slices.Insert(out, 0, MethodOriginalPayment)
	}
	return out
}
