package returns

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

func TestDateArithmetic(t *testing.T) {
	d := func(s string) Date { return *engDate(t, s) }
	tests := []struct {
		name string
		got  Date
		want string
	}{
		{"add days", d("2026-03-02").AddDays(14), "2026-03-16"},
		{"add days across the year", d("2026-12-25").AddDays(10), "2027-01-04"},
		{"add days across February (leap)", d("2028-02-27").AddDays(2), "2028-02-29"},
		{"subtract days", d("2026-03-01").AddDays(-1), "2026-02-28"},
		{"add months: clamp to February", d("2026-01-31").AddMonths(1), "2026-02-28"},
		{"add months: clamp to February (leap)", d("2028-01-31").AddMonths(1), "2028-02-29"},
		{"add months: across the year", d("2026-11-30").AddMonths(3), "2027-02-28"},
		{"add 24 months from February 29", d("2028-02-29").AddMonths(24), "2030-02-28"},
		{"add months: 31 to 30", d("2026-03-31").AddMonths(1), "2026-04-30"},
		{"add months: negative", d("2026-03-31").AddMonths(-1), "2026-02-28"},
		{"business days from Thursday", d("2026-03-05").AddBusinessDays(5), "2026-03-12"},
		{"business days from Friday", d("2026-03-06").AddBusinessDays(1), "2026-03-09"},
		{"business days from Saturday", d("2026-03-07").AddBusinessDays(1), "2026-03-09"},
		{"business days from Sunday", d("2026-03-08").AddBusinessDays(5), "2026-03-13"},
		{"zero business days", d("2026-03-07").AddBusinessDays(0), "2026-03-07"},
		{"business days across the year", d("2026-12-31").AddBusinessDays(2), "2027-01-04"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestDateOfAndTime(t *testing.T) {
	tokyo, _ := ZoneFor("JP", "")
	at := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	if got := DateOf(at, tokyo); got != (Date{2026, time.March, 2}) {
		t.Errorf("Tokyo date %v", got)
	}
	if got := DateOf(at, time.UTC); got != (Date{2026, time.March, 1}) {
		t.Errorf("UTC date %v", got)
	}
	if got := DateOf(at, nil); got != (Date{2026, time.March, 1}) {
		t.Errorf("nil zone date %v", got)
	}
	mid := Date{2026, time.March, 2}.Time(tokyo)
	if !mid.Equal(time.Date(2026, 3, 1, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("Tokyo midnight %v", mid)
	}
	if got := (Date{2026, time.March, 2}).Time(nil); !got.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("UTC midnight %v", got)
	}
}

func TestDateCompare(t *testing.T) {
	a, b := Date{2026, time.March, 16}, Date{2026, time.March, 17}
	c := Date{2025, time.December, 31}
	if !a.Before(b) || a.After(b) || a.Equal(b) || !b.After(a) || !a.Equal(a) || a.Before(a) || a.After(a) {
		t.Error("day comparison")
	}
	if !c.Before(a) || !a.After(c) || !(Date{2026, time.February, 28}).Before(a) {
		t.Error("year or month comparison")
	}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare")
	}
	if (Date{}).IsZero() != true || a.IsZero() {
		t.Error("IsZero")
	}
}

func TestDateJSON(t *testing.T) {
	d := Date{2026, time.November, 9}
	b, err := json.Marshal(struct {
		D Date  `json:"d"`
		P *Date `json:"p"`
	}{d, &d})
	if err != nil || string(b) != `{"d":"2026-11-09","p":"2026-11-09"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var back Date
	if err := json.Unmarshal([]byte(`"2026-11-19"`), &back); err != nil || back != (Date{2026, time.November, 19}) {
		t.Errorf("unmarshal: %v %v", back, err)
	}
	for _, bad := range []string{`"2026-13-01"`, `"2026-02-30"`, `"19.11.2026"`, `20261119`, `null`, `""`} {
		var x Date
		if err := json.Unmarshal([]byte(bad), &x); err == nil {
			t.Errorf("unmarshal %s: no error", bad)
		}
	}
	// String writes what %04d-%02d-%02d writes.
	for _, d := range []Date{{2026, time.January, 5}, {2026, time.December, 31}, {999, time.October, 10},
		{45, time.May, 1}, {0, time.January, 1}, {12345, time.March, 9}} {
		want := fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
		if s := d.String(); s != want {
			t.Errorf("String of %#v = %s, want %s", d, s, want)
		}
		if b, _ := d.MarshalJSON(); string(b) != `"`+want+`"` {
			t.Errorf("MarshalJSON of %#v = %s", d, b)
		}
	}
}
