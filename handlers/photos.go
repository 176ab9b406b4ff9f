package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/image/webp"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Photo evidence. A shopper's photos arrive in the same
// multipart request that creates the return (the portal's confirm form, or
// POST /api/v1/returns as multipart/form-data), as file fields named
// "photos.<line id>". Each photo is:
//
//  1. read through http.MaxBytesReader (the route's uploadLimit) and at most
//     maxPhotoBytes on its own;
//  2. recognised by its first bytes, not its name or declared type: JPEG,
//     PNG or WebP only (GIF, SVG, PDF, HTML... are refused);
//  3. measured with the format's DecodeConfig, and refused above
//     maxPhotoPixels before a single pixel is decoded (a decompression
//     bomb declares huge dimensions in a tiny file);
//  4. decoded and re-encoded (JPEG quality 85, PNG stays PNG): whatever else
//     the file carried — EXIF with GPS, comments, a script appended to a
//     polyglot — is not in the new bytes;
//  5. stored in the database under a random id (the file name is never
//     read), and served only to staff (admin_photos.go).
const (
	maxPhotoBytes  = 8 << 20    // one photo
	maxPhotoPixels = 40_000_000 // width × height
	// maxUploadBytes caps a whole multipart request: five photos of the
	// largest size and the form's fields.
	maxUploadBytes = returns.MaxPhotosPerItem*maxPhotoBytes + 1<<20
	maxFieldBytes  = 64 << 10 // all non-file fields together
	photoQuality   = 85
)

var (
	errPhotoTooLarge = &apiError{Status: http.StatusRequestEntityTooLarge, Code: "photo_too_large"}
	errPhotoType     = &apiError{Status: http.StatusUnsupportedMediaType, Code: "photo_type"}
	errPhotoPixels   = &apiError{Status: http.StatusUnprocessableEntity, Code: "photo_too_many_pixels"}
	errPhotoInvalid  = &apiError{Status: http.StatusUnprocessableEntity, Code: "photo_invalid"}
	errTooManyPhotos = &apiError{Status: http.StatusUnprocessableEntity, Code: "too_many_photos"}
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

// sanitizePhoto checks a photo and re-encodes it without its metadata. The
// result's LineID is left to the caller.
func sanitizePhoto(b []byte) (store.PhotoUpload, error) {
	if len(b) > maxPhotoBytes {
		return store.PhotoUpload{}, errPhotoTooLarge
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	format := photoFormat(b)
	switch format {
	case "jpeg":
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case "png":
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case "webp":
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	default:
		return store.PhotoUpload{}, errPhotoType
	}
	cfg, err := decodeConfig(bytes.NewReader(b))
	if err != nil {
		return store.PhotoUpload{}, errPhotoInvalid
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || int64(cfg.Width)*int64(cfg.Height) > maxPhotoPixels {
		return store.PhotoUpload{}, errPhotoPixels
	}
	img, err := decode(bytes.NewReader(b))
	if err != nil {
		return store.PhotoUpload{}, errPhotoInvalid
	}
	bounds := img.Bounds()
	var out bytes.Buffer
	ct := "image/jpeg"
	if format == "png" {
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

// uploadLimit caps a request's body with http.MaxBytesReader: a multipart
// upload at maxUploadBytes, any other body at limit.
func uploadLimit(limit int64) echo.MiddlewareFunc {
	small, large := limitBody(limit), limitBody(maxUploadBytes)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		smallNext, largeNext := small(next), large(next)
		return func(c echo.Context) error {
			if isMultipart(c.Request()) {
				return largeNext(c)
			}
			return smallNext(c)
		}
	}
}

// isMultipart reports whether a request's body is multipart/form-data.
func isMultipart(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && mt == "multipart/form-data"
}

// photoUpload is a multipart request read: its fields and its photos,
// checked and re-encoded, in the order sent.
type photoUpload struct {
	values url.Values
	photos []store.PhotoUpload
	// problems holds a photo's refusal by line ID (the first per line), so
	// that a form can show it next to the item; the photos of such a line
	// are not in photos.
	problems map[string]*apiError
}

// firstProblem is one of the refused photos' errors, or nil.
func (u photoUpload) firstProblem() error {
	for _, e := range u.problems {
		return e
	}
	return nil
}

// readPhotoUpload reads a multipart/form-data body part by part (nothing is
// spooled to disk): fields into values, "photos.<line id>" files through
// sanitizePhoto. File parts without content (a file input left empty) are
// skipped; a file field of another name is refused. The body's own cap
// (uploadLimit) answers 413.
//
// gate authorises the upload from the fields read so far: it runs before the
// first photo is read, so nobody without a valid token can make the server
// decode images (clients send the token's field before the files, as a form
// does in document order).
func readPhotoUpload(c echo.Context, gate func(fields url.Values) error) (photoUpload, error) {
	u := photoUpload{values: url.Values{}, problems: map[string]*apiError{}}
	authorised := false
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return u, &apiError{Status: http.StatusBadRequest, Code: "invalid_request"}
	}
	fieldBytes := 0
	perLine := map[string]int{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return u, uploadError(err)
		}
		name := part.FormName()
		line, isPhoto := strings.CutPrefix(name, "photos.")
		if part.FileName() == "" && !isPhoto {
			v, err := io.ReadAll(io.LimitReader(part, int64(maxFieldBytes-fieldBytes+1)))
			if err != nil {
				return u, uploadError(err)
			}
			if fieldBytes += len(v); fieldBytes > maxFieldBytes {
				return u, errPayloadTooLarge
			}
			u.values.Add(name, string(v))
			continue
		}
		if !isPhoto || line == "" {
			return u, &apiError{Status: http.StatusBadRequest, Code: "invalid_request"}
		}
		if !authorised {
			if err := gate(u.values); err != nil {
				return u, err
			}
			authorised = true
		}
		// The file name (part.FileName()) is never used: the photo is
		// stored under a random id.
		data, err := io.ReadAll(io.LimitReader(part, maxPhotoBytes+1))
		if err != nil {
			return u, uploadError(err)
		}
		if len(data) == 0 {
			continue // an empty file input
		}
		if perLine[line]++; perLine[line] > returns.MaxPhotosPerItem {
			u.problem(line, errTooManyPhotos)
			continue
		}
		p, err := sanitizePhoto(data)
		if err != nil {
			var ae *apiError
			if !errors.As(err, &ae) {
				return u, err
			}
			u.problem(line, ae)
			continue
		}
		p.LineID = line
		u.photos = append(u.photos, p)
	}
	return u, nil
}

func (u photoUpload) problem(line string, e *apiError) {
	if _, ok := u.problems[line]; !ok {
		u.problems[line] = e
	}
}

// uploadError maps a failure to read the body: over the cap is 413.
func uploadError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return errPayloadTooLarge
	}
	return &apiError{Status: http.StatusBadRequest, Code: "invalid_request"}
}

// decodeJSONBytes decodes one JSON value (a multipart request's "request"
// field), like decodeJSON.
func decodeJSONBytes(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return jsonError(err, "invalid_request")
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errInvalidJSON
	}
	return nil
}
