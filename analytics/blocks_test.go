package analytics

import (
	"testing"
	"time"
)

func TestDay(t *testing.T) {
	for _, c := range []struct {
		in   time.Time
		want int64
	}{
		{time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(1970, 1, 1, 23, 59, 59, 999, time.UTC), 0},
		{time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC), 1},
		{time.Date(1969, 12, 31, 23, 0, 0, 0, time.UTC), -1},
		// An instant is counted in UTC whatever its zone: 01:00 in Berlin
		// (UTC+1) is still the day before in UTC.
		{time.Date(2026, 3, 2, 0, 30, 0, 0, time.FixedZone("CET", 3600)), DayOf(2026, 3, 1)},
		{time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC), 20514},
	} {
		if got := Day(c.in); got != c.want {
			t.Errorf("Day(%s) = %d, want %d", c.in, got, c.want)
		}
	}
	if got := DayTime(20514); !got.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("DayTime(20514) = %s", got)
	}
}

func TestBlockOf(t *testing.T) {
	mon := DayOf(2026, 3, 2) // a Monday
	if wd := DayTime(mon).Weekday(); wd != time.Monday {
		t.Fatalf("2026-03-02 is a %s", wd)
	}
	for _, c := range []struct {
		level int
		day   int64
		want  int64
	}{
		{0, mon + 3, mon + 3},
		{1, mon, mon},
		{1, mon + 6, mon},         // Sunday: the week began on Monday
		{1, mon + 7, mon + 7},     // the next Monday
		{1, mon - 1, mon - 7},     // the Sunday before
		{1, firstMonday, 4},       // the first Monday of the count
		{1, firstMonday - 1, -3},  // days before it belong to the week before
		{2, firstMonday + 27, 4},  // four-week blocks
		{2, firstMonday + 28, 32}, // the fifth week opens the second block
		{4, firstMonday + 447, 4}, // 64 weeks = 448 days
		{4, firstMonday + 448, 452},
	} {
		if got := BlockOf(c.level, c.day); got.Start != c.want || got.Level != c.level {
			t.Errorf("BlockOf(%d, %d) = %+v, want start %d", c.level, c.day, got, c.want)
		}
	}
}

// TestBlocksCoverTheRangeOnce: for every range of a few years of starts and
// lengths, the blocks are aligned, in order, cover every day of the range
// exactly once, and are few.
func TestBlocksCoverTheRangeOnce(t *testing.T) {
	base := DayOf(2024, 1, 1)
	most := 0
	for from := base; from < base+60; from++ {
		for n := int64(-1); n < 800; n += 7 {
			to := from + n
			bs := Blocks(from, to)
			if to < from {
				if len(bs) != 0 {
					t.Fatalf("Blocks(%d, %d) = %v, want none", from, to, bs)
				}
				continue
			}
			next := from
			for _, b := range bs {
				if b.Start != next {
					t.Fatalf("Blocks(%d, %d): %+v starts at %d, want %d", from, to, b, b.Start, next)
				}
				if BlockOf(b.Level, b.Start) != b {
					t.Fatalf("Blocks(%d, %d): %+v is not aligned", from, to, b)
				}
				next = b.End() + 1
			}
			if next != to+1 {
				t.Fatalf("Blocks(%d, %d) ends at %d", from, to, next-1)
			}
			most = max(most, len(bs))
		}
	}
	// Six days before the first Monday, six after the last Sunday, and at
	// most three blocks of each smaller week level on each side.
	if most > 6+6+2*3*(Levels-1) {
		t.Errorf("up to %d blocks for one range", most)
	}
}

func TestBlocksOfNinetyDays(t *testing.T) {
	to := DayOf(2026, 3, 2)
	bs := Blocks(to-89, to)
	if len(bs) > 12 {
		t.Errorf("90 days in %d blocks: %+v", len(bs), bs)
	}
}
