package handlers

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"runtime"
	"sync/atomic"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
	"golang.org/x/sync/semaphore"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The limits of photo evidence. Issue 10 measured one request of five
// 40-megapixel PNGs at 15–20 s of CPU and 511 MB, three at once at 1.28 GB:
// a photo's cost is its pixels, decoded (4 bytes each for an RGB PNG), not
// its bytes on the wire. So pixels are bounded per photo, per request and
// across the requests decoding at the same moment, and every photo is
// checked for all of them before the first is decoded.
const (
	// maxPhotoBytes bounds one photo's file: a 12-megapixel phone photo
	// is 2–6 MB as JPEG.
	maxPhotoBytes = 8 << 20
	// maxPhotoPixels bounds one photo (width × height), checked in its
	// header before any pixel is decoded: above the 12–24 megapixels of
	// phone cameras' default modes with room to spare, below what a
	// decompression bomb declares.
	maxPhotoPixels = 40_000_000
	// maxRequestPixels is the pixel budget of one request, all photos
	// together: ten 12-megapixel photos (two items with five each), or
	// three at the per-photo cap. Five 40-megapixel PNGs are refused
	// without decoding one.
	maxRequestPixels = 120_000_000
	// maxDecodingPixels is the capacity of the process's decode semaphore
	// (photoDecoder): how many pixels all requests together may hold
	// decoded at once — one photo at the cap plus a phone photo, or four
	// phone photos. Decoded, that is at most 48 M × 4 bytes ≈ 190 MB for
	// 8-bit images (twice that for 16-bit PNGs, which run alone). Requests
	// beyond it wait their turn rather than each taking its share of
	// memory. The semaphore is per process: several instances each have
	// their own.
	maxDecodingPixels = 48_000_000
	// collectAfterPixels: after decoding a photo this large, the garbage
	// collector runs before the semaphore lets the next decode start. The
	// full-size pixels are garbage by then, but Go collects when the heap
	// has doubled since the last collection — during a 160 MB decode that
	// means after another 160 MB — so without it the peak memory is two
	// or three decodes', not one. A collection with little else alive
	// takes milliseconds; a decode this large, a second.
	collectAfterPixels = 8_000_000
	// maxStoredEdge is the longest edge of a stored photo: 2048 px show a
	// scratch or a stain on any staff screen, at a tenth of the bytes and
	// of the time to re-encode a 40-megapixel original.
	maxStoredEdge = 2048
	// maxUploadBytes caps a whole multipart request: five photos of the
	// largest size and the form's fields.
	maxUploadBytes = returns.MaxPhotosPerItem*maxPhotoBytes + 1<<20
	maxFieldBytes  = 64 << 10 // all non-file fields together
	photoQuality   = 85       // JPEG quality of the stored photos
)

var (
	errPhotoTooLarge       = &apiError{Status: http.StatusRequestEntityTooLarge, Code: "photo_too_large"}
	errPhotoType           = &apiError{Status: http.StatusUnsupportedMediaType, Code: "photo_type"}
	errPhotoPixels         = &apiError{Status: http.StatusUnprocessableEntity, Code: "photo_too_many_pixels"}
	errPhotoInvalid        = &apiError{Status: http.StatusUnprocessableEntity, Code: "photo_invalid"}
	errTooManyPhotos       = &apiError{Status: http.StatusUnprocessableEntity, Code: "too_many_photos"}
	errRequestPixelsBudget = &apiError{Status: http.StatusUnprocessableEntity, Code: "photos_too_many_pixels"}
)

// photoFormat names the format of an image by its magic bytes, "" for
// anything else.
func photoFormat(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return "webp"
	}
	return ""
}

// photoHeader is what a photo's first bytes say: its format and size.
type photoHeader struct {
	format        string
	width, height int
}

func (h photoHeader) pixels() int64 { return int64(h.width) * int64(h.height) }

