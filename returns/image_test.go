package returns

import (
	"reflect"
	"testing"
)

func TestImageURLValidation(t *testing.T) {
	tests := []struct {
		url  string
		want string // the code ValidateOrder gives lines[0].image_url, "" for none
	}{
		{"https://cdn.shop.example/p/tee.jpg", ""},
		{"HTTPS://CDN.shop.example/p/tee.jpg?v=2", ""},
		{"https://cdn.shop.example:8443/tee.png", ""},
		{"http://cdn.shop.example/tee.jpg", FieldHTTPSRequired},
		{"//cdn.shop.example/tee.jpg", FieldHTTPSRequired},
		{"/p/tee.jpg", FieldHTTPSRequired},
		{"data:image/png;base64,iVBORw0KGgo=", FieldInvalid},
		{"javascript:alert(1)", FieldInvalid},
		{"https://user:pw@cdn.shop.example/tee.jpg", FieldInvalid},
		{"https:///tee.jpg", FieldInvalid},
		{"https://cdn.shop.example/\u202Etee.jpg", FieldDirectionControl},
		{"https://cdn.shop.example/a\nb.jpg", FieldInvalid},
		{"https://cdn.shop.example/" + string(make([]byte, 2100)), FieldTooLong},
	}
	for _, tt := range tests {
		o := valExampleOrder(t)
		o.Lines[0].ImageURL = tt.url
		got := ""
		for _, e := range ValidateOrder(o, LoadLegal()) {
			if e.Path == "lines[0].image_url" {
				got = e.Code
			}
		}
		if got != tt.want {
			t.Errorf("%q: code %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestCheckImageHosts(t *testing.T) {
	order := func(urls ...string) Order {
		var o Order
		for _, u := range urls {
			o.Lines = append(o.Lines, Line{ID: "L", ImageURL: u})
		}
		return o
	}
	allowed := []string{"cdn.shop.example", "img.example:8443"}
	tests := []struct {
		name    string
		o       Order
		allowed []string
		want    FieldErrors
	}{
		{"no images", order("", ""), nil, nil},
		{"allowed host", order("https://cdn.shop.example/a.jpg", ""), allowed, nil},
		{"host in another case", order("https://CDN.Shop.Example/a.jpg"), allowed, nil},
		{"allowed host and port", order("https://img.example:8443/a.jpg"), allowed, nil},
		{"the host without the allowed port", order("https://img.example/a.jpg"), allowed,
			FieldErrors{{Path: "lines[0].image_url", Code: FieldImageHost}}},
		{"a subdomain is another host", order("https://evil.cdn.shop.example/a.jpg"), allowed,
			FieldErrors{{Path: "lines[0].image_url", Code: FieldImageHost}}},
		{"nothing allowed", order("", "https://cdn.shop.example/a.jpg"), nil,
			FieldErrors{{Path: "lines[1].image_url", Code: FieldImageHost}}},
		{"not https", order("http://cdn.shop.example/a.jpg"), allowed,
			FieldErrors{{Path: "lines[0].image_url", Code: FieldHTTPSRequired}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckImageHosts(tt.o, tt.allowed); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestImageHost(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"cdn.shop.example", "cdn.shop.example", true},
		{"CDN.Shop.Example", "cdn.shop.example", true},
		{"https://cdn.shop.example", "cdn.shop.example", true},
		{"https://cdn.shop.example/", "cdn.shop.example", true},
		{"img.example:8443", "img.example:8443", true},
		{" cdn.shop.example ", "cdn.shop.example", true},
		{"http://cdn.shop.example", "", false},
		{"https://cdn.shop.example/images", "", false},
		{"*.shop.example", "", false},
		{"cdn.shop.example; script-src *", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := ImageHost(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("ImageHost(%q) = %q %v, want %q %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
