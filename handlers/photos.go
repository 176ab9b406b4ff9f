package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

// Photo evidence. A shopper's photos arrive in the same multipart request
// that creates the return (the portal's confirm form, or POST
// /api/v1/returns as multipart/form-data), as file fields named
// "photos.<line id>". The request is checked from the cheapest check to the
// dearest and refused at the first that fails, so that nobody makes the
// server decode an image for a request it refuses:
//
//  1. the body is read through http.MaxBytesReader (the route's
//     uploadLimit), each photo at most maxPhotoBytes;
//  2. before the first photo is read, the fields: the token, the creation
//     rate limits, the whole request (service.AdmitReturn: items,
//     quantities, reasons, refund details) — clients send the fields
//     before the files, as a form does in document order;
//  3. each photo by its first bytes, not its name or declared type: JPEG,
//     PNG or WebP only (GIF, SVG, PDF, HTML... are refused), and its
//     header's dimensions against maxPhotoPixels (a decompression bomb
//     declares huge dimensions in a tiny file) — inspectPhoto;
//  4. the photos together: their number per item
//     (service.Admission.CheckPhotos) and their pixels against
//     maxRequestPixels;
//  5. only then the pixels: decoded under the process's semaphore, scaled
//     to maxStoredEdge and re-encoded, which drops EXIF with GPS and
//     anything smuggled along (photoDecoder.reencode, photo_image.go);
//  6. stored in the database under a random id (the file name is never
//     read), and served only to staff (admin_photos.go).

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
	// that a form can show it next to the item; when there is any, no
	// photo was decoded.
	problems map[string]*apiError
}

// firstProblem is one of the refused photos' errors, or nil.
func (u photoUpload) firstProblem() error {
	for _, e := range u.problems {
		return e
	}
	return nil
}

// status is the answer's status for refused photos: one refused photo
// has its own (413, 415); more are 422.
func (u photoUpload) status() int {
	if e, _ := u.firstProblem().(*apiError); e != nil && len(u.problems) == 1 {
		return e.Status
	}
	return http.StatusUnprocessableEntity
}

func (u photoUpload) problem(line string, e *apiError) {
	if _, ok := u.problems[line]; !ok {
		u.problems[line] = e
	}
}

// admitFunc checks a return request from its fields before any of its
// photos is decoded (step 2): the token, the rate limits, the request.
type admitFunc func(fields url.Values) (service.Admission, error)

// uploadChecks are what readPhotoUpload asks of a request's fields.
type uploadChecks struct {
	// first runs when the first photo part begins, with the fields read so
	// far: a refusal ends the upload there, before any photo is read (the
	// token, which a form sends first: a stranger's upload is not read).
	first func(fields url.Values) error
	// admit runs once every field is read, before any photo is decoded.
	admit admitFunc
}

// admitFirst checks a request whose fields all come before its photos
// (the JSON API's "request" part) whole when its first photo begins.
func admitFirst(admit admitFunc) uploadChecks {
	var ad *service.Admission
	return uploadChecks{
		first: func(fields url.Values) error {
			a, err := admit(fields)
			if err == nil {
				ad = &a
			}
			return err
		},
		admit: func(fields url.Values) (service.Admission, error) {
			if ad != nil {
				return *ad, nil
			}
			return admit(fields)
		},
	}
}

// pendingPhoto is a photo read and inspected, not yet decoded.
type pendingPhoto struct {
	line   string
	data   []byte
	header photoHeader
}

// readPhotoUpload reads a multipart/form-data body part by part (nothing
// is spooled to disk) through the checks above: fields into values,
// "photos.<line id>" files through inspectPhoto, then, if nothing refused
// them, through the decoder. File parts without content (a file input left
// empty) are skipped; a file field of another name is refused.
// checks.first runs when the first photo part begins; checks.admit once
// every field is read — a portal form puts its file inputs among its
// fields, at each item — and before any photo is decoded: the photos wait
// undecoded, their bytes bounded by the route's body cap. Their refusals
// are returned as they are. A refusal before the end of the body reads the rest
// unparsed (up to the route's cap) before answering: a browser still
// sending its upload would otherwise see the connection reset instead of
// the page that says what went wrong.
func (s *Server) readPhotoUpload(c echo.Context, checks uploadChecks) (photoUpload, error) {
	u := photoUpload{values: url.Values{}, problems: map[string]*apiError{}}
	body := c.Request().Body
	defer func() { _, _ = io.Copy(io.Discard, body) }()
	mr, err := c.Request().MultipartReader()
	if err != nil {
		return u, &apiError{Status: http.StatusBadRequest, Code: "invalid_request"}
	}
	var pending []pendingPhoto
	firstDone := false
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
		if !firstDone {
			if err := checks.first(u.values); err != nil {
				return u, err
			}
			firstDone = true
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
		h, problem := inspectPhoto(data)
		if problem != nil {
			u.problem(line, problem)
			continue
		}
		pending = append(pending, pendingPhoto{line: line, data: data, header: h})
	}
	admitted, err := checks.admit(u.values)
	if err != nil {
		return u, err
	}
	ad := &admitted
	if len(u.problems) > 0 {
		return u, nil
	}
	if err := s.checkPhotos(ad, pending, u); err != nil || len(u.problems) > 0 {
		return u, err
	}
	for _, p := range pending {
		if ad.Ignores(p.line) {
			continue // a photo of a line the form does not return: dropped undecoded
		}
		ph, err := s.photos.reencode(c.Request().Context(), p.data, p.header)
		var ae *apiError
		if errors.As(err, &ae) {
			u.problem(p.line, ae)
			continue
		}
		if err != nil {
			return u, err
		}
		ph.LineID = p.line
		u.photos = append(u.photos, ph)
	}
	return u, nil
}

// checkPhotos checks the photos together before any is decoded (step 4):
// their number per item, then their pixels against the request's budget
// (a refusal there is the photo that went over it, placed at its item).
func (s *Server) checkPhotos(ad *service.Admission, pending []pendingPhoto, u photoUpload) error {
	counts := map[string]int{}
	for _, p := range pending {
		counts[p.line]++
	}
	if err := ad.CheckPhotos(counts); err != nil {
		return err
	}
	var total int64
	for _, p := range pending {
		if ad.Ignores(p.line) {
			continue
		}
		if total += p.header.pixels(); total > maxRequestPixels {
			u.problem(p.line, errRequestPixelsBudget)
			return nil
		}
	}
	return nil
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
