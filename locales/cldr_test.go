package locales

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
)

// cldrDates is testdata/cldr-dates.json, written by Node's
// Intl.DateTimeFormat (testdata/cldr-dates.mjs): the oracle of the month
// names and long dates.
type cldrDates struct {
	Node, ICU, CLDR string
	Languages       map[string]struct {
		Locale string
		Months []string
		Dates  []struct{ Date, Text string }
	}
}

// readCLDRDates reads the fixture.
func readCLDRDates(t *testing.T, path string) cldrDates {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d cldrDates
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestMonthNamesMatchCLDR: the month names of every language are CLDR's.
func TestMonthNamesMatchCLDR(t *testing.T) {
	d := readCLDRDates(t, "testdata/cldr-dates.json")
	codes := langCodes(t)
	if len(d.Languages) != len(codes) {
		t.Errorf("the fixture has %d languages, the portal %d: run testdata/cldr-dates.mjs", len(d.Languages), len(codes))
	}
	for _, lang := range codes {
		want, ok := d.Languages[lang]
		if !ok {
			t.Errorf("%s: not in the fixture", lang)
			continue
		}
		msgs := messages(t, lang)
		for i, name := range want.Months {
			id := "date.month." + strconv.Itoa(i+1)
			if got := msgs[id].text; got != name {
				t.Errorf("%s: %s = %q, CLDR (%s) says %q", lang, id, got, want.Locale, name)
			}
		}
	}
}
