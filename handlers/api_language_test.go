package handlers

import (
	"net/http"
	"testing"
)

// TestAPIAnswersInTheRequestsLanguage: the JSON API speaks the request's
// language (lang, then Accept-Language) and the order's only when the
// request names none. Issue 10: an Accept-Language: en request about a
// French order got a French error.
func TestAPIAnswersInTheRequestsLanguage(t *testing.T) {
	a := newTestApp(t)
	tok := a.lookupToken("FR-1013") // a French order (fr-FR)
	body := map[string]any{"token": tok, "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": "NOPE", "quantity": 1, "reason": "wrong_size"}}}
	for _, tc := range []struct {
		name, query, accept, want string
	}{
		{"no language named: the order's", "", "", "Cet article ne fait pas partie de cette commande."},
		{"Accept-Language beats the order's", "", "en-GB,en;q=0.9", "That item is not part of this order."},
		{"lang beats Accept-Language", "?lang=de", "en", "Dieser Artikel gehört nicht zu dieser Bestellung."},
		{"an unsupported language falls back to the order's", "", "pt-BR", "Cet article ne fait pas partie de cette commande."},
	} {
		header := map[string]string{}
		if tc.accept != "" {
			header["Accept-Language"] = tc.accept
		}
		code, m := a.doJSON(request{method: "POST", path: "/api/v1/returns/quote" + tc.query, body: body, header: header})
		msg, _ := m["error"].(map[string]any)["message"].(string)
		if code != http.StatusUnprocessableEntity || errorCode(m) != "unknown_line" || msg != tc.want {
			t.Errorf("%s: %d %s %q, want %q", tc.name, code, errorCode(m), msg, tc.want)
		}
	}
}
