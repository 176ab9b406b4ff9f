package views

import (
	"strconv"
	"unicode/utf8"
)

// Charts are drawn on the server as SVG (no script, nothing external, so
// the strict CSP allows them): presentation attributes only, no style
// attributes. Every chart sits in a <figure> with its text summary as the
// caption and as the SVG's accessible description, next to the table of
// the same figures; series differ by pattern as well as by colour; a
// right-to-left page mirrors the geometry (computed here, not by CSS).

// ChartColors are the series colours, each at least 4.5:1 against white
// (static/analytics_test.go checks them) so that bars and their value
// labels stay legible, also in print.
var ChartColors = []string{"#1f5fbf", "#b3261e", "#1b6e3a", "#6a3d9a", "#8a5a00", "#00667a", "#5c5c5c", "#a3336e"}

// Chart geometry, in the SVG's user units (the viewBox; the SVG scales
// to the width of its container).
const (
	chartWidth   = 720
	barLabelArea = 220
	barValueArea = 110
	barRow       = 28
	barHeight    = 18
	chartPad     = 8
)

// Bar is one bar of a bar chart.
type Bar struct {
	Label     string
	Value     int64
	ValueText string
	// Series picks the bar's colour and pattern (its legend entry).
	Series int
}

// LegendItem names a series.
type LegendItem struct {
	Series int
	Label  string
}

// BarChart is a horizontal bar chart.
type BarChart struct {
	ID, Title, Summary string
	Bars               []Bar
	Legend             []LegendItem
	RTL                bool
}

// barShape is a bar laid out.
type barShape struct {
	Bar
	X, Y, W, TextY            int
	LabelX, ValueX            int
	LabelAnchor, ValueAnchor  string
	Fill, Pattern, ShortLabel string
}

// Height is the SVG's height.
func (c BarChart) Height() int { return 2*chartPad + len(c.Bars)*barRow }

func (c BarChart) shapes() []barShape {
	var top int64
	for _, b := range c.Bars {
		top = max(top, b.Value)
	}
	area := chartWidth - barLabelArea - barValueArea
	out := make([]barShape, len(c.Bars))
	for i, b := range c.Bars {
		w := 0
		if top > 0 && b.Value > 0 {
			w = max(1, int(b.Value*int64(area)/top))
		}
		s := barShape{Bar: b, Y: chartPad + i*barRow + (barRow-barHeight)/2, W: w, Fill: seriesColor(b.Series),
			Pattern: patternRef(c.ID, b.Series), ShortLabel: shorten(b.Label, 30)}
		s.TextY = s.Y + barHeight - 4
		// The SVG's direction is the page's (chartDirection): "end" is
		// the left of a right-to-left text, so the anchors stay and only
		// the positions mirror.
		if c.RTL {
			s.X = chartWidth - barLabelArea - w
			s.LabelX, s.LabelAnchor = chartWidth-barLabelArea+6, "end"
			s.ValueX, s.ValueAnchor = s.X-6, "start"
		} else {
			s.X = barLabelArea
			s.LabelX, s.LabelAnchor = barLabelArea-6, "end"
			s.ValueX, s.ValueAnchor = s.X+w+6, "start"
		}
		out[i] = s
	}
	return out
}

// LinePoint is one point of a line chart.
type LinePoint struct {
	Label     string
	Value     int64
	ValueText string
}

// LineChart is a line over time (the trend), left to right in time (right
// to left on a right-to-left page).
type LineChart struct {
	ID, Title, Summary string
	Points             []LinePoint
	RTL                bool
}

const (
	lineHeight = 240
	lineLeft   = 56
	lineRight  = 24
	lineTop    = 16
	lineBottom = 44
)

type lineShape struct {
	Points         string
	Marks          []lineMark
	Grid           []lineGrid
	XLabels        []lineLabel
	AxisX1, AxisX2 int
	AxisY          int
}

type lineMark struct {
	X, Y  int
	Title string
}

type lineGrid struct {
	Y, X1, X2, TextX int
	Anchor, Text     string
}

type lineLabel struct {
	X, Y int
	Text string
}

// Height is the SVG's height.
func (c LineChart) Height() int { return lineHeight }

func (c LineChart) layout() lineShape {
	var top int64
	for _, p := range c.Points {
		top = max(top, p.Value)
	}
	top = niceCeil(top)
	plotW := chartWidth - lineLeft - lineRight
	plotH := lineHeight - lineTop - lineBottom
	x := func(i int) int {
		xx := lineLeft + plotW/2
		if n := len(c.Points); n > 1 {
			xx = lineLeft + i*plotW/(n-1)
		}
		if c.RTL {
			return chartWidth - xx
		}
		return xx
	}
	y := func(v int64) int { return lineTop + plotH - int(v*int64(plotH)/top) }
	var s lineShape
	s.AxisX1, s.AxisX2, s.AxisY = lineLeft, chartWidth-lineRight, lineTop+plotH
	if c.RTL {
		s.AxisX1, s.AxisX2 = lineRight, chartWidth-lineLeft
	}
	for i, p := range c.Points {
		px, py := x(i), y(p.Value)
		if i > 0 {
			s.Points += " "
		}
		s.Points += strconv.Itoa(px) + "," + strconv.Itoa(py)
		s.Marks = append(s.Marks, lineMark{X: px, Y: py, Title: p.Label + ": " + p.ValueText})
	}
	for k := 0; k <= 4; k++ {
		v := top * int64(k) / 4
		g := lineGrid{Y: y(v), X1: s.AxisX1, X2: s.AxisX2, Text: strconv.FormatInt(v, 10)}
		if c.RTL {
			g.TextX, g.Anchor = chartWidth-lineLeft+6, "end"
		} else {
			g.TextX, g.Anchor = lineLeft-6, "end"
		}
		s.Grid = append(s.Grid, g)
	}
	step := max(1, (len(c.Points)+7)/8)
	for i := 0; i < len(c.Points); i += step {
		s.XLabels = append(s.XLabels, lineLabel{X: x(i), Y: lineTop + plotH + 18, Text: c.Points[i].Label})
	}
	return s
}

