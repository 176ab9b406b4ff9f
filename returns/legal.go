package returns

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
)

// legalJSON is a copy of ../shared/legal/return-rules.json: the statutory
// floors per market. It is embedded so that the binary is self-contained.
//
//go:embed return-rules.json
var legalJSON []byte

// Legal is the parsed legal data: markets by code and the country groups.
type Legal struct {
	Classes map[string]string   `json:"classes"`
	Groups  map[string][]string `json:"groups"`
	Markets []Market            `json:"markets"`
	byCode  map[string]*Market
	// calendar knows the public holidays that move the end of a period;
	// nil means DefaultCalendar.
	calendar HolidayCalendar
}

// Market is one entry of the legal data. A nil pointer or an absent field sets
// no floor (see the data's "about").
type Market struct {
	Code                         string             `json:"market"`
	Withdrawal                   *Withdrawal        `json:"withdrawal"`
	Refund                       *LegalRefund       `json:"refund"`
	OutboundShippingRefund       string             `json:"outbound_shipping_refund"`
	ReturnShippingPayerDefault   string             `json:"return_shipping_payer_default"`
	ExemptClasses                []string           `json:"exempt_classes"`
	FinalSaleOverridesWithdrawal *bool              `json:"final_sale_overrides_withdrawal"`
	FaultyClaimMonths            int                `json:"faulty_claim_months"`
	FaultyGoods                  *FaultyGoodsDetail `json:"faulty_goods_detail"`
	WithdrawalFunctionFrom       string             `json:"withdrawal_function_required_from"`
	Unverified                   []string           `json:"unverified"`
}

// Withdrawal is a statutory change-of-mind right.
type Withdrawal struct {
	Days                             int    `json:"days"`
	Unit                             string `json:"unit"`
	CountedFrom                      string `json:"counted_from"`
	FirstDay                         string `json:"first_day"`
	ExtensionIfNotInformedMonths     int    `json:"extension_if_not_informed_months"`
	ConsumerSendsBackWithinDays      int    `json:"consumer_sends_back_within_days"`
	OnlyIfMerchantPolicyNotDisplayed bool   `json:"only_if_merchant_policy_not_displayed"`
	GoodsMustBeIntact                bool   `json:"goods_must_be_intact"`
	// PeriodEndRule is PeriodEndNextWorkingDay where a period ending on a
	// weekend or public holiday runs to the next working day; empty or
	// PeriodEndAsCounted where the counted last day stands.
	PeriodEndRule string `json:"period_end_rule"`
}

// LegalRefund is how the law says money goes back after a withdrawal.
type LegalRefund struct {
	DeadlineDays      *int   `json:"deadline_days"`
	DeadlineUnit      string `json:"deadline_unit"`
	DeadlineFrom      string `json:"deadline_from"`
	MayWithhold       bool   `json:"may_withhold_until_goods_or_proof_of_dispatch"`
	SameMeansRequired bool   `json:"same_means_required"`
	FeesAllowed       *bool  `json:"fees_allowed"`
}

// FaultyGoodsDetail adds facts about claims for faulty goods.
type FaultyGoodsDetail struct {
	BurdenReversalMonths int  `json:"burden_reversal_months"`
	MerchantPaysReturn   bool `json:"merchant_pays_return"`
	ShortTermRejectDays  int  `json:"short_term_reject_days"`
	RefundSameMeans      bool `json:"refund_same_means"`
}

var (
	legalOnce sync.Once
	legalData *Legal
)

// LoadLegal returns the embedded legal data, parsed once. The data ships with
// the binary, so a parse failure is a build defect and panics.
func LoadLegal() *Legal {
	legalOnce.Do(func() {
		l, err := ParseLegal(legalJSON)
		if err != nil {
			panic(err)
		}
		legalData = l
	})
	return legalData
}

// ParseLegal parses legal data in the format of return-rules.json.
func ParseLegal(data []byte) (*Legal, error) {
	var l Legal
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("legal data: %w", err)
	}
	l.byCode = make(map[string]*Market, len(l.Markets))
	for i := range l.Markets {
		l.byCode[l.Markets[i].Code] = &l.Markets[i]
	}
	return &l, nil
}

