package handlers

import (
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/views"
)

// The receiving bench, /admin/receive: a scanner types an RMA and Enter;
// the answer is the result (colour, icon, text and, with JavaScript, a
// tone), a fresh focused input, and the list of the scans since the page
// was opened. The list lives in the page, not on the server: the form
// carries the earlier scans (scan_at, scan_input, scan_result), so that it
// lasts from scan to scan with htmx and without JavaScript alike, and ends
// with the page. It is the bench's memory, not a record: the audit trail
// records every parcel received.

// maxScans bounds the list a form carries (a long shift's worth, far below
// the staff area's body limit).
const maxScans = 200

// maxScanInput bounds what a scan shows of input that is no RMA.
const maxScanInput = 40

// scanMatches is how many returns a partial RMA lists.
const scanMatches = 5

// receivePage is GET /admin/receive: the scan input, focused.
func (a *admin) receivePage(c echo.Context) error {
	p := a.portal(c)
	return p.view(http.StatusOK, views.AdminReceive(views.ReceiveProps{Page: a.page(c, p, "admin.receive.title", "receive")}))
}

// receiveScan is POST /admin/receive: what a scanner typed, ending in
// Enter. The answer is the #scan fragment for htmx (the page without
// JavaScript) with the result (service.Receive's; for the beginning of an
// RMA the returns it may be, none received), the list of this page's scans
// and a fresh, focused input.
func (a *admin) receiveScan(c echo.Context) error {
	p := a.portal(c)
	ctx := c.Request().Context()
	props := views.ReceiveProps{Page: a.page(c, p, "admin.receive.title", "receive"), Fragment: isHX(c)}
	typed := c.FormValue("rma")
	input := scanInput(typed)
	rma, ok := returns.NormalizeRMA(typed)
	switch {
	case ok:
		input, props.RMA, props.Href = rma, rma, "/admin/returns/"+rma
		rc, err := a.svc.Receive(ctx, rma, staffActor(c))
		if err != nil {
			return err
		}
		props.Result = rc.Result
		if rc.Result == service.UnknownReturn {
			props.Href = ""
		}
	default:
		props.Result = service.UnknownReturn
		if prefix, ok := returns.RMAPrefix(typed); ok {
			input = prefix
			f, _ := a.svc.QueueFilter(service.QueueQuery{Search: prefix})
			f.Limit = scanMatches
			page, err := a.svc.Queue(ctx, f)
			if err != nil {
				return err
			}
			for _, r := range page.Items {
				if strings.HasPrefix(r.RMA, prefix) {
					props.Matches = append(props.Matches, views.ScanMatch{RMA: r.RMA, Href: "/admin/returns/" + r.RMA,
						Status: p.T("status." + r.Status)})
				}
			}
			if len(props.Matches) > 0 {
				props.Result = scanPartial
			}
		}
	}
	props.Message, props.Cue = p.T("admin.scan."+props.Result), scanCue(props.Result)
	loc := a.staffLoc(c)
	now := a.svc.Now()
	props.Scans = append([]views.ScanRow{scanRow(p, loc, now, input, props.Result)}, earlierScans(c, p, loc)...)
	if len(props.Scans) > maxScans {
		props.Scans = props.Scans[:maxScans]
	}
	for _, s := range props.Scans {
		if s.Result == service.Received {
			props.Received++
		} else {
			props.Problems++
		}
	}
	return p.view(http.StatusOK, views.AdminReceive(props))
}

// scanPartial is the bench's answer to the beginning of an RMA that some
// returns start with.
const scanPartial = "partial"

// scanResults are the results a scan can have, each with its cue: ok (the
// parcel is in), warn (nothing wrong with the parcel, but nothing to do:
// already in, or awaiting approval; a partial number to complete), error
// (do not accept it).
var scanResults = map[string]string{
	service.Received:            "ok",
	returns.CodeAlreadyReceived: "warn",
	returns.CodeNotApproved:     "warn",
	scanPartial:                 "warn",
	service.UnknownReturn:       "error",
	returns.CodeReturnCancelled: "error",
	returns.CodeReturnClosed:    "error",
}

// scanCue is how a result is signalled (scanResults).
func scanCue(result string) string {
	if cue, ok := scanResults[result]; ok {
		return cue
	}
	return "error"
}

// scanRow is one scan of the list.
func scanRow(p *portal, loc *time.Location, at time.Time, input, result string) views.ScanRow {
	row := views.ScanRow{At: at.In(loc).Format("15:04:05"), Stamp: at.UTC().Format(time.RFC3339), Input: input,
		Result: result, Message: p.T("admin.scan." + result), Cue: scanCue(result)}
	if rma, ok := returns.NormalizeRMA(input); ok && result != service.UnknownReturn {
		row.Href = "/admin/returns/" + rma
	}
	return row
}

// earlierScans are the scans the form carried, newest first; an entry that
// is not one the page could have written (a time that is no RFC 3339
// instant, an unknown result, text no scan leaves) is dropped.
func earlierScans(c echo.Context, p *portal, loc *time.Location) []views.ScanRow {
	form, err := c.FormParams()
	if err != nil {
		return nil
	}
	ats, inputs, results := form["scan_at"], form["scan_input"], form["scan_result"]
	n := min(len(ats), len(inputs), len(results), maxScans)
	out := make([]views.ScanRow, 0, n)
	for i := range n {
		at, err := time.Parse(time.RFC3339, ats[i])
		_, known := scanResults[results[i]]
		if err != nil || !known || scanInput(inputs[i]) != inputs[i] || inputs[i] == "" {
			continue
		}
		out = append(out, scanRow(p, loc, at, inputs[i], results[i]))
	}
	return out
}

// scanInput is what the list shows of a scan: the text without control
// or direction characters, at most maxScanInput runes.
func scanInput(s string) string {
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s))
	if utf8.RuneCountInString(s) > maxScanInput {
		s = string([]rune(s)[:maxScanInput])
	}
	return s
}

// receiveOne is the receive button of a return's page.
func (a *admin) receiveOne(c echo.Context) error {
	rma, err := rmaParam(c)
	if err != nil {
		return err
	}
	rc, err := a.svc.Receive(c.Request().Context(), rma, staffActor(c))
	if err != nil {
		return err
	}
	if rc.Result != service.Received {
		return &apiError{Status: http.StatusConflict, Code: rc.Result}
	}
	return seeOther(c, "/admin/returns/"+rma)
}