// niceCeil rounds a maximum up to four times a step of 1, 2 or 5 × 10^k,
// so that the grid's quarters are round numbers (7 → 8, 130 → 200).
func niceCeil(v int64) int64 {
	step := int64(1)
	for step*4 < v {
		switch d := step; {
		case isPow10(d):
			step = 2 * d
		case isPow10(d / 2):
			step = d / 2 * 5
		default:
			step = d * 2
		}
	}
	return 4 * step
}

func isPow10(v int64) bool {
	for v >= 10 && v%10 == 0 {
		v /= 10
	}
	return v == 1
}

// chartDirection is the SVG's text direction (its anchors depend on it).
func chartDirection(rtl bool) string {
	if rtl {
		return "rtl"
	}
	return "ltr"
}

// StackedRow is one bar of a 100 % stacked bar chart: its parts in series
// order.
type StackedRow struct {
	Label string
	Parts []StackedPart
}

// StackedPart is one series' part of a stacked bar.
type StackedPart struct {
	Series    int
	Value     int64
	ValueText string
}

// StackedChart shows, per row, how its total divides between series.
type StackedChart struct {
	ID, Title, Summary string
	Rows               []StackedRow
	Legend             []LegendItem
	RTL                bool
}

type stackedShape struct {
	Label         string
	LabelX, TextY int
	LabelAnchor   string
	Segments      []segment
}

type segment struct {
	X, Y, W       int
	Fill, Pattern string
	Title         string
}

// Height is the SVG's height.
func (c StackedChart) Height() int { return 2*chartPad + len(c.Rows)*barRow }

func (c StackedChart) shapes() []stackedShape {
	area := chartWidth - barLabelArea - chartPad
	out := make([]stackedShape, len(c.Rows))
	for i, r := range c.Rows {
		var total int64
		for _, p := range r.Parts {
			total += p.Value
		}
		y := chartPad + i*barRow + (barRow-barHeight)/2
		s := stackedShape{Label: shorten(r.Label, 30), TextY: y + barHeight - 4}
		if c.RTL {
			s.LabelX, s.LabelAnchor = chartWidth-barLabelArea+6, "end"
		} else {
			s.LabelX, s.LabelAnchor = barLabelArea-6, "end"
		}
		var done int64
		for _, p := range r.Parts {
			if total == 0 || p.Value <= 0 {
				continue
			}
			x0 := int(done * int64(area) / total)
			done += p.Value
			x1 := int(done * int64(area) / total)
			seg := segment{Y: y, W: x1 - x0, Fill: seriesColor(p.Series), Pattern: patternRef(c.ID, p.Series), Title: p.ValueText}
			if c.RTL {
				seg.X = chartWidth - barLabelArea - x1
			} else {
				seg.X = barLabelArea + x0
			}
			s.Segments = append(s.Segments, seg)
		}
		out[i] = s
	}
	return out
}

// InlineBar is a small bar inside a table cell (the country table): its
// length relative to the largest of the column.
type InlineBar struct {
	Value, Max int64
	RTL        bool
}

const inlineWidth = 120

// X and W place the bar in its 120-unit box.
func (b InlineBar) W() int {
	if b.Max <= 0 || b.Value <= 0 {
		return 0
	}
	return max(1, int(b.Value*inlineWidth/b.Max))
}

// X is where the bar starts (at the right on a right-to-left page).
func (b InlineBar) X() int {
	if b.RTL {
		return inlineWidth - b.W()
	}
	return 0
}

func seriesColor(i int) string {
	return ChartColors[((i%len(ChartColors))+len(ChartColors))%len(ChartColors)]
}

// patterns: series 0 is plain, the others carry stripes, dots or a grid
// over their colour, so that neighbours differ without colour.
const patterns = 4

func patternRef(chartID string, series int) string {
	if series%patterns == 0 {
		return ""
	}
	return "url(#" + patternID(chartID, series%patterns) + ")"
}

func patternID(chartID string, k int) string { return chartID + "-pattern-" + strconv.Itoa(k) }

// shorten cuts a label for a chart (the table shows it whole).
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// chartPatternIDs are the ids of a chart's patterns 1..patterns-1.
func chartPatternIDs(chartID string) []string {
	var out []string
	for k := 1; k < patterns; k++ {
		out = append(out, patternID(chartID, k))
	}
	return out
}
