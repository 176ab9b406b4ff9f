package returns

import "slices"

// EffectiveRules are the merchant's rules for one destination country: the
// first matching region's fields over the defaults. Legal floors are applied
// where decisions are made (Evaluate, BuildQuote), not here, so that the admin
// can show both the merchant's value and the floor that raised it.
type EffectiveRules struct {
	WindowDays              int
	WindowStarts            string
	RefundMethods           []string
	StoreCreditBonusPercent int
	RestockingFeePercent    int
	ReturnShippingFee       map[string]int64
	ExcludedCategories      []string
	FinalSaleReturnable     bool
	Hub                     string
	TransitDays             int
	InspectionDays          int
	DropOffDays             int
	AutoApprove             bool
	WindowEndRule           string
	// DropOffReminder: remind the shopper of the drop-off deadline (on
	// unless the policy turns it off).
	DropOffReminder bool
	// Exchanges are the exchange settings (off unless the policy turns
	// them on).
	Exchanges ExchangePolicy
	// ReceiveOnDelivery: the carrier's delivery marks the return received.
	ReceiveOnDelivery bool
	// RefundTrigger is when a return is paid back without staff
	// (RefundOnInspected unless the policy says otherwise), RefundTriggerMax
	// the limits per currency (nil: none).
	RefundTrigger    string
	RefundTriggerMax map[string]int64
	// Region is the index of the region entry that matched, or -1.
	Region int
}

// Window start events of the merchant window.
const (
	StartDelivery = "delivery"
	StartShipment = "shipment"
	StartOrder    = "order"
)

// RegionFor returns the index of the first region that lists the country (or
// a group containing it), or -1.
func (p Policy) RegionFor(legal *Legal, country string) int {
	for i, r := range p.Regions {
		for _, c := range r.Countries {
			if c == country || legal.InGroup(country, c) {
				return i
			}
		}
	}
	return -1
}

// Effective returns the merchant's rules for a destination country. A field
// present in the matching region replaces the default's value whole (maps and
// lists included).
func (p Policy) Effective(legal *Legal, country string) EffectiveRules {
	e := EffectiveRules{WindowStarts: StartDelivery, WindowEndRule: PeriodEndAsCounted, DropOffReminder: true,
		RefundTrigger: RefundOnInspected, Region: -1}
	e.apply(p.Default)
	if i := p.RegionFor(legal, country); i >= 0 {
		e.Region = i
		e.apply(p.Regions[i].Rules)
	}
	return e
}

func (e *EffectiveRules) apply(r Rules) {
	setInt := func(dst *int, src *int) {
		if src != nil {
			*dst = *src
		}
	}
	setInt(&e.WindowDays, r.WindowDays)
	setInt(&e.StoreCreditBonusPercent, r.StoreCreditBonusPercent)
	setInt(&e.RestockingFeePercent, r.RestockingFeePercent)
	setInt(&e.TransitDays, r.TransitDays)
	setInt(&e.InspectionDays, r.InspectionDays)
	setInt(&e.DropOffDays, r.DropOffDays)
	if r.WindowStarts != nil {
		e.WindowStarts = *r.WindowStarts
	}
	if r.WindowEndRule != nil {
		e.WindowEndRule = *r.WindowEndRule
	}
	if r.RefundMethods != nil {
		e.RefundMethods = slices.Clone(*r.RefundMethods)
	}
	if r.ReturnShippingFee != nil {
		e.ReturnShippingFee = make(map[string]int64, len(*r.ReturnShippingFee))
		for k, v := range *r.ReturnShippingFee {
			e.ReturnShippingFee[k] = v
		}
	}
	if r.ExcludedCategories != nil {
		e.ExcludedCategories = slices.Clone(*r.ExcludedCategories)
	}
	if r.FinalSaleReturnable != nil {
		e.FinalSaleReturnable = *r.FinalSaleReturnable
	}
	if r.Hub != nil {
		e.Hub = *r.Hub
	}
	if r.AutoApprove != nil {
		e.AutoApprove = *r.AutoApprove
	}
	if r.DropOffReminder != nil {
		e.DropOffReminder = *r.DropOffReminder
	}
	if r.ReceiveOnDelivery != nil {
		e.ReceiveOnDelivery = *r.ReceiveOnDelivery
	}
	if r.RefundTrigger != nil {
		e.RefundTrigger = *r.RefundTrigger
	}
	if r.RefundTriggerMax != nil {
		e.RefundTriggerMax = make(map[string]int64, len(*r.RefundTriggerMax))
		for k, v := range *r.RefundTriggerMax {
			e.RefundTriggerMax[k] = v
		}
	}
	if r.Exchanges != nil {
		e.Exchanges = *r.Exchanges
	}
}

// Reason returns the policy's reason with the given code.
func (p Policy) Reason(code string) (Reason, bool) {
	for _, r := range p.Reasons {
		if r.Code == code {
			return r, true
		}
	}
	return Reason{}, false
}

// HubByCode returns the hub with the given code.
func (p Policy) HubByCode(code string) (Hub, bool) {
	for _, h := range p.Hubs {
		if h.Code == code {
			return h, true
		}
	}
	return Hub{}, false
}
