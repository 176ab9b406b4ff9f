package carrierstest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// The request shapes of Sendcloud's Returns API v3 reference
// (sendcloud.dev, /.openapi/v3/returns/openapi.yaml: CreateReturn,
// address, ShipWith, weight, parcel-item-returns-create,
// parcel-customs-information), written from the reference.
type scRefAddress struct {
	Name              string `json:"name"`
	CompanyName       string `json:"company_name"`
	AddressLine1      string `json:"address_line_1"`
	HouseNumber       string `json:"house_number"`
	AddressLine2      string `json:"address_line_2"`
	PostalCode        string `json:"postal_code"`
	City              string `json:"city"`
	POBox             string `json:"po_box"`
	StateProvinceCode string `json:"state_province_code"`
	CountryCode       string `json:"country_code"`
	Email             string `json:"email"`
	PhoneNumber       string `json:"phone_number"`
}

type scRefMeasure struct {
	Value *json.Number `json:"value"`
	Unit  string       `json:"unit"`
}

type scRefPrice struct {
	Value    *json.Number `json:"value"`
	Currency string       `json:"currency"`
}

type scRefItem struct {
	ItemID          string        `json:"item_id"`
	Description     string        `json:"description"`
	Quantity        int           `json:"quantity"`
	Weight          *scRefMeasure `json:"weight"`
	Price           *scRefPrice   `json:"price"`
	Value           *scRefPrice   `json:"value"`
	HSCode          string        `json:"hs_code"`
	OriginCountry   string        `json:"origin_country"`
	SKU             string        `json:"sku"`
	ProductID       string        `json:"product_id"`
	ReturnReasonID  *string       `json:"return_reason_id"`
	ReturnMessage   *string       `json:"return_message"`
	MIDCode         *string       `json:"mid_code"`
	MaterialContent *string       `json:"material_content"`
	IntendedUse     *string       `json:"intended_use"`
}

type scRefReturn struct {
	FromAddress *scRefAddress `json:"from_address"`
	ToAddress   *scRefAddress `json:"to_address"`
	ShipWith    *struct {
		Type                string         `json:"type"`
		ShippingOptionCode  string         `json:"shipping_option_code"`
		ShippingProductCode string         `json:"shipping_product_code"`
		Functionalities     map[string]any `json:"functionalities"`
		Contract            *int           `json:"contract"`
	} `json:"ship_with"`
	Dimensions *struct {
		Height *json.Number `json:"height"`
		Width  *json.Number `json:"width"`
		Length *json.Number `json:"length"`
		Unit   string       `json:"unit"`
	} `json:"dimensions"`
	Weight             *scRefMeasure  `json:"weight"`
	ColloCount         *int           `json:"collo_count"`
	ParcelItems        []scRefItem    `json:"parcel_items"`
	SendTrackingEmails *bool          `json:"send_tracking_emails"`
	BrandID            *int           `json:"brand_id"`
	TotalInsuredValue  *scRefPrice    `json:"total_insured_value"`
	OrderNumber        string         `json:"order_number"`
	TotalOrderValue    *scRefPrice    `json:"total_order_value"`
	ExternalReference  string         `json:"external_reference"`
	CustomsInvoiceNr   *string        `json:"customs_invoice_nr"`
	DeliveryOption     *string        `json:"delivery_option"`
	CustomsInformation map[string]any `json:"customs_information"`
	ApplyRules         *bool          `json:"apply_rules"`
}

var (
	scWeightUnits     = []string{"kg", "g", "lbs", "oz"}
	scDeliveryOptions = []string{"drop_off_point", "drop_off_labelless", "pickup", "in_store"}
	scExportReasons   = []string{"gift", "documents", "commercial_goods", "commercial_sample", "returned_goods"}
	// euCountries need no parcel items (Sendcloud: mandatory from outside the EU).
	euCountries = []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
		"LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
)

// Sendcloud is a stand-in of Sendcloud's Returns API v3 and Parcel
// documents API.
type Sendcloud struct {
	// URL is the API's base URL, ".../api/v3" (RETURNS_SENDCLOUD_API_URL);
	// Key and Secret the credentials it accepts.
	URL, Key, Secret string
	t                testing.TB
	srv              *httptest.Server

	mu        sync.Mutex
	returns   map[string]*scFakeReturn
	validated map[string]bool // external references validated
	seq       int
	calls     []Call
	// announceAfter is how many reads of a new return still find it being
	// announced.
	announceAfter int
	cancelStatus  int
	fail          map[string][]Canned
}

