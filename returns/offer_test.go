package returns

import (
	"reflect"
	"testing"
)

func TestOfferFor(t *testing.T) {
	legal := LoadLegal()
	tests := []struct {
		name  string
		o     Order
		now   string
		codes []string // each line's eligibility code
		want  []MethodOffer
	}{
		{"DE in the statutory window: consent for all but the original payment", quoteOrder(t, "DE", "", "EUR"), day5,
			[]string{CodeOK, CodeOK, CodeOK, CodeFaultyOnly, CodeOK, CodeOK},
			[]MethodOffer{{Code: MethodOriginalPayment}, {Code: MethodStoreCredit, BonusPercent: 10, ConsentRequired: true},
				{Code: MethodBankTransfer, ConsentRequired: true}}},
		{"DE after it: the merchant's window, no consent", quoteOrder(t, "DE", "", "EUR"), day20,
			[]string{CodeOK, CodeOK, CodeOK, CodeFaultyOnly, CodeFaultyOnly, CodeOK},
			[]MethodOffer{{Code: MethodOriginalPayment}, {Code: MethodStoreCredit, BonusPercent: 10},
				{Code: MethodBankTransfer}}},
		{"US: no IBAN, no bank transfer", quoteOrder(t, "US", "CA", "USD"), day5,
			[]string{CodeOK, CodeOK, CodeOK, CodeExcludedCategory, CodeFinalSale, CodeOK},
			[]MethodOffer{{Code: MethodOriginalPayment}, {Code: MethodStoreCredit, BonusPercent: 10}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OfferFor(tt.o, engPolicy(t), legal, History{}, engTime(t, tt.now))
			var codes []string
			for _, l := range got.Lines {
				codes = append(codes, l.Code)
			}
			if !reflect.DeepEqual(codes, tt.codes) {
				t.Errorf("lines %v, want %v", codes, tt.codes)
			}
			if !reflect.DeepEqual(got.Methods, tt.want) {
				t.Errorf("methods %+v, want %+v", got.Methods, tt.want)
			}
		})
	}
}

func TestQuoteByMethod(t *testing.T) {
	legal := LoadLegal()
	o := quoteOrder(t, "DE", "", "EUR")
	p := engPolicy(t)
	items := []QuoteItem{item("C", 1, "changed_mind")}
	got := QuoteByMethod(o, p, legal, History{}, items,
		[]string{MethodOriginalPayment, MethodStoreCredit, MethodBankTransfer, "pigeon"}, engTime(t, day5), ExchangeStock{})
	var methods []string
	for _, m := range got {
		methods = append(methods, m.Method)
		// Store credit needs consent in the statutory window: priced as if
		// given, the same as the quote with consent.
		want, err := BuildQuote(o, p, legal, History{}, QuoteRequest{Items: items, RefundMethod: m.Method, Consent: true},
			engTime(t, day5))
		if err != nil || !reflect.DeepEqual(m.Quote, want) {
			t.Errorf("%s: %+v, want %+v (%v)", m.Method, m.Quote, want, err)
		}
	}
	// The unknown method cannot be priced and is left out.
	if want := []string{MethodOriginalPayment, MethodStoreCredit, MethodBankTransfer}; !reflect.DeepEqual(methods, want) {
		t.Errorf("methods %v, want %v", methods, want)
	}
	if got[1].Quote.StoreCreditBonus == 0 || got[1].Quote.Total <= got[0].Quote.Total {
		t.Errorf("store credit brings no bonus: %+v vs %+v", got[1].Quote, got[0].Quote)
	}
}
