package returns

import "testing"

func TestUnitValue(t *testing.T) {
	tests := []struct {
		l    Line
		want int64
	}{
		{engLine("A"), 2500},
		{engLine("A", qty(2), discount(500)), 2250},
		{engLine("B", qty(3), price(334), discount(2)), 334}, // 1000 / 3 = 333.33…: rounded up
		{engLine("Z", qty(0)), 0},
	}
	for _, tt := range tests {
		if got := tt.l.UnitValue(); got != tt.want {
			t.Errorf("%+v: %d, want %d", tt.l, got, tt.want)
		}
	}
}

func TestMatchReturnless(t *testing.T) {
	o := engOrder(t, "DE", "", "EUR", "2026-03-02T10:00:00Z",
		engLine("S", price(900), category("socks")), engLine("T", price(1500), category("apparel")),
		engLine("B", qty(3), price(334), discount(2), category("socks")), engLine("J", price(8000), category("apparel")))
	cheap := ReturnlessRule{MaxItemValue: map[string]int64{"EUR": 1500, "USD": 1700}}
	socks := ReturnlessRule{MaxItemValue: map[string]int64{"EUR": 1000}, Categories: []string{"socks"}}
	faulty := ReturnlessRule{MaxItemValue: map[string]int64{"EUR": 9000}, Reasons: []string{"damaged"}}
	tests := []struct {
		name  string
		rules []ReturnlessRule
		items []QuoteItem
		want  bool
	}{
		{"under the limit", []ReturnlessRule{cheap}, []QuoteItem{item("S", 1, "wrong_size")}, true},
		{"at the limit exactly", []ReturnlessRule{cheap}, []QuoteItem{item("T", 1, "wrong_size")}, true},
		{"one cent over", []ReturnlessRule{{MaxItemValue: map[string]int64{"EUR": 1499}}}, []QuoteItem{item("T", 1, "wrong_size")}, false},
		{"every item must match", []ReturnlessRule{cheap}, []QuoteItem{item("S", 1, "wrong_size"), item("J", 1, "wrong_size")}, false},
		{"each item by another rule", []ReturnlessRule{socks, faulty}, []QuoteItem{item("S", 1, "wrong_size"), item("J", 1, "damaged")}, true},
		{"category not listed", []ReturnlessRule{socks}, []QuoteItem{item("T", 1, "wrong_size")}, false},
		{"reason not listed", []ReturnlessRule{faulty}, []QuoteItem{item("J", 1, "changed_mind")}, false},
		{"currency not listed", []ReturnlessRule{{MaxItemValue: map[string]int64{"USD": 100000}}}, []QuoteItem{item("S", 1, "wrong_size")}, false},
		{"the unit's value, not the line's (3 units of 333.33)", []ReturnlessRule{{MaxItemValue: map[string]int64{"EUR": 334}}},
			[]QuoteItem{item("B", 3, "wrong_size")}, true},
		{"rounded up: 333 is not enough", []ReturnlessRule{{MaxItemValue: map[string]int64{"EUR": 333}}},
			[]QuoteItem{item("B", 1, "wrong_size")}, false},
		{"an exchanged item may be kept too", []ReturnlessRule{cheap}, []QuoteItem{exch("S", 1, "wrong_size", "X")}, true},
		{"no rules", nil, []QuoteItem{item("S", 1, "wrong_size")}, false},
		{"no items", []ReturnlessRule{cheap}, nil, false},
		{"an unknown line", []ReturnlessRule{cheap}, []QuoteItem{item("Q", 1, "wrong_size")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := engPolicy(t, func(p *Policy) { p.Returnless = tt.rules })
			if got := MatchReturnless(o, p, tt.items); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckReturnLabel(t *testing.T) {
	tests := []struct {
		name string
		r    Return
		code string
	}{
		{"approved: a label", Return{Status: StatusApproved}, ""},
		{"returnless: never a label", Return{Status: StatusApproved, Quote: Quote{Returnless: true}}, CodeLabelReturnless},
		{"returnless and refunded", Return{Status: StatusRefunded, Quote: Quote{Returnless: true}}, CodeLabelReturnless},
		{"in review", Return{Status: StatusRequested}, CodeLabelNotReady},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckReturnLabel(tt.r)
			code := ""
			if e, ok := err.(*Error); ok {
				code = e.Code
			}
			if code != tt.code {
				t.Errorf("code %q, want %q", code, tt.code)
			}
		})
	}
}