type scFakeReturn struct {
	id, parcel, tracking string
	req                  scRefReturn
	raw                  json.RawMessage
	reads                int
	cancelled            bool
}

// NewSendcloud starts the stand-in; it stops when the test ends.
func NewSendcloud(t testing.TB) *Sendcloud {
	f := &Sendcloud{Key: "sc_pub_" + strings.Repeat("p", 20), Secret: "sc_sec_" + strings.Repeat("s", 20), t: t,
		returns: map[string]*scFakeReturn{}, validated: map[string]bool{}, cancelStatus: http.StatusAccepted,
		fail: map[string][]Canned{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL + "/api/v3"
	t.Cleanup(f.srv.Close)
	return f
}

// AnnounceAfter makes a new return's label appear after n reads.
func (f *Sendcloud) AnnounceAfter(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.announceAfter = n
}

// CancelConflict makes cancellations answer 409 (not cancellable).
func (f *Sendcloud) CancelConflict() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cancelStatus = http.StatusConflict
}

// FailNext answers the next call of a route ("validate", "create",
// "retrieve") with c.
func (f *Sendcloud) FailNext(route string, c Canned) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[route] = append(f.fail[route], c)
}

// Calls are the requests received so far.
func (f *Sendcloud) Calls() []Call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// CallsTo counts the requests with this method and path prefix (below
// /api/v3).
func (f *Sendcloud) CallsTo(method, prefix string) int {
	n := 0
	for _, c := range f.Calls() {
		if c.Method == method && strings.HasPrefix(c.Path, "/api/v3"+prefix) {
			n++
		}
	}
	return n
}

// Return is what the fake knows of one return.
type Return struct {
	ID, Parcel, Tracking string
	Cancelled            bool
	Request              json.RawMessage
}

