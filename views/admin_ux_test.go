package views

import "testing"

// TestQueueFilterMore: the folded filters show open when one of them is
// set, not for the search, the status or the default sort.
func TestQueueFilterMore(t *testing.T) {
	for _, tc := range []struct {
		f    QueueFilterProps
		want bool
	}{
		{QueueFilterProps{}, false},
		{QueueFilterProps{Search: "R-PZN2", Status: "approved", Sort: "newest"}, false},
		{QueueFilterProps{Error: "bad"}, false},
		{QueueFilterProps{Country: "DE"}, true},
		{QueueFilterProps{Reason: "damaged"}, true},
		{QueueFilterProps{Hub: "eu"}, true},
		{QueueFilterProps{From: "2026-01-01"}, true},
		{QueueFilterProps{To: "2026-01-01"}, true},
		{QueueFilterProps{Overdue: true}, true},
		{QueueFilterProps{Sort: "due"}, true},
		{QueueFilterProps{Sort: "oldest"}, true},
	} {
		if got := tc.f.More(); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.f, got, tc.want)
		}
	}
}

// TestCueIcon: each cue has its own symbol, so that no result is told by
// colour alone; anything unknown looks like an error.
func TestCueIcon(t *testing.T) {
	seen := map[string]string{}
	for _, cue := range []string{"ok", "warn", "error"} {
		icon := CueIcon(cue)
		if icon == "" || seen[icon] != "" {
			t.Errorf("%s: icon %q (also %q's)", cue, icon, seen[icon])
		}
		seen[icon] = cue
	}
	if CueIcon("") != CueIcon("error") || CueIcon("nonsense") != CueIcon("error") {
		t.Error("an unknown cue does not look like an error")
	}
}
