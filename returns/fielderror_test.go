package returns

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestFieldErrors(t *testing.T) {
	tests := []struct {
		name string
		fe   FieldErrors
		want string
	}{
		{"one", FieldErrors{{"email", "required"}}, "invalid fields: email: required"},
		{"two", FieldErrors{{"email", "required"}, {"lines[2].unit_price", "negative"}},
			"invalid fields: email: required; lines[2].unit_price: negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error = tt.fe
			if got := err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
			var fe FieldErrors
			if !errors.As(tt.fe.Err(), &fe) || len(fe) != len(tt.fe) {
				t.Errorf("errors.As failed: %v", fe)
			}
		})
	}
	if FieldErrors(nil).Err() != nil {
		t.Error("Err of nil FieldErrors is not nil")
	}
	b, err := json.Marshal(FieldErrors{{"lines[2].unit_price", "required"}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `[{"path":"lines[2].unit_price","code":"required"}]`; got != want {
		t.Errorf("json = %s, want %s", got, want)
	}
}

func TestFieldPath(t *testing.T) {
	tests := []struct {
		parts []any
		want  string
	}{
		{[]any{"email"}, "email"},
		{[]any{"lines", 2, "unit_price"}, "lines[2].unit_price"},
		{[]any{"regions", 0, "countries", 1}, "regions[0].countries[1]"},
		{[]any{"shipping_address", "country"}, "shipping_address.country"},
	}
	for _, tt := range tests {
		if got := fieldPath(tt.parts...); got != tt.want {
			t.Errorf("fieldPath(%v) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}

func TestFieldErrorsMerge(t *testing.T) {
	a := FieldErrors{{"placed_at", "invalid"}, {"lines[0].quantity", "required"}}
	b := FieldErrors{{"email", "required"}, {"placed_at", "required"}, {"lines[0].quantity", "required"}, {"email", "invalid"}}
	got := a.Merge(b)
	want := FieldErrors{{"placed_at", "invalid"}, {"lines[0].quantity", "required"}, {"email", "required"}, {"email", "invalid"}}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("[%d] got %v, want %v", i, got[i], want[i])
		}
	}
	if got := FieldErrors(nil).Merge(nil); got != nil {
		t.Errorf("nil merge = %v", got)
	}
}
