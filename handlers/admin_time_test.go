package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

func TestStaffTime(t *testing.T) {
	at := time.Date(2026, 1, 15, 23, 30, 0, 0, time.UTC)
	berlin, err := service.ParseTimezone("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	tokyo, _ := service.ParseTimezone("Asia/Tokyo")
	for _, c := range []struct {
		loc  *time.Location
		want string
	}{{nil, "2026-01-15 23:30 UTC"}, {time.UTC, "2026-01-15 23:30 UTC"}, {berlin, "2026-01-16 00:30 CET"},
		{tokyo, "2026-01-16 08:30 JST"}} {
		if got := staffTime(at, c.loc); got != c.want {
			t.Errorf("%v: %q, want %q", c.loc, got, c.want)
		}
	}
	for _, bad := range []string{"Local", "Mars/Olympus", "../../etc/passwd", "Europe/", strings.Repeat("A", 100)} {
		if _, err := service.ParseTimezone(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if loc, err := service.ParseTimezone(""); err != nil || loc != time.UTC {
		t.Errorf("empty: %v %v", loc, err)
	}
}

// TestAdminTimezone: the timezone setting is validated, stored, and the
// staff area's pages (queue, return detail and its timeline) and the CSV
// export show their times in it.
func TestAdminTimezone(t *testing.T) {
	a := newStaffApp(t)
	rma := a.newReturn("DE-1001", "L1", 1, "original_payment")
	r, err := a.st.GetReturn(context.Background(), rma)
	if err != nil {
		t.Fatal(err)
	}
	admin := a.staff().login(store.RoleAdmin)
	row := func() string {
		for _, n := range admin.get("/admin/returns").all("queue-row") {
			if attr(n, "data-rma") == rma {
				return text(n)
			}
		}
		t.Fatal("return not in the queue")
		return ""
	}
	// Default: the merchant's, the zone of the default hub's address
	// (the demo's is in Berlin).
	berlin, _ := time.LoadLocation("Europe/Berlin")
	if !strings.Contains(row(), staffTime(r.CreatedAt, berlin)) {
		t.Errorf("queue row %q lacks the Berlin time", row())
	}
	set := admin.get("/admin/settings")
	if in := set.one("in-timezone"); attr(in, "value") != "" || attr(in, "placeholder") != "Europe/Berlin" {
		t.Errorf("timezone field %q, placeholder %q", attr(in, "value"), attr(in, "placeholder"))
	}
	save := func(tz string) page {
		form := formValues(set.one("settings-form"))
		form.Set("timezone", tz)
		return admin.post("/admin/settings", form)
	}
	for _, bad := range []string{"Mars/Olympus", "Local", "europe/berlin x"} {
		res := save(bad)
		if res.res.Code != http.StatusUnprocessableEntity || !res.has("err-timezone") {
			t.Errorf("%q: %d", bad, res.res.Code)
		}
	}
	if v, err := a.st.Setting(context.Background(), service.SettingTimezone); err == nil && v != "" {
		t.Errorf("invalid zone stored: %q", v)
	}
	if res := save("Asia/Tokyo"); res.res.Code != http.StatusSeeOther {
		t.Fatalf("save: %d %s", res.res.Code, res.res.Body)
	}
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	want := staffTime(r.CreatedAt, tokyo)
	if !strings.HasSuffix(want, " JST") {
		t.Fatalf("want %q", want)
	}
	if !strings.Contains(row(), want) {
		t.Errorf("queue row %q lacks %q", row(), want)
	}
	d := admin.get("/admin/returns/" + rma)
	if got := text(d.one("created")); got != want {
		t.Errorf("detail shows the request time %q, want %q", got, want)
	}
	if got := text(d.one("time-zone")); !strings.Contains(got, "Asia/Tokyo") {
		t.Errorf("detail names the zone as %q", got)
	}
	events := d.all("event")
	if len(events) == 0 {
		t.Fatal("no timeline")
	}
	for _, e := range events {
		if !strings.Contains(text(e), " JST") || strings.Contains(text(e), " UTC") {
			t.Errorf("event %q not in Tokyo time", text(e))
		}
	}
	if v := attr(admin.get("/admin/settings").one("in-timezone"), "value"); v != "Asia/Tokyo" {
		t.Errorf("timezone field after save %q", v)
	}
	// The export's times carry the zone's offset; its date filter takes
	// Tokyo days.
	_, recs := exportCSV(t, admin, "q="+url.QueryEscape(rma))
	if len(recs) != 1 || recs[0]["created_at"] != r.CreatedAt.In(tokyo).Format(time.RFC3339) {
		t.Errorf("export %v", recs)
	}
	day := r.CreatedAt.In(tokyo).Format("2006-01-02")
	if _, recs := exportCSV(t, admin, "from="+day+"&to="+day+"&q="+url.QueryEscape(rma)); len(recs) != 1 {
		t.Errorf("the Tokyo day %s does not hold the return", day)
	}
	// Back to the default hub's zone with an empty field.
	if res := save(""); res.res.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d", res.res.Code)
	}
	if !strings.Contains(row(), staffTime(r.CreatedAt, berlin)) {
		t.Errorf("after the reset: %q", row())
	}
}
