package notify

import (
	"testing"
	"time"
)

func TestSchedules(t *testing.T) {
	// E-mail about a day, webhooks about three days, both within MaxAge.
	if tot := EmailSchedule.Total(); tot < 22*time.Hour || tot > 25*time.Hour {
		t.Errorf("e-mail schedule spans %v", tot)
	}
	if tot := WebhookSchedule.Total(); tot < 66*time.Hour || tot > 80*time.Hour {
		t.Errorf("webhook schedule spans %v", tot)
	}
	for name, s := range map[string]Schedule{"email": EmailSchedule, "webhook": WebhookSchedule} {
		if max := time.Duration(float64(s.Total()) * (1 + Jitter)); max >= s.MaxAge+s.Delays[len(s.Delays)-1] {
			t.Errorf("%s: the slowest schedule (%v) outlives MaxAge by more than a step", name, max)
		}
		for i := 1; i < len(s.Delays); i++ {
			if s.Delays[i] < s.Delays[i-1] {
				t.Errorf("%s: delay %d shorter than the one before", name, i)
			}
		}
	}
	want := []time.Duration{5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour, 10 * time.Hour}
	for i, d := range want {
		if WebhookSchedule.Delays[i] != d {
			t.Errorf("webhook delay %d = %v, want %v", i, WebhookSchedule.Delays[i], d)
		}
	}
}

func TestScheduleNext(t *testing.T) {
	created := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	s := Schedule{MaxAge: 10 * time.Hour, Delays: []time.Duration{10 * time.Second, time.Minute, time.Hour}}
	tests := []struct {
		name      string
		n         int
		now       time.Time
		r         float64
		notBefore time.Duration
		want      time.Duration // after now
		ok        bool
	}{
		{"first failure, no jitter", 1, created, 0.5, 0, 10 * time.Second, true},
		{"first failure, shortest", 1, created, 0, 0, 8 * time.Second, true},
		{"first failure, longest", 1, created, 0.999999, 0, 12 * time.Second, true},
		{"second failure", 2, created.Add(time.Minute), 0.5, 0, time.Minute, true},
		{"last step", 3, created.Add(time.Hour), 0.5, 0, time.Hour, true},
		{"attempts used up", 4, created.Add(2 * time.Hour), 0.5, 0, 0, false},
		{"too old", 1, created.Add(10 * time.Hour), 0.5, 0, 0, false},
		{"just young enough", 1, created.Add(10*time.Hour - time.Second), 0.5, 0, 10 * time.Second, true},
		{"Retry-After longer wins", 1, created, 0.5, 5 * time.Minute, 5 * time.Minute, true},
		{"Retry-After shorter loses", 2, created, 0.5, time.Second, time.Minute, true},
		{"Retry-After capped at the longest step", 1, created, 0.5, 48 * time.Hour, time.Hour, true},
		{"no attempt yet", 0, created, 0.5, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, ok := s.Next(tt.n, created, tt.now, tt.r, tt.notBefore)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			if ok && at.Sub(tt.now).Round(time.Millisecond) != tt.want {
				t.Errorf("next in %v, want %v", at.Sub(tt.now), tt.want)
			}
		})
	}
}

func TestPauseDoublesAndEnds(t *testing.T) {
	var p pause
	want := []time.Duration{5 * time.Second, 10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second,
		2 * time.Minute, 2 * time.Minute}
	for i, w := range want {
		if got := p.failed(); got != w {
			t.Errorf("failure %d: pause %v, want %v", i+1, got, w)
		}
	}
	p.ok()
	if got := p.failed(); got != minPause {
		t.Errorf("after it ended: %v", got)
	}
}