// Calendar is the holiday calendar that moves the end of periods.
func (l *Legal) Calendar() HolidayCalendar {
	if l == nil || l.calendar == nil {
		return DefaultCalendar()
	}
	return l.calendar
}

// WithCalendar returns a copy of the legal data that asks cal for public
// holidays.
func (l *Legal) WithCalendar(cal HolidayCalendar) *Legal {
	c := *l
	c.calendar = cal
	return &c
}

// GroupsOf lists the groups (EU, EEA_EFTA) a country belongs to.
func (l *Legal) GroupsOf(country string) []string {
	var gs []string
	for g, members := range l.Groups {
		if slices.Contains(members, country) {
			gs = append(gs, g)
		}
	}
	slices.Sort(gs)
	return gs
}

// InGroup reports whether a country is a member of a group.
func (l *Legal) InGroup(country, group string) bool {
	return slices.Contains(l.Groups[group], country)
}

// For returns the market whose rules govern a shopper in country (ISO 3166-1
// alpha-2) and region (ISO 3166-2 subdivision without the country prefix, may
// be empty), or nil where the data sets no floor. A country inherits its
// group's entry; a subdivision ("US-CA") inherits its country's entry, its
// own fields replacing the country's where set.
func (l *Legal) For(country, region string) *Market {
	base := l.byCode[country]
	if base == nil {
		for _, g := range l.GroupsOf(country) {
			if m := l.byCode[g]; m != nil {
				base = m
				break
			}
		}
	}
	if region == "" {
		return base
	}
	sub := l.byCode[country+"-"+region]
	if sub == nil {
		return base
	}
	if base == nil {
		return sub
	}
	merged := *base
	merged.Code = sub.Code
	if sub.Withdrawal != nil {
		merged.Withdrawal = sub.Withdrawal
	}
	if sub.Refund != nil {
		merged.Refund = sub.Refund
	}
	if sub.OutboundShippingRefund != "" {
		merged.OutboundShippingRefund = sub.OutboundShippingRefund
	}
	if sub.ReturnShippingPayerDefault != "" {
		merged.ReturnShippingPayerDefault = sub.ReturnShippingPayerDefault
	}
	if sub.ExemptClasses != nil {
		merged.ExemptClasses = sub.ExemptClasses
	}
	if sub.FinalSaleOverridesWithdrawal != nil {
		merged.FinalSaleOverridesWithdrawal = sub.FinalSaleOverridesWithdrawal
	}
	if sub.FaultyClaimMonths != 0 {
		merged.FaultyClaimMonths = sub.FaultyClaimMonths
	}
	if sub.FaultyGoods != nil {
		merged.FaultyGoods = sub.FaultyGoods
	}
	return &merged
}

// StatutoryWithdrawal is the withdrawal right that applies on this portal, or
// nil. A right that exists only where the merchant displays no policy (Japan)
// never applies: the portal always displays one.
func (m *Market) StatutoryWithdrawal() *Withdrawal {
	if m == nil || m.Withdrawal == nil || m.Withdrawal.OnlyIfMerchantPolicyNotDisplayed {
		return nil
	}
	return m.Withdrawal
}

// FeesAllowed reports whether the law lets the merchant charge fees on a
// statutory withdrawal (absent: no floor, so allowed).
func (m *Market) FeesAllowed() bool {
	return m == nil || m.Refund == nil || m.Refund.FeesAllowed == nil || *m.Refund.FeesAllowed
}

// SameMeansRequired reports whether a statutory refund must use the original
// means of payment unless the shopper agrees otherwise.
func (m *Market) SameMeansRequired() bool {
	return m != nil && m.Refund != nil && m.Refund.SameMeansRequired
}

// ExemptClass reports whether the market lists an exemption class.
func (m *Market) ExemptClass(class string) bool {
	return m != nil && class != "" && slices.Contains(m.ExemptClasses, class)
}
