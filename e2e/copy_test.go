package e2e

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/pgtest"
)

// TestCopyDemoToPostgres: the demo database of `make run`, with a return
// made through the API, is copied by `returns-portal copy` into an empty
// PostgreSQL database; the portal started on that database finds the demo
// order and the return, takes a new return, and a second copy is refused.
func TestCopyDemoToPostgres(t *testing.T) {
	stop, err := pgtest.Start()
	if err != nil {
		t.Fatalf("PostgreSQL: %v", err)
	}
	t.Cleanup(stop)
	dsn := pgtest.NewEmptyDatabase(t)

	p := startPortal(t)
	lk := p.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email})
	made := p.postJSON(t, "/api/v1/returns", map[string]any{"token": lk["token"], "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}})
	rma, _ := made["rma"].(string)
	p.kill(t)

	out, err := exec.Command(portalBinary(t), "copy", "--from", p.DB, "--to", dsn).CombinedOutput()
	if err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	for _, want := range []string{"orders", "returns", "policy_versions", "staff", "counts and checksums match"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("copy's report lacks %q:\n%s", want, out)
		}
	}
	if out, err := exec.Command(portalBinary(t), "copy", "--from", p.DB, "--to", dsn).CombinedOutput(); err == nil ||
		!strings.Contains(string(out), "--force") {
		t.Errorf("a second copy into the same database: %v\n%s", err, out)
	}

	pg := startPortal(t, "--db", dsn)
	if pg.APIKey != p.APIKey {
		t.Errorf("the copied demo key %q, want %q", pg.APIKey, p.APIKey)
	}
	if code, r := apiCall(t, pg, "GET", "/api/v1/returns/"+rma, nil, ""); code != http.StatusOK || r["rma"] != rma {
		t.Fatalf("the copied return on PostgreSQL: %d %v", code, r)
	}
	lk = pg.postJSON(t, "/api/v1/returns/lookup", map[string]string{"order_number": demo.FeaturedOrder, "email": demo.Email})
	again := pg.postJSON(t, "/api/v1/returns", map[string]any{"token": lk["token"], "refund_method": "original_payment",
		"items": []any{map[string]any{"line_id": "L1", "quantity": 1, "reason": "wrong_size"}}})
	if again["rma"] == "" || again["rma"] == rma {
		t.Errorf("a new return after the copy: %v", again)
	}
	t.Logf("copy:\n%s", out)
}
