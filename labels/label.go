package labels

import (
	"strconv"

	"github.com/signintech/gopdf"
)

// frame places the 4×6 label (laid out in its own 288×432 pt space) on a
// page: at (x, y), scaled by s.
type frame struct{ x, y, s float64 }

func (f frame) X(v float64) float64 { return f.x + v*f.s }
func (f frame) Y(v float64) float64 { return f.y + v*f.s }
func (f frame) L(v float64) float64 { return v * f.s }

// Words on the label itself are in English: it is read by carriers and
// sorting staff, wherever the parcel goes.
const (
	// wordPrepaid marks a label whose postage the merchant's account pays
	// (Hub.PostagePaid); wordSenderPays one whose sender pays it, which
	// must not read as prepaid in any way: no "paid" next to "postage".
	wordPrepaid    = "PREPAID"
	wordSenderPays = "SENDER PAYS POSTAGE"
	wordFrom       = "FROM / SENDER"
	wordTo         = "TO / RECIPIENT"
	wordRMA        = "RETURN (RMA)"
	wordOrder      = "Order"
	wordWeight     = "Weight (est.)"
	wordItems      = "Items"
	wordStatus     = "Scan for return status"
	wordCustoms    = "CUSTOMS DECLARATION ATTACHED"
)

// label draws the 4×6 label in a frame.
func (d *doc) label(data LabelData, f frame) error {
	const m, w = 12.0, 264.0 // margin and inner width, in label space
	st := func(size, min float64, bold bool) style {
		return style{size: f.L(size), min: f.L(min), bold: bold}
	}
	// Carrier and service; who pays the postage: prepaid by the merchant's
	// account (named by the account note below), or by the sender, in a
	// box that does not say prepaid.
	carrier := data.Hub.Carrier
	if data.Hub.Service != "" {
		carrier += " " + data.Hub.Service
	}
	if _, err := d.text("carrier", f.X(m), f.Y(10), f.L(176), carrier, st(16, 8, true)); err != nil {
		return err
	}
	if data.Hub.PostagePaid {
		d.fill(f.X(196), f.Y(8), f.L(80), f.L(22))
		prep := st(12, 6, true)
		prep.align, prep.white = 1, true
		if _, err := d.text("prepaid", f.X(196), f.Y(12), f.L(80), wordPrepaid, prep); err != nil {
			return err
		}
	} else {
		d.box(f.X(196), f.Y(8), f.L(80), f.L(22), f.L(1.2))
		pays := st(7, 5, true)
		pays.align = 1
		if _, err := d.text("postage", f.X(198), f.Y(10), f.L(76), wordSenderPays, pays); err != nil {
			return err
		}
	}
	y := 34.0
	if data.Hub.PostagePaid && data.Hub.AccountNote != "" {
		h, err := d.text("account_note", f.X(m), f.Y(y), f.L(w), data.Hub.AccountNote, st(8, 5, false))
		if err != nil {
			return err
		}
		y += h / f.s
	}
	y += 2
	d.hline(f.X(m), f.X(m+w), f.Y(y), f.L(0.8))

	// Sender.
	y += 4
	if _, err := d.text("caption", f.X(m), f.Y(y), f.L(w), wordFrom, st(6.5, 0, true)); err != nil {
		return err
	}
	y += 9
	native, latin := senderLines(data.Sender, d.r.fonts.printable)
	h, err := d.lines("sender", f.X(m), f.Y(y), f.L(w), native, st(8, 5.5, false))
	if err != nil {
		return err
	}
	y += h / f.s
	if len(latin) > 0 {
		h, err := d.lines("sender_latin", f.X(m), f.Y(y), f.L(w), latin, st(7, 5, false))
		if err != nil {
			return err
		}
		y += h / f.s
	}
	y += 3

	// Recipient: the hub, in a heavy box.
	top := y
	y += 4
	if _, err := d.text("caption", f.X(m+6), f.Y(y), f.L(w-12), wordTo, st(6.5, 0, true)); err != nil {
		return err
	}
	y += 10
	hl := hubLines(data.Hub)
	for i, l := range hl {
		s := st(11, 6, false)
		switch {
		case i == 0:
			s = st(12, 6, true)
		case i == len(hl)-2:
			s = st(14, 7, true) // postcode and city
		case i == len(hl)-1:
			s = st(12, 6, true) // country
		}
		h, err := d.text("hub", f.X(m+6), f.Y(y), f.L(w-12), l, s)
		if err != nil {
			return err
		}
		y += h / f.s
	}
	y += 4
	d.box(f.X(m), f.Y(top), f.L(w), f.L(y-top), f.L(2))

	// The RMA in large type, the Code 128 barcode of it, and the RMA again.
	y += 6
	if _, err := d.text("caption", f.X(m), f.Y(y), f.L(w), wordRMA, st(7, 0, true)); err != nil {
		return err
	}
	rmaStyle := st(30, 14, true)
	rmaStyle.align = 1
	h, err = d.text("rma", f.X(m), f.Y(y+7), f.L(w), data.RMA, rmaStyle)
	if err != nil {
		return err
	}
	y += 7 + h/f.s
	if _, err := d.barcode128(data.RMA, f.X(m), f.Y(y), f.L(w), f.L(54), f.L(1.6)); err != nil {
		return err
	}
	y += 56
	small := st(8, 0, false)
	small.align = 1
	if _, err := d.text("rma", f.X(m), f.Y(y), f.L(w), data.RMA, small); err != nil {
		return err
	}
	y += 12
	d.hline(f.X(m), f.X(m+w), f.Y(y), f.L(0.8))

	// QR code of the status page; order, weight, items.
	y += 4
	qr := min(84.0, 432-8-y)
	if qr > 40 && data.StatusURL != "" {
		if err := d.qrCode(data.StatusURL, f.X(m-2), f.Y(y), f.L(qr)); err != nil {
			return err
		}
	}
	x := m + qr + 6
	info := []string{
		wordOrder + ": " + data.OrderNumber,
		wordWeight + ": " + formatKg(data.WeightGrams),
		wordItems + ": " + strconv.Itoa(data.Items),
	}
	h, err = d.lines("info", f.X(x), f.Y(y+6), f.L(w-x+m), info, st(10, 6, false))
	if err != nil {
		return err
	}
	yy := y + 6 + h/f.s + 4
	if data.Customs {
		if _, err := d.text("customs", f.X(x), f.Y(yy), f.L(w-x+m), wordCustoms, st(7.5, 5, true)); err != nil {
			return err
		}
		yy += 11
	}
	if _, err := d.text("status", f.X(x), f.Y(yy), f.L(w-x+m), wordStatus, st(7, 5, false)); err != nil {
		return err
	}
	return nil
}

