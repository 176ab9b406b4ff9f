package analytics

import "time"

// Days are counted from 1970-01-01 in UTC: a report's range and every
// rollup row name UTC days, so that a stored row never depends on a time
// zone setting that may change later.

// Day is the UTC day number of an instant.
func Day(t time.Time) int64 { return floorDiv(t.Unix(), secondsPerDay) }

// DayOf is the day number of a calendar date.
func DayOf(year int, month time.Month, day int) int64 {
	return Day(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DayTime is the start (00:00 UTC) of a day.
func DayTime(day int64) time.Time { return time.Unix(day*secondsPerDay, 0).UTC() }

const secondsPerDay = 86400

// firstMonday is the day number of Monday 1970-01-05: weeks start on
// Mondays (ISO 8601), counted from there.
const firstMonday = 4

// Levels is the number of block sizes a rollup keeps: level 0 is a day,
// level k ≥ 1 is 4^(k-1) weeks (1, 4, 16 and 64 weeks), aligned on Mondays.
// A range of days is summed from a few large blocks and the days and weeks
// at its ends (Blocks), so that a report reads a bounded number of rows
// whatever its range, while a change writes one row per level. Four times
// larger at each level keeps the writes of a change to five rows a table.
const Levels = 5

// weeksAt is the number of weeks of a block of level k ≥ 1.
func weeksAt(level int) int64 { return int64(1) << (2 * (level - 1)) }

// Block is one rollup row's time span: its level and its first day.
type Block struct {
	Level int
	Start int64
}

// Len is the number of days of a block.
func (b Block) Len() int64 {
	if b.Level == 0 {
		return 1
	}
	return 7 * weeksAt(b.Level)
}

// End is the last day of a block.
func (b Block) End() int64 { return b.Start + b.Len() - 1 }

// BlockOf is the block of a level that holds a day.
func BlockOf(level int, day int64) Block {
	if level == 0 {
		return Block{Start: day}
	}
	size := weeksAt(level)
	w := floorDiv(day-firstMonday, 7)
	w -= floorMod(w, size)
	return Block{Level: level, Start: firstMonday + 7*w}
}

// Blocks splits the days from..to (inclusive) into the fewest blocks of
// the rollup levels, in order: the days before the first Monday, then at
// each step the largest block that starts there and ends within the range,
// then the days after the last whole week. Empty when to < from.
func Blocks(from, to int64) []Block {
	var out []Block
	for d := from; d <= to; {
		b := Block{Start: d}
		for level := Levels - 1; level >= 1; level-- {
			if c := BlockOf(level, d); c.Start == d && c.End() <= to {
				b = c
				break
			}
		}
		out = append(out, b)
		d = b.End() + 1
	}
	return out
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
