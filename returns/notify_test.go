package returns

import (
	"slices"
	"testing"
	"time"
)

func TestCreationAnnouncement(t *testing.T) {
	w := QuoteItem{LineID: "A", Quantity: 1, Reason: ReasonWithdrawal}
	other := QuoteItem{LineID: "B", Quantity: 1, Reason: "wrong_size"}
	tests := []struct {
		name  string
		items []QuoteItem
		want  Announcement
	}{
		{"a return", []QuoteItem{other}, Announcement{EventReturnCreated, []string{EventReturnCreated}}},
		{"a withdrawal: the acknowledgement, and both webhooks", []QuoteItem{w},
			Announcement{EventWithdrawalReceived, []string{EventReturnCreated, EventWithdrawalReceived}}},
		{"withdrawal and other reasons mixed: a return", []QuoteItem{w, other},
			Announcement{EventReturnCreated, []string{EventReturnCreated}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CreationAnnouncement(Return{Items: tt.items})
			if got.Mail != tt.want.Mail || !slices.Equal(got.Hooks, tt.want.Hooks) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestTransitionAnnouncement(t *testing.T) {
	tests := []struct {
		to   Status
		want string
	}{
		{StatusApproved, EventReturnApproved},
		{StatusRejected, EventReturnRejected},
		{StatusCancelled, EventReturnCancelled},
		{StatusReceived, EventReturnReceived},
		{StatusRefunded, EventReturnRefunded},
		{StatusCredited, EventReturnRefunded},
		// Announced elsewhere or not at all.
		{StatusInspected, ""},
		{StatusClosed, ""},
		{StatusExpired, ""},
		{StatusExchanged, ""},
		{StatusRequested, ""},
	}
	for _, tt := range tests {
		got := TransitionAnnouncement(tt.to)
		if got.Mail != tt.want {
			t.Errorf("→ %s: mail %q, want %q", tt.to, got.Mail, tt.want)
		}
		var hooks []string
		if tt.want != "" {
			hooks = []string{tt.want}
		}
		if !slices.Equal(got.Hooks, hooks) {
			t.Errorf("→ %s: hooks %v, want %v", tt.to, got.Hooks, hooks)
		}
	}
}

func TestInspectionAnnouncement(t *testing.T) {
	q := func(total int64, cur string) Quote { return Quote{Total: total, Currency: cur} }
	tests := []struct {
		name          string
		before, after Quote
		mail          bool
	}{
		{"confirmed: webhook only", q(2500, "EUR"), q(2500, "EUR"), false},
		{"less accepted", q(2500, "EUR"), q(1250, "EUR"), true},
		{"nothing accepted", q(2500, "EUR"), q(0, "EUR"), true},
		{"more (a fee waived)", q(2000, "EUR"), q(2500, "EUR"), true},
		{"zero stays zero", q(0, "JPY"), q(0, "JPY"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := InspectionAnnouncement(tt.before, tt.after)
			if (got.Mail == EventReturnInspected) != tt.mail || (got.Mail != "" && got.Mail != EventReturnInspected) {
				t.Errorf("mail %q, want mail=%v", got.Mail, tt.mail)
			}
			if !slices.Equal(got.Hooks, []string{EventReturnInspected}) {
				t.Errorf("hooks %v", got.Hooks)
			}
		})
	}
}

func TestAwaitingDropOff(t *testing.T) {
	want := map[Status]bool{StatusRequested: true, StatusApproved: true}
	for _, s := range []Status{StatusRequested, StatusApproved, StatusReceived, StatusInspected, StatusRefunded,
		StatusCredited, StatusExchanged, StatusClosed, StatusRejected, StatusCancelled, StatusExpired} {
		if got := AwaitingDropOff(s); got != want[s] {
			t.Errorf("%s: %v", s, got)
		}
	}
}

func TestDropOffReminderAt(t *testing.T) {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	created := time.Date(2026, 3, 20, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		dropBy  Date
		loc     *time.Location
		created time.Time
		want    time.Time
		ok      bool
	}{
		{"the day before, 09:00 local", Date{2026, 3, 27}, berlin, created,
			time.Date(2026, 3, 26, 8, 0, 0, 0, time.UTC), true},
		// 29 March 2026 is the switch to summer time in Berlin: the day
		// before is still CET (UTC+1), the day after CEST (UTC+2).
		{"across the summer time switch", Date{2026, 3, 31}, berlin, created,
			time.Date(2026, 3, 30, 7, 0, 0, 0, time.UTC), true},
		{"across a month end", Date{2026, 4, 1}, tokyo, created,
			time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), true},
		{"deadline tomorrow, reminder time passed", Date{2026, 3, 21}, berlin, created,
			time.Date(2026, 3, 20, 8, 0, 0, 0, time.UTC), false},
		{"deadline today", Date{2026, 3, 20}, berlin, created,
			time.Date(2026, 3, 19, 8, 0, 0, 0, time.UTC), false},
		{"reminder due the very instant of creation: too late", Date{2026, 3, 21}, time.UTC,
			time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC), time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := DropOffReminderAt(Timeline{DropOffBy: tt.dropBy}, tt.loc, tt.created)
			if ok != tt.ok || !got.Equal(tt.want) {
				t.Errorf("got %v %v, want %v %v", got.UTC(), ok, tt.want, tt.ok)
			}
		})
	}
	if _, ok := DropOffReminderAt(Timeline{}, berlin, created); ok {
		t.Error("no drop-off date: no reminder")
	}
}

func TestDropOffReminderSetting(t *testing.T) {
	off, on := false, true
	legal := LoadLegal()
	tests := []struct {
		name string
		p    Policy
		want bool
	}{
		{"default on", Policy{}, true},
		{"off by default rules", Policy{Default: Rules{DropOffReminder: &off}}, false},
		{"region turns it back on", Policy{Default: Rules{DropOffReminder: &off},
			Regions: []Region{{Countries: []string{"DE"}, Rules: Rules{DropOffReminder: &on}}}}, true},
		{"region turns it off", Policy{Regions: []Region{{Countries: []string{"EU"}, Rules: Rules{DropOffReminder: &off}}}}, false},
	}
	for _, tt := range tests {
		if got := tt.p.Effective(legal, "DE").DropOffReminder; got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}