// Returns are the returns created so far, oldest first.
func (f *Sendcloud) Returns() []Return {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Return
	for _, r := range f.returns {
		out = append(out, Return{ID: r.id, Parcel: r.parcel, Tracking: r.tracking, Cancelled: r.cancelled, Request: r.raw})
	}
	slices.SortFunc(out, func(a, b Return) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (f *Sendcloud) answer(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (f *Sendcloud) violation(w http.ResponseWriter, format string, args ...any) {
	f.t.Errorf("sendcloud fake: "+format, args...)
	f.answer(w, http.StatusBadRequest, fixture("sendcloud/errors-400.json"))
}

func (f *Sendcloud) canned(route string) (Canned, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if q := f.fail[route]; len(q) > 0 {
		f.fail[route] = q[1:]
		return q[0], true
	}
	return Canned{}, false
}

var (
	scReturnPath   = regexp.MustCompile(`^/api/v3/returns/([0-9]+)(/cancel)?$`)
	scDocumentPath = regexp.MustCompile(`^/api/v3/parcels/([0-9]+)/documents/(label|customs-declaration|air-waybill)$`)
)

func (f *Sendcloud) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	f.mu.Lock()
	f.calls = append(f.calls, Call{Method: r.Method, Path: r.URL.RequestURI(), Body: body})
	f.mu.Unlock()
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(f.Key+":"+f.Secret))
	if r.Header.Get("Authorization") != want {
		f.answer(w, http.StatusUnauthorized, []byte(`{"errors":[{"code":"authentication_failed","message":"Invalid username/password."}]}`))
		return
	}
	switch p := r.URL.Path; {
	case r.Method == http.MethodPost && p == "/api/v3/returns/validate":
		f.validate(w, body)
	case r.Method == http.MethodPost && p == "/api/v3/returns":
		f.create(w, body)
	case scReturnPath.MatchString(p):
		m := scReturnPath.FindStringSubmatch(p)
		f.mu.Lock()
		ret := f.returns[m[1]]
		f.mu.Unlock()
		if ret == nil {
			f.answer(w, http.StatusNotFound, fixture("sendcloud/document-404.json"))
			return
		}
		switch {
		case r.Method == http.MethodGet && m[2] == "":
			f.retrieve(w, ret)
		case r.Method == http.MethodPatch && m[2] == "/cancel":
			f.cancel(w, ret)
		default:
			f.violation(w, "unexpected %s %s", r.Method, p)
		}
	case r.Method == http.MethodGet && scDocumentPath.MatchString(p):
		f.document(w, r)
	default:
		f.violation(w, "unexpected %s %s", r.Method, p)
	}
}

// check validates a CreateReturn body as the reference describes it.
func (f *Sendcloud) check(body []byte) (scRefReturn, []string) {
	var req scRefReturn
	if err := decodeStrict(body, &req); err != nil {
		return req, []string{"body: " + err.Error()}
	}
	var problems []string
	check := func(ok bool, what string) {
		if !ok {
			problems = append(problems, what)
		}
	}
	for name, a := range map[string]*scRefAddress{"from_address": req.FromAddress, "to_address": req.ToAddress} {
		check(a != nil && a.Name != "" && a.AddressLine1 != "" && a.PostalCode != "" && a.City != "" && countryRE.MatchString(a.CountryCode),
			name+" needs name, address_line_1, postal_code, city and country_code")
		if a != nil && a.StateProvinceCode != "" {
			check(strings.HasPrefix(a.StateProvinceCode, a.CountryCode+"-"), name+".state_province_code is ISO 3166-2")
		}
	}
	sw := req.ShipWith
	check(sw != nil && (sw.Type == "shipping_option_code" && sw.ShippingOptionCode != "" ||
		sw.Type == "shipping_product_code" && sw.ShippingProductCode != ""), "ship_with needs its type's code")
	check(req.Weight != nil && positive(req.Weight.Value) && slices.Contains(scWeightUnits, req.Weight.Unit), "weight {value > 0, unit}")
	check(req.ColloCount == nil || *req.ColloCount >= 1, "collo_count >= 1")
	check(req.DeliveryOption == nil || slices.Contains(scDeliveryOptions, *req.DeliveryOption), "delivery_option")
	international := req.FromAddress != nil && req.ToAddress != nil && req.FromAddress.CountryCode != req.ToAddress.CountryCode
	outsideEU := req.FromAddress != nil && !slices.Contains(euCountries, req.FromAddress.CountryCode)
	check(!outsideEU || len(req.ParcelItems) > 0, "parcel_items are mandatory from outside the EU")
	for i, it := range req.ParcelItems {
		p := fmt.Sprintf("parcel_items[%d].", i)
		check(it.Description != "" && it.Quantity >= 1, p+"description and quantity >= 1")
		check(it.Weight == nil || positive(it.Weight.Value) && slices.Contains(scWeightUnits, it.Weight.Unit), p+"weight")
		check(it.Price == nil || positive(it.Price.Value) && currencyRE.MatchString(it.Price.Currency), p+"price")
		check(len(it.HSCode) <= 12, p+"hs_code at most 12 characters")
		if international {
			check(it.HSCode != "" && countryRE.MatchString(it.OriginCountry), p+"hs_code and origin_country for an international return")
		}
	}
	withinEU := req.FromAddress != nil && req.ToAddress != nil && slices.Contains(euCountries, req.FromAddress.CountryCode) &&
		slices.Contains(euCountries, req.ToAddress.CountryCode)
	if international && !withinEU {
		check(req.CustomsInvoiceNr != nil && *req.CustomsInvoiceNr != "", "customs_invoice_nr for an international return")
	}
	if ci := req.CustomsInformation; ci != nil {
		reason, _ := ci["export_reason"].(string)
		check(slices.Contains(scExportReasons, reason), "customs_information.export_reason")
		check(reason == "returned_goods", "customs_information.export_reason must be returned_goods for returns")
	}
	return req, problems
}

func (f *Sendcloud) validate(w http.ResponseWriter, body []byte) {
	if c, ok := f.canned("validate"); ok {
		f.answer(w, c.Status, fixture(c.Fixture))
		return
	}
	req, problems := f.check(body)
	if len(problems) > 0 {
		f.violation(w, "validate: %s", strings.Join(problems, "; "))
		return
	}
	f.mu.Lock()
	f.validated[req.ExternalReference] = true
	f.mu.Unlock()
	f.answer(w, http.StatusOK, fixture("sendcloud/validate-ok.json", "__OPTION__", req.ShipWith.ShippingOptionCode,
		"__ORDER__", req.OrderNumber, "__REFERENCE__", req.ExternalReference))
}

func (f *Sendcloud) create(w http.ResponseWriter, body []byte) {
	if c, ok := f.canned("create"); ok {
		f.answer(w, c.Status, fixture(c.Fixture))
		return
	}
	req, problems := f.check(body)
	if len(problems) > 0 {
		f.violation(w, "create: %s", strings.Join(problems, "; "))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.validated[req.ExternalReference] {
		f.t.Errorf("sendcloud fake: return %q created without validating it first", req.ExternalReference)
	}
	for _, r := range f.returns {
		if r.req.ExternalReference == req.ExternalReference {
			f.t.Errorf("sendcloud fake: a second return for %q", req.ExternalReference)
		}
	}
	f.seq++
	ret := &scFakeReturn{id: strconv.Itoa(1751000 + f.seq), parcel: strconv.Itoa(67800 + f.seq),
		tracking: fmt.Sprintf("05222%09dDE", f.seq), req: req, raw: json.RawMessage(body)}
	f.returns[ret.id] = ret
	f.answer(w, http.StatusCreated, fixture("sendcloud/return-created.json", "__RETURN_ID__", ret.id, "__PARCEL_ID__", ret.parcel))
}

func (f *Sendcloud) retrieve(w http.ResponseWriter, ret *scFakeReturn) {
	if c, ok := f.canned("retrieve"); ok {
		f.answer(w, c.Status, fixture(c.Fixture))
		return
	}
	f.mu.Lock()
	ret.reads++
	announced := ret.reads > f.announceAfter
	f.mu.Unlock()
	pairs := []string{"__OPTION__", ret.req.ShipWith.ShippingOptionCode, "__ORDER__", ret.req.OrderNumber}
	if !announced {
		f.answer(w, http.StatusOK, fixture("sendcloud/return-announcing.json", pairs...))
		return
	}
	f.answer(w, http.StatusOK, fixture("sendcloud/return-announced.json",
		append(pairs, "__BASE__", f.URL, "__PARCEL_ID__", ret.parcel, "__TRACKING__", ret.tracking)...))
}

func (f *Sendcloud) cancel(w http.ResponseWriter, ret *scFakeReturn) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cancelStatus == http.StatusConflict {
		f.answer(w, http.StatusConflict, fixture("sendcloud/cancel-409.json"))
		return
	}
	ret.cancelled = true
	f.answer(w, http.StatusAccepted, fixture("sendcloud/cancel-202.json"))
}

func (f *Sendcloud) document(w http.ResponseWriter, r *http.Request) {
	m := scDocumentPath.FindStringSubmatch(r.URL.Path)
	if a := r.Header.Get("Accept"); a != "" && a != "application/pdf" && a != "application/zpl" && a != "image/png" {
		f.violation(w, "document Accept %q", a)
		return
	}
	size := r.URL.Query().Get("paper_size")
	if size != "" && size != "A4" && size != "A5" && size != "A6" {
		f.violation(w, "document paper_size %q", size)
		return
	}
	f.mu.Lock()
	var ret *scFakeReturn
	for _, x := range f.returns {
		if x.parcel == m[1] {
			ret = x
		}
	}
	announced := ret != nil && ret.reads > f.announceAfter
	f.mu.Unlock()
	if !announced {
		f.answer(w, http.StatusNotFound, fixture("sendcloud/document-404.json"))
		return
	}
	international := ret.req.FromAddress.CountryCode != ret.req.ToAddress.CountryCode
	switch {
	case m[2] == "label" && size == "A4":
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(PDF(A4Width, A4Height, "RETURN LABEL A4 - Sendcloud test", "TRACKING # "+ret.tracking))
	case m[2] == "label":
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(PDF(A6Width, A6Height, "RETURN LABEL - Sendcloud test", "TRACKING # "+ret.tracking))
	case m[2] == "customs-declaration" && international:
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = w.Write(PDF(A4Width, A4Height, "CN23 CUSTOMS DECLARATION", ret.tracking))
	default:
		f.answer(w, http.StatusNotFound, fixture("sendcloud/document-404.json"))
	}
}

// ParcelStatusChanged is a "parcel_status_changed" webhook body (the
// fixture's shape); its Sendcloud-Signature under secret is
// carriers.SendcloudSignature(secret, body).
func ParcelStatusChanged(parcelID, tracking string, statusID int, message string, at time.Time) []byte {
	ms := strconv.FormatInt(at.UnixMilli(), 10)
	return fixture("sendcloud/parcel-status-changed.json", "__TIMESTAMP__", strconv.FormatInt(at.Add(90*time.Second).UnixMilli(), 10),
		"__CARRIER_TIMESTAMP__", ms, "__PARCEL_ID__", parcelID, "__TRACKING__", tracking,
		"__STATUS_ID__", strconv.Itoa(statusID), "__STATUS_MESSAGE__", message)
}
