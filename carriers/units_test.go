package carriers

import "testing"

func TestDecimal(t *testing.T) {
	tests := []struct {
		minor int64
		cur   string
		want  string
	}{
		{1250, "EUR", "12.50"}, {5, "EUR", "0.05"}, {0, "EUR", "0.00"}, {-199, "USD", "-1.99"},
		{1250, "JPY", "1250"}, {45750, "KWD", "45.750"}, {7, "KWD", "0.007"}, {100, "XXQ", "1.00"},
	}
	for _, tt := range tests {
		if got := decimal(tt.minor, tt.cur); string(got) != tt.want {
			t.Errorf("decimal(%d, %s) = %s, want %s", tt.minor, tt.cur, got, tt.want)
		}
	}
}

func TestMinorUnits(t *testing.T) {
	tests := []struct {
		in, cur string
		want    int64
		ok      bool
	}{
		{"8.20", "USD", 820, true}, {"8.2", "USD", 820, true}, {"8", "USD", 800, true}, {"8.200", "USD", 820, true},
		{"51.20", "USD", 5120, true}, {"6.15", "EUR", 615, true}, {"0.05", "EUR", 5, true}, {"-1.99", "USD", -199, true},
		{"1250", "JPY", 1250, true}, {"1250.0", "JPY", 1250, true}, {"45.75", "KWD", 45750, true},
		{"8.205", "USD", 0, false}, {"12.5", "JPY", 0, false}, {"", "USD", 0, false}, {"abc", "USD", 0, false},
		{".5", "USD", 0, false}, {"1e3", "USD", 0, false}, {"1.2.3", "USD", 0, false},
	}
	for _, tt := range tests {
		got, err := minorUnits(tt.in, tt.cur)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("minorUnits(%q, %s) = %d, %v; want %d ok=%v", tt.in, tt.cur, got, err, tt.want, tt.ok)
		}
	}
}

// The expected ounces were computed with Python:
// math.ceil(g * 10 / 28.349523125) / 10.
func TestOunces(t *testing.T) {
	tests := map[int]string{1: "0.1", 28: "1.0", 29: "1.1", 250: "8.9", 450: "15.9", 500: "17.7", 1000: "35.3",
		123456: "4354.8", 0: "0.1", -5: "0.1"}
	for g, want := range tests {
		if got := ounces(g); string(got) != want {
			t.Errorf("ounces(%d) = %s, want %s", g, got, want)
		}
	}
}

func TestKilograms(t *testing.T) {
	tests := map[int]string{450: "0.450", 1000: "1.000", 1: "0.001", 12345: "12.345", 0: "0.001"}
	for g, want := range tests {
		if got := kilograms(g); string(got) != want {
			t.Errorf("kilograms(%d) = %s, want %s", g, got, want)
		}
	}
}

func TestChooseRate(t *testing.T) {
	rates := []epRate{
		{ID: "a", Carrier: "USPS", Service: "Express", Rate: "51.20", Currency: "USD"},
		{ID: "b", Carrier: "USPS", Service: "GroundAdvantage", Rate: "8.20", Currency: "USD"},
		{ID: "c", Carrier: "UPS", Service: "Ground", Rate: "11.01", Currency: "USD"},
		{ID: "d", Carrier: "UPS", Service: "NextDayAir", Rate: "not a price", Currency: "USD"},
		{ID: "e", Carrier: "DHLExpress", Service: "ExpressWorldwideNonDoc", Rate: "64.35", Currency: "USD"},
	}
	tests := []struct {
		carrier, service, want string
	}{
		{"USPS", "Express", "a"}, {"usps", "groundadvantage", "b"}, {"USPS", "", "b"}, {"UPS", "", "c"},
		{"", "", "b"}, {"DHLExpress", "", "e"}, {"UPS", "NextDayAir", ""}, {"FedEx", "", ""}, {"USPS", "Priority", ""},
	}
	for _, tt := range tests {
		r, err := chooseRate(rates, tt.carrier, tt.service)
		if tt.want == "" {
			if err == nil || Temporary(err) {
				t.Errorf("%s/%s: %v, %v; want a permanent refusal", tt.carrier, tt.service, r, err)
			}
			continue
		}
		if err != nil || r.ID != tt.want {
			t.Errorf("%s/%s: %v, %v; want %s", tt.carrier, tt.service, r, err, tt.want)
		}
	}
}
