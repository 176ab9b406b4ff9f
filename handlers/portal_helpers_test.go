package handlers

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/returns-portal/returns/demo"
)

// page is a parsed HTML answer of the portal.
type page struct {
	t    testing.TB
	res  *httptest.ResponseRecorder
	root *html.Node
}

// get and post call the portal like a browser without JavaScript, or like
// htmx when hx is set.
func (a *testApp) get(path string, hx bool, hdr ...string) page {
	a.t.Helper()
	return a.browse("GET", path, nil, hx, hdr...)
}

func (a *testApp) post(path string, form url.Values, hx bool, hdr ...string) page {
	a.t.Helper()
	p := a.browse("POST", path, form, hx, hdr...)
	// The order form and the review answer a plain post with their
	// address (POST-redirect-GET): follow it, as a browser does.
	if p.res.Code == http.StatusSeeOther {
		if u, err := url.Parse(path); err == nil && (strings.HasSuffix(u.Path, "/review") || strings.HasSuffix(u.Path, "/order")) {
			return a.browse("GET", p.res.Header().Get("Location"), nil, hx, hdr...)
		}
	}
	return p
}

func (a *testApp) browse(method, path string, form url.Values, hx bool, hdr ...string) page {
	a.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if hx {
		req.Header.Set("HX-Request", "true")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	req.RemoteAddr = "192.0.2.1:1234"
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	if c := rec.Header().Get("Set-Cookie"); c != "" {
		a.t.Errorf("%s %s set a cookie: %q", method, path, c)
	}
	p := page{t: a.t, res: rec}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		root, err := html.Parse(strings.NewReader(rec.Body.String()))
		if err != nil {
			a.t.Fatalf("%s %s: %v", method, path, err)
		}
		p.root = root
	}
	return p
}

// follow requests the page a 303 points to.
func (a *testApp) follow(p page, hx bool) page {
	a.t.Helper()
	if p.res.Code != http.StatusSeeOther {
		a.t.Fatalf("want 303, got %d: %s", p.res.Code, p.res.Body)
	}
	return a.get(p.res.Header().Get("Location"), hx)
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, name string) bool {
	for _, a := range n.Attr {
		if a.Key == name {
			return true
		}
	}
	return false
}

// all finds the elements for which match is true, in document order.
func all(root *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	if root != nil {
		walk(root)
	}
	return out
}

func byTestID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "data-testid") == id }
}

func (p page) all(testID string) []*html.Node { return all(p.root, byTestID(testID)) }

// one is the single element with a test id.
func (p page) one(testID string) *html.Node {
	p.t.Helper()
	ns := p.all(testID)
	if len(ns) != 1 {
		p.t.Fatalf("want one [data-testid=%s], found %d (status %d)\n%s", testID, len(ns), p.res.Code, p.res.Body)
	}
	return ns[0]
}

func (p page) has(testID string) bool { return len(p.all(testID)) > 0 }

// text is an element's text, spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// htmlElement is the <html> element, nil in a fragment.
func (p page) htmlElement() *html.Node {
	// html.Parse always synthesises <html>; a real one has attributes.
	for _, n := range all(p.root, func(n *html.Node) bool { return n.Data == "html" }) {
		if hasAttr(n, "lang") {
			return n
		}
	}
	return nil
}

// portalLang is the language and direction of the #portal element.
func (p page) portalLang() (string, string) {
	n := p.one("portal")
	return attr(n, "lang"), attr(n, "dir")
}

// formValues are the fields a browser would submit from a form: inputs
// (checked boxes and radios only), selects and text areas.
func formValues(form *html.Node) url.Values {
	v := url.Values{}
	for _, n := range all(form, func(n *html.Node) bool {
		return n.Data == "input" || n.Data == "select" || n.Data == "textarea"
	}) {
		name := attr(n, "name")
		if name == "" {
			continue
		}
		switch n.Data {
		case "input":
			typ := attr(n, "type")
			if (typ == "checkbox" || typ == "radio") && !hasAttr(n, "checked") {
				continue
			}
			v.Add(name, attr(n, "value"))
		case "select":
			val := ""
			for _, o := range all(n, func(o *html.Node) bool { return o.Data == "option" }) {
				if hasAttr(o, "selected") {
					val = attr(o, "value")
				}
			}
			v.Add(name, val)
		case "textarea":
			v.Add(name, text(n))
		}
	}
	return v
}

var nonceAttr = regexp.MustCompile(`nonce="[^"]*"`)

// lookupForm is the start page's form filled in.
func lookupForm(number, email, lang string) url.Values {
	v := url.Values{"order_number": {number}, "email": {email}}
	if lang != "" {
		v.Set("lang", lang)
	}
	return v
}

// openOrder looks an order up through the portal and returns the form page.
func (a *testApp) openOrder(number, lang string, hx bool) page {
	a.t.Helper()
	res := a.post("/lookup", lookupForm(number, demo.Email, lang), hx)
	return a.follow(res, hx)
}

// rawText is an element's text as it is, no-break spaces included.
func rawText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.TrimSpace(b.String())
}