// inspectPhoto reads what a photo is without decoding a pixel: its size on
// the wire, its magic bytes (JPEG, PNG or WebP only) and its header's
// dimensions (the format's DecodeConfig), each against its limit.
func inspectPhoto(b []byte) (photoHeader, *apiError) {
	if len(b) > maxPhotoBytes {
		return photoHeader{}, errPhotoTooLarge
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	format := photoFormat(b)
	switch format {
	case "jpeg":
		decodeConfig = jpeg.DecodeConfig
	case "png":
		decodeConfig = png.DecodeConfig
	case "webp":
		decodeConfig = webp.DecodeConfig
	default:
		return photoHeader{}, errPhotoType
	}
	cfg, err := decodeConfig(bytes.NewReader(b))
	if err != nil {
		return photoHeader{}, errPhotoInvalid
	}
	h := photoHeader{format: format, width: cfg.Width, height: cfg.Height}
	if h.width <= 0 || h.height <= 0 || h.pixels() > maxPhotoPixels {
		return photoHeader{}, errPhotoPixels
	}
	return h, nil
}

// photoDecoder decodes photos, at most maxDecodingPixels of them at once
// in the whole process (one per Server, and one Server per process).
type photoDecoder struct {
	sem *semaphore.Weighted
	// decoded counts the photos whose pixels were decoded: what the
	// cheap checks must have spared (tests read it).
	decoded atomic.Int64
}

func newPhotoDecoder() *photoDecoder {
	return &photoDecoder{sem: semaphore.NewWeighted(maxDecodingPixels)}
}

// reencode decodes an inspected photo, scales it to fit maxStoredEdge and
// encodes it anew (JPEG quality 85; PNG stays PNG, WebP becomes JPEG):
// EXIF with GPS, comments, a script appended to a polyglot are not in the
// new bytes. It waits for its pixels' turn in the semaphore (or for ctx).
func (d *photoDecoder) reencode(ctx context.Context, b []byte, h photoHeader) (store.PhotoUpload, error) {
	weight := min(h.pixels(), maxDecodingPixels) // a 16-bit PNG at the cap runs alone
	if err := d.sem.Acquire(ctx, weight); err != nil {
		return store.PhotoUpload{}, err
	}
	img, err := d.decodeAndFit(b, h)
	if h.pixels() >= collectAfterPixels {
		runtime.GC()
	}
	d.sem.Release(weight)
	if err != nil {
		return store.PhotoUpload{}, err
	}
	bounds := img.Bounds()
	var out bytes.Buffer
	ct := "image/jpeg"
	if h.format == "png" {
		ct = "image/png"
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&out, img)
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: photoQuality})
	}
	if err != nil {
		return store.PhotoUpload{}, err
	}
	return store.PhotoUpload{ContentType: ct, Width: bounds.Dx(), Height: bounds.Dy(), Data: out.Bytes()}, nil
}

// decodeAndFit decodes a photo and scales it down to fit maxStoredEdge;
// the full-size pixels are garbage when it returns.
func (d *photoDecoder) decodeAndFit(b []byte, h photoHeader) (image.Image, error) {
	decode := jpeg.Decode
	switch h.format {
	case "png":
		decode = png.Decode
	case "webp":
		decode = webp.Decode
	}
	d.decoded.Add(1)
	img, err := decode(bytes.NewReader(b))
	if err != nil {
		return nil, errPhotoInvalid
	}
	return fitWithin(img, maxStoredEdge), nil
}

// fitWithin scales an image down so that its longer edge is edge pixels,
// keeping its proportions; a smaller image is returned as it is. A large
// reduction first averages k × k blocks (boxReduce: every source pixel
// counts, so fine detail does not alias into moiré), then interpolates the
// rest of the way (less than a factor of two) bilinearly: a few hundred
// milliseconds for 40 megapixels, where a kernel filter over the full
// image takes seconds.
func fitWithin(src image.Image, edge int) image.Image {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= edge && h <= edge {
		return src
	}
	dw, dh := fitSize(w, h, edge)
	mid := src
	if k := min(w/dw, h/dh); k >= 2 {
		mid = boxReduce(src, k)
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), mid, mid.Bounds(), draw.Src, nil)
	return dst
}

// fitSize is w × h scaled so that the longer edge is edge, the shorter
// rounded to the nearest pixel and at least 1.
func fitSize(w, h, edge int) (int, int) {
	if w >= h {
		return edge, max(1, (h*edge+w/2)/w)
	}
	return max(1, (w*edge+h/2)/h), edge
}

// boxReduce shrinks an image by an integer factor k, each output pixel the
// average of a k × k block (the blocks of the last column and row may be
// smaller: no source pixel is dropped). The source is read a row at a time
// through draw.Draw, which converts any image type (YCbCr, NRGBA, Gray,
// 16-bit...) to premultiplied RGBA, so the sums are of colour as shown.
func boxReduce(src image.Image, k int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := (w+k-1)/k, (h+k-1)/k
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	row := image.NewRGBA(image.Rect(0, 0, w, 1))
	sums := make([]uint32, ow*4)
	rows := 0
	for y := range h {
		draw.Draw(row, row.Bounds(), src, image.Pt(b.Min.X, b.Min.Y+y), draw.Src)
		for x, i := 0, 0; x < w; x, i = x+1, i+4 {
			o := x / k * 4
			sums[o] += uint32(row.Pix[i])
			sums[o+1] += uint32(row.Pix[i+1])
			sums[o+2] += uint32(row.Pix[i+2])
			sums[o+3] += uint32(row.Pix[i+3])
		}
		if rows++; rows < k && y < h-1 {
			continue
		}
		line := out.Pix[(y/k)*out.Stride:]
		for ox := range ow {
			n := uint32(rows * min(k, w-ox*k))
			for c := range 4 {
				line[ox*4+c] = uint8((sums[ox*4+c] + n/2) / n)
			}
		}
		clear(sums)
		rows = 0
	}
	return out
}
