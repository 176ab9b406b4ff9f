package views

import (
	"math"
	"strconv"
	"testing"
)

func TestNiceCeil(t *testing.T) {
	for in, want := range map[int64]int64{0: 4, 1: 4, 4: 4, 5: 8, 7: 8, 9: 20, 21: 40, 41: 80, 130: 200, 2001: 4000, 30000: 40000} {
		if got := niceCeil(in); got != want {
			t.Errorf("niceCeil(%d) = %d, want %d", in, got, want)
		}
	}
}

// TestBarChartMirrors: on a right-to-left page the bars grow from the right
// edge of the bar area and the labels sit on their right; lengths are kept.
func TestBarChartMirrors(t *testing.T) {
	bars := []Bar{{Label: "a", Value: 10}, {Label: "b", Value: 5}, {Label: "c", Value: 0}}
	ltr := BarChart{ID: "x", Bars: bars}.shapes()
	rtl := BarChart{ID: "x", Bars: bars, RTL: true}.shapes()
	for i := range bars {
		l, r := ltr[i], rtl[i]
		if l.W != r.W || l.X != barLabelArea || r.X+r.W != chartWidth-barLabelArea {
			t.Errorf("bar %d: ltr %+v rtl %+v", i, l, r)
		}
		if r.LabelX <= r.X+r.W || l.LabelX >= l.X {
			t.Errorf("bar %d: labels at %d (rtl) and %d (ltr)", i, r.LabelX, l.LabelX)
		}
	}
	if ltr[0].W != 2*ltr[1].W || ltr[2].W != 0 {
		t.Errorf("widths %d %d %d", ltr[0].W, ltr[1].W, ltr[2].W)
	}
}

// TestChartColours: every series colour reaches 4.5:1 against white, so
// that bars, marks and their value labels are legible (WCAG 1.4.3 and
// 1.4.11), in print too; series also differ by pattern.
func TestChartColours(t *testing.T) {
	lum := func(hex string) float64 {
		var c [3]float64
		for i := range c {
			v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
			x := float64(v) / 255
			if x <= 0.03928 {
				c[i] = x / 12.92
			} else {
				c[i] = math.Pow((x+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
	}
	for _, c := range ChartColors {
		if r := 1.05 / (lum(c) + 0.05); r < 4.5 {
			t.Errorf("%s on white: %.2f:1", c, r)
		}
	}
}
