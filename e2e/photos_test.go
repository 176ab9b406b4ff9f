package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

// TestBrowserPhotoUploadHTMX: a damaged item needs a photo. As soon as the
// reason is chosen the item shows its photo picker (a translated label over
// a hidden input); reviewing without a photo brings the message to the
// item; with one, the review says so and the return is made with it.
func TestBrowserPhotoUploadHTMX(t *testing.T) {
	s := newSite(t)
	img := image.NewRGBA(image.Rect(0, 0, 120, 80))
	for x := 0; x < 120; x++ {
		img.Set(x, 40, color.RGBA{200, 30, 30, 255})
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "damage.jpg")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, con := privateTab(t, 30*time.Second)
	wait := chromedp.WaitVisible[chromedp.CSS]
	must(t, ctx, "lookup", chromedp.Navigate(s.portal+"/?lang=en"), wait(testID("lookup-form")),
		chromedp.SendKeys(chromedp.CSS("#order_number"), demo.FeaturedOrder),
		chromedp.SendKeys(chromedp.CSS("#email"), demo.Email),
		chromedp.Click(testID("lookup-submit")),
		wait(testID("order-form")))
	if visible(t, ctx, `[data-testid="photo-pick-photos-0"]`) {
		t.Error("the photo picker shows before a reason needs it")
	}
	must(t, ctx, "choose a damaged item",
		chromedp.SetValue(chromedp.CSS(`#qty-0`), "1"),
		chromedp.SetValue(chromedp.CSS(`#reason-0`), "damaged"),
		// SetValue fires no event: send the change a shopper's choice
		// makes, and let the live quote's request finish before the next
		// click (a swap landing mid-click loses it under load).
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#reason-0').dispatchEvent(new Event("change", {bubbles: true}))`),
		wait(testID("live-method-amounts")),
		htmxIdle(),
		wait(testID("photo-pick-photos-0")))
	if got := text(t, ctx, "photo-pick-photos-0"); got != "Add photos" {
		t.Errorf("picker label %q", got)
	}
	shot(t, ctx, "photos-1-order")
	// Without a photo: the message at the item.
	must(t, ctx, "review without a photo", chromedp.Click(testID("review-submit")), wait(testID("error-err-photos-L1")), htmxIdle())
	shot(t, ctx, "photos-2-missing")
	must(t, ctx, "review with a photo",
		chromedp.SetUploadFiles(chromedp.CSS(`#photos-0`), []string{file}),
		// Choosing the file is a change in the form: the live quote is
		// asked again. Its swap landing mid-click loses the click under
		// load, as after the reason above.
		htmxIdle(),
		chromedp.Click(testID("review-submit")),
		wait(testID("review-heading")))
	if got := text(t, ctx, "photos-item"); !strings.Contains(got, "1 photo added") {
		t.Errorf("review photos %q", got)
	}
	shot(t, ctx, "photos-3-review")
	must(t, ctx, "confirm", chromedp.Click(testID("confirm-submit")), wait(testID("rma")))
	if rma := text(t, ctx, "rma"); !strings.HasPrefix(rma, "R-") {
		t.Errorf("RMA %q", rma)
	}
	shot(t, ctx, "photos-4-status")
	noViolationsButRefusals(t, con) // the review without a photo is a 422
}

// visible reports whether the element of a CSS selector takes up room on
// the page now.
func visible(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const n = document.querySelector(`+strconv.Quote(sel)+`);
		return !!n && n.getClientRects().length > 0 && getComputedStyle(n).visibility !== "hidden"; })()`))
	if err != nil {
		t.Fatal(err)
	}
	return ok
}