// Message IDs of the A4 page's instructions.
var a4Steps = []string{
	"label.a4.step_print",
	"label.a4.step_fold",
	"label.a4.step_pack",
	"label.a4.step_stick",
	"label.a4.step_drop",
}

// a4IDs are the message IDs of the sheet's instructions.
func a4IDs() []string {
	return append([]string{"label.a4.title", "label.a4.step_customs", "label.a4.step_drop_sender_pays"}, a4Steps...)
}

// sheetLabel draws a sheet of paper (A4 or US Letter): the label in the
// top half inside a dashed cut line, instructions in the bottom half in the
// shopper's language (English where that language does not print).
func (d *doc) sheetLabel(data LabelData, page gopdf.Rect) error {
	half := float64(int(page.H / 2))
	s := (half - 40) / 432
	lw := 288 * s
	f := frame{x: (page.W - lw) / 2, y: 20, s: s}
	// The cut line around the label and across the page.
	d.gp.SetLineWidth(0.6)
	d.gp.SetCustomLineType([]float64{4, 3}, 0)
	d.gp.RectFromUpperLeftWithStyle(f.x-6, f.y-6, lw+12, 432*s+12, "D")
	d.gp.Line(20, half, page.W-20, half)
	d.gp.SetLineType("solid")
	if _, err := d.text("scissors", 24, half-14, 20, "✂", style{size: 12}); err != nil {
		return err
	}
	if err := d.label(data, f); err != nil {
		return err
	}

	t := d.pick(data.English, data.Local, a4IDs())
	x, w, y := 50.0, page.W-100, half+24
	h, err := d.text("instructions", x, y, w, t("label.a4.title"), style{size: 16, bold: true})
	if err != nil {
		return err
	}
	y += h + 8
	steps := a4Steps
	if !data.Hub.PostagePaid {
		// The sender pays: the last step says so instead.
		steps = append(steps[:len(steps)-1:len(steps)-1], "label.a4.step_drop_sender_pays")
	}
	if data.Customs {
		steps = append(steps[:len(steps)-1:len(steps)-1], "label.a4.step_customs", steps[len(steps)-1])
	}
	for i, id := range steps {
		if _, err := d.text("instructions", x, y, 20, strconv.Itoa(i+1)+".", style{size: 11, bold: true}); err != nil {
			return err
		}
		h, err := d.text("instructions", x+20, y, w-20, t(id), style{size: 11})
		if err != nil {
			return err
		}
		y += h + 7
	}
	y += 8
	_, err = d.text("instructions", x, y, w, data.RMA, style{size: 14, bold: true})
	return err
}

// pick returns the translator to print ids with: the shopper's language when
// there is one and all of its texts print (Arabic needs shaping), else
// English.
func (d *doc) pick(english, local Translator, ids []string) Translator {
	if english == nil {
		english = func(id string) string { return id }
	}
	if local == nil || !d.printableAll(local, ids) {
		return english
	}
	return local
}

// printableAll reports whether every one of the texts prints as it reads.
func (d *doc) printableAll(t Translator, ids []string) bool {
	for _, id := range ids {
		if !d.r.fonts.printable(t(id)) {
			return false
		}
	}
	return true
}
