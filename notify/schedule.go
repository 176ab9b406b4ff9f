package notify

import "time"

// Schedule is how often a row is tried again after failed attempts: the
// delays after the first, second, ... failure, each stretched or shrunk by
// up to ±Jitter (so that rows failing together do not come back
// together), and the age after which a row is given up whatever its
// attempts (an outage of the whole channel puts rows back without counting
// attempts: Worker).
type Schedule struct {
	Delays []time.Duration
	MaxAge time.Duration
}

// Jitter is the fraction by which a delay varies at random.
const Jitter = 0.2

// The schedules. E-mail: about a day (a mail that comes later than that
// is no longer news). Webhooks: about three days, as Standard Webhooks
// suggests (5 s, 5 min, 30 min, 2 h, 5 h, then every 10 h).
var (
	EmailSchedule = Schedule{MaxAge: 26 * time.Hour, Delays: []time.Duration{
		5 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute, time.Hour,
		2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 8 * time.Hour}}
	WebhookSchedule = Schedule{MaxAge: 84 * time.Hour, Delays: []time.Duration{
		5 * time.Second, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 5 * time.Hour,
		10 * time.Hour, 10 * time.Hour, 10 * time.Hour, 10 * time.Hour, 10 * time.Hour, 10 * time.Hour, 10 * time.Hour}}
)

// Next is when to try a row again after its failed attempt number n (1 for
// the first), created at created; r is a random number in [0, 1) for the
// jitter, and notBefore a delay the receiver asked for (Retry-After; 0
// none), which wins when longer. ok is false when the row is given up: its
// attempts are used up, or it is older than MaxAge.
func (s Schedule) Next(n int, created, now time.Time, r float64, notBefore time.Duration) (time.Time, bool) {
	if n < 1 || n > len(s.Delays) || now.Sub(created) >= s.MaxAge {
		return time.Time{}, false
	}
	d := s.Delays[n-1]
	d = time.Duration(float64(d) * (1 - Jitter + 2*Jitter*r))
	d = max(d, min(notBefore, s.Delays[len(s.Delays)-1]))
	return now.Add(d), true
}

// Total is the sum of the delays without jitter: how long a row is tried
// when every attempt fails.
func (s Schedule) Total() time.Duration {
	var t time.Duration
	for _, d := range s.Delays {
		t += d
	}
	return t
}

// pause is how long a channel that cannot be reached at all (the SMTP
// server refuses connections) is left alone before the next probe: it
// doubles from minPause to maxPause while the outage lasts.
type pause struct{ d time.Duration }

const (
	minPause = 5 * time.Second
	maxPause = 2 * time.Minute
)

// failed lengthens the pause and returns it.
func (p *pause) failed() time.Duration {
	p.d = min(max(2*p.d, minPause), maxPause)
	return p.d
}

// ok ends the pause.
func (p *pause) ok() { p.d = 0 }
