package service

import "testing"

func TestParseEmbedOrigins(t *testing.T) {
	good := map[string]string{
		"https://shop.example":      "https://shop.example",
		"HTTPS://Shop.Example:443":  "https://shop.example",
		"http://localhost:8081":     "http://localhost:8081",
		"http://127.0.0.1:80":       "http://127.0.0.1",
		"https://[::1]:8443":        "https://[::1]:8443",
		" https://shop.example:444": "https://shop.example:444",
	}
	for in, want := range good {
		got, err := ParseEmbedOrigins([]string{in})
		if err != nil || len(got) != 1 || got[0] != want {
			t.Errorf("%q: got %v %v, want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"shop.example", "https://shop.example/", "https://shop.example/path", "ftp://shop.example",
		"https://shop.example?x", "https://user@shop.example", "https://*.shop.example", "https://shop.example:99999",
		"https://", "'self'", "https://a.example https://b.example", "https://shop.example#top", "javascript:alert(1)"} {
		if got, err := ParseEmbedOrigins([]string{in}); err == nil {
			t.Errorf("%q accepted as %v", in, got)
		}
	}
	got, err := ParseEmbedOrigins([]string{"https://a.example", "", "https://A.example"})
	if err != nil || len(got) != 1 {
		t.Errorf("duplicates: %v %v", got, err)
	}
}
