package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/returns-portal/returns/demo"
)

// TestBrowserPhotoUploadHTMX: a damaged item needs a photo. With htmx the
// browser refuses to confirm without one (the input is required), then the
// photo goes up in the multipart confirm and the return is made.
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
	ctx, con := privateTab(t, 25*time.Second)
	wait := chromedp.WaitVisible[chromedp.CSS]
	must(t, ctx, "lookup", chromedp.Navigate(s.portal+"/?lang=en"), wait(testID("lookup-form")),
		chromedp.SendKeys(chromedp.CSS("#order_number"), demo.FeaturedOrder),
		chromedp.SendKeys(chromedp.CSS("#email"), demo.Email),
		chromedp.Click(testID("lookup-submit")),
		wait(testID("order-form")))
	must(t, ctx, "choose a damaged item",
		chromedp.SetValue(chromedp.CSS(`[data-testid="line-qty"]`), "1"),
		chromedp.SetValue(chromedp.CSS(`[data-testid="line-reason"]`), "damaged"),
		// SetValue fires no event: send the change a shopper's choice
		// makes, and let the live quote's request finish before the next
		// click (a swap landing mid-click loses it under load).
		chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid="line-reason"]').dispatchEvent(new Event("change", {bubbles: true}))`),
		wait(testID("live-method-amounts")),
		htmxIdle(),
		chromedp.Click(testID("review-submit")),
		wait(testID("photos")))
	shot(t, ctx, "photos-1-review")
	// Without a photo the form does not go anywhere.
	must(t, ctx, "confirm without a photo", chromedp.Click(testID("confirm-submit")))
	time.Sleep(300 * time.Millisecond)
	valid, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector('[data-testid="confirm-form"]').checkValidity()`))
	if err != nil || valid {
		t.Errorf("the confirm form is valid without the required photo (%v)", err)
	}
	must(t, ctx, "confirm with a photo",
		chromedp.SetUploadFiles(chromedp.CSS(`input[type="file"]`), []string{file}),
		chromedp.Click(testID("confirm-submit")),
		wait(testID("rma")))
	if rma := text(t, ctx, "rma"); !strings.HasPrefix(rma, "R-") {
		t.Errorf("RMA %q", rma)
	}
	shot(t, ctx, "photos-2-status")
	noViolations(t, con)
}
