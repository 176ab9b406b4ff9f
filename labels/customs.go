package labels

import (
	"strconv"

	"github.com/signintech/gopdf"
)

// Message IDs of the customs form, each printed in English and, where it
// differs, in the shopper's language.
var customsIDs = []string{
	"customs.title", "customs.sender", "customs.recipient", "customs.category",
	"customs.category_returned", "customs.reason", "customs.reason_return", "customs.order",
	"customs.shipped", "customs.description", "customs.quantity", "customs.hs_code",
	"customs.origin", "customs.weight", "customs.value", "customs.total", "customs.gross_weight",
	"customs.certify", "customs.signature", "customs.date",
}

// MessageIDs lists every message ID the documents ask a Translator for, so
// that a test can check the locales have them.
func MessageIDs() []string {
	return append(a4IDs(), customsIDs...)
}

// bilingual returns the English text of an id and the shopper's, the latter
// empty where it is the same or cannot be printed.
type bilingual func(id string) (en, local string)

func (d *doc) newBilingual(english, local Translator) bilingual {
	if english == nil {
		english = func(id string) string { return id }
	}
	if local != nil && !d.printableAll(local, customsIDs) {
		local = nil // the language does not print (Arabic needs shaping): English only
	}
	return func(id string) (string, string) {
		en := english(id)
		if local == nil {
			return en, ""
		}
		if l := local(id); l != en {
			return en, l
		}
		return en, ""
	}
}

// customs draws one copy of the customs declaration (more pages when the
// items do not fit).
func (d *doc) customs(data CustomsData, copyNo, copies int) error {
	const m = 36.0
	w := pageA4.W - 2*m
	bi := d.newBilingual(data.English, data.Local)
	d.gp.AddPageWithOption(gopdf.PageOption{PageSize: &pageA4})

	// Title, RMA and copy number.
	en, loc := bi("customs.title")
	h, err := d.text("customs", m, 30, w-150, en, style{size: 14, min: 9, bold: true})
	if err != nil {
		return err
	}
	y := 30 + h
	if loc != "" {
		lh, err := d.text("customs", m, y, w-150, loc, style{size: 11, min: 7})
		if err != nil {
			return err
		}
		y += lh
	}
	right := style{size: 11, bold: true, align: 2}
	if _, err := d.text("customs", m+w-150, 30, 150, "RMA "+data.RMA, right); err != nil {
		return err
	}
	if _, err := d.text("customs", m+w-150, 46, 150, "Copy "+strconv.Itoa(copyNo)+"/"+strconv.Itoa(copies), style{size: 9, align: 2}); err != nil {
		return err
	}
	y = max(y, 62) + 8

	// Sender and recipient side by side.
	half := (w - 10) / 2
	native, latin := senderLines(data.Sender, d.r.fonts.printable)
	sender := append(native, latin...)
	if data.Sender.Phone != "" {
		sender = append(sender, data.Sender.Phone)
	}
	hs, err := d.party(m, y, half, "customs.sender", sender, bi)
	if err != nil {
		return err
	}
	hr, err := d.party(m+half+10, y, half, "customs.recipient", hubLines(data.Hub), bi)
	if err != nil {
		return err
	}
	y += max(hs, hr) + 10

	// Category, reason, order evidence.
	shipped := "—"
	if data.ShippedAt != nil {
		shipped = docDate(*data.ShippedAt)
	}
	for _, f := range []struct{ caption, value, valueID string }{
		{"customs.category", "", "customs.category_returned"},
		{"customs.reason", "", "customs.reason_return"},
		{"customs.order", data.OrderNumber, ""},
		{"customs.shipped", shipped, ""},
	} {
		en, loc := bi(f.caption)
		caption := en
		if loc != "" {
			caption += " / " + loc
		}
		if _, err := d.text("customs", m, y, 240, caption, style{size: 8, min: 6.5, bold: true}); err != nil {
			return err
		}
		value := f.value
		if f.valueID != "" {
			ven, vloc := bi(f.valueID)
			value = "[X] " + ven
			if vloc != "" {
				value += " / " + vloc
			}
		}
		vh, err := d.text("customs", m+245, y, w-245, value, style{size: 9, min: 8})
		if err != nil {
			return err
		}
		y += max(vh, 11) + 3
	}
	y += 8

	// The items.
	y, err = d.itemsTable(data, m, y, w, bi)
	if err != nil {
		return err
	}

	// Certification, signature and date.
	y += 14
	en, loc = bi("customs.certify")
	h, err = d.text("customs", m, y, w, en, style{size: 8})
	if err != nil {
		return err
	}
	y += h + 2
	if loc != "" {
		h, err = d.text("customs", m, y, w, loc, style{size: 8})
		if err != nil {
			return err
		}
		y += h
	}
	y += 10
	if y > pageA4.H-90 {
		d.gp.AddPageWithOption(gopdf.PageOption{PageSize: &pageA4})
		y = 40
	}
	for i, id := range []string{"customs.date", "customs.signature"} {
		x := m + float64(i)*(half+10)
		d.box(x, y, half, 60, 0.8)
		en, loc := bi(id)
		caption := en
		if loc != "" {
			caption += " / " + loc
		}
		if _, err := d.text("customs", x+4, y+3, half-8, caption, style{size: 7.5, min: 5.5, bold: true}); err != nil {
			return err
		}
		if i == 0 && !data.Date.IsZero() {
			if _, err := d.text("customs", x+4, y+30, half-8, docDate(data.Date), style{size: 11}); err != nil {
				return err
			}
		}
	}
	return nil
}

// party draws an address box with a bilingual caption; it returns its height.
func (d *doc) party(x, y, w float64, captionID string, lines []string, bi bilingual) (float64, error) {
	en, loc := bi(captionID)
	caption := en
	if loc != "" {
		caption += " / " + loc
	}
	h := 4.0
	ch, err := d.text("customs", x+5, y+h, w-10, caption, style{size: 7.5, min: 5.5, bold: true})
	if err != nil {
		return 0, err
	}
	h += ch + 2
	lh, err := d.lines("customs_address", x+5, y+h, w-10, lines, style{size: 9.5, min: 6.5})
	if err != nil {
		return 0, err
	}
	h += lh + 4
	d.box(x, y, w, h, 0.8)
	return h, nil
}

// column is one column of the items table.
type column struct {
	id    string
	width float64
	align int
}

var itemColumns = []column{
	{"customs.description", 0.38, 0},
	{"customs.quantity", 0.08, 2},
	{"customs.hs_code", 0.13, 0},
	{"customs.origin", 0.13, 0},
	{"customs.weight", 0.12, 2},
	{"customs.value", 0.16, 2},
}

// itemsTable draws one row per item and the totals; it returns the y below.
func (d *doc) itemsTable(data CustomsData, x, y, w float64, bi bilingual) (float64, error) {
	header := func(y float64) (float64, error) {
		hh := 0.0
		cx := x
		for _, c := range itemColumns {
			cw := c.width * w
			en, loc := bi(c.id)
			switch c.id {
			case "customs.value":
				en += " (" + data.Currency + ")"
			case "customs.weight":
				en += " (kg)"
			}
			st := style{size: 7.5, min: 6, bold: true, align: c.align}
			h1, err := d.text("customs", cx+3, y+3, cw-6, en, st)
			if err != nil {
				return 0, err
			}
			h2 := 0.0
			if loc != "" {
				st.bold = false
				if h2, err = d.text("customs", cx+3, y+3+h1, cw-6, loc, st); err != nil {
					return 0, err
				}
			}
			hh = max(hh, h1+h2+6)
			cx += cw
		}
		d.box(x, y, w, hh, 0.8)
		return hh, nil
	}
	hh, err := header(y)
	if err != nil {
		return 0, err
	}
	y += hh
	var total int64
	qty, weight := 0, 0
	for _, it := range data.Items {
		if y > pageA4.H-160 {
			d.gp.AddPageWithOption(gopdf.PageOption{PageSize: &pageA4})
			y = 40
			if hh, err = header(y); err != nil {
				return 0, err
			}
			y += hh
		}
		cells := [][]string{d.itemLines(it), {strconv.Itoa(it.Quantity)}, {it.HSCode}, {it.Origin},
			{kg(it.WeightGrams)}, {formatMoney(it.Value, data.Currency)}}
		rh := 0.0
		cx := x
		for i, c := range itemColumns {
			cw := c.width * w
			st := style{size: 9, min: 6.5, align: c.align}
			if i == 0 {
				// Descriptions wrap at one size: shrinking the first line
				// of a long one to fit would print it smaller than the rest.
				st = style{size: 8.5}
			}
			h, err := d.lines("customs_item", cx+3, y+3, cw-6, cells[i], st)
			if err != nil {
				return 0, err
			}
			rh = max(rh, h+6)
			cx += cw
		}
		d.box(x, y, w, rh, 0.5)
		y += rh
		total += it.Value
		qty += it.Quantity
		weight += it.WeightGrams
	}
	// Totals: units, net weight, value; the gross weight beside.
	en, loc := bi("customs.total")
	if loc != "" {
		en += " / " + loc
	}
	cx := x
	cells := []string{en, strconv.Itoa(qty), "", "", kg(weight), formatMoney(total, data.Currency) + " " + data.Currency}
	rh := 0.0
	for i, c := range itemColumns {
		cw := c.width * w
		h, err := d.text("customs", cx+3, y+3, cw-6, cells[i], style{size: 9, min: 6, bold: true, align: c.align})
		if err != nil {
			return 0, err
		}
		rh = max(rh, h+6)
		cx += cw
	}
	d.box(x, y, w, rh, 1.2)
	y += rh + 6
	gen, gloc := bi("customs.gross_weight")
	if gloc != "" {
		gen += " / " + gloc
	}
	h, err := d.text("customs", x, y, w, gen+": "+formatKg(data.GrossWeightGrams), style{size: 9, min: 6})
	return y + h, err
}

// itemLines are the lines of an item's description cell: the English
// description, then the item's own name where it says something else and
// prints as it reads (an Arabic name would print as unjoined letters in the
// wrong order, so it is left out). Without a description the name stands
// alone where it prints, else the SKU; only with neither does the name print
// with its unprintable characters left out (and logged).
func (d *doc) itemLines(it CustomsItem) []string {
	var out []string
	if it.Description != "" {
		out = append(out, it.Description)
	}
	if it.Name != "" && it.Name != it.Description && d.r.fonts.printable(it.Name) {
		out = append(out, it.Name)
	}
	if len(out) == 0 && it.SKU != "" && d.r.fonts.printable(it.SKU) {
		out = append(out, "SKU "+it.SKU)
	}
	if len(out) == 0 {
		out = append(out, it.Name)
	}
	return out
}

// kg prints grams as kilograms with three decimals, without the unit.
func kg(grams int) string {
	return strconv.FormatFloat(float64(grams)/1000, 'f', 3, 64)
}
