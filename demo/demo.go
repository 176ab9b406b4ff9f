// Package demo is the demo data of `make run` and `seed demo`: a policy with
// hubs on four continents and about twenty orders, dated relative to now, that
// show every rule of the engine (statutory and merchant windows, exclusions,
// JPY and KWD amounts, partial returns, undelivered and cross-border orders).
package demo

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

//go:embed policy.json
var policyJSON []byte

// Email is the address every demo order was placed with.
const Email = "demo@example.com"

// Info is what a person needs to try the demo.
type Info struct {
	Orders      int
	OrderNumber string
	Email       string
	APIKey      string
	// AdminEmail and AdminPassword log in to the staff area (/admin).
	AdminEmail    string
	AdminPassword string
}

// AdminEmail is the demo's staff login (role admin).
const AdminEmail = "admin@example.com"

// Policy is the demo merchant's policy document.
func Policy() returns.Policy {
	var p returns.Policy
	if err := json.Unmarshal(policyJSON, &p); err != nil {
		panic("demo: bad policy.json: " + err.Error())
	}
	return p
}

// demoAdminSetting keeps the demo admin's random password so that
// `make run` can print it on every start (the staff table holds only its
// argon2id hash); like demoKeySetting it exists only in demo databases.
const demoAdminSetting = "demo_admin_password"

// demoKeySetting keeps the demo API key so that `make run` can print it on
// every start; it exists only in demo databases.
const demoKeySetting = "demo_api_key"

// SeedIfEmpty seeds a database that has no orders yet and returns what to
// print; on a database with orders it only reads back the demo details.
func SeedIfEmpty(ctx context.Context, st *store.Store, legal *returns.Legal, now time.Time) (*Info, error) {
	n, err := st.CountOrders(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		info, err := Seed(ctx, st, legal, now)
		return &info, err
	}
	key, err := st.Setting(ctx, demoKeySetting)
	if errors.Is(err, store.ErrNotFound) {
		key = "(none: this database was not seeded with demo data)"
	} else if err != nil {
		return nil, err
	}
	pw, err := st.Setting(ctx, demoAdminSetting)
	if errors.Is(err, store.ErrNotFound) {
		pw = "(none)"
	} else if err != nil {
		return nil, err
	}
	return &Info{Orders: n, OrderNumber: FeaturedOrder, Email: Email, APIKey: key,
		AdminEmail: AdminEmail, AdminPassword: pw}, nil
}

// Seed stores the demo policy, the demo orders (upserted, so seeding twice is
// harmless), one partial return and a demo API key; legal is the law's data
// they are checked against.
func Seed(ctx context.Context, st *store.Store, legal *returns.Legal, now time.Time) (Info, error) {
	p := Policy()
	if errs := returns.ValidatePolicy(p, legal); len(errs) > 0 {
		return Info{}, fmt.Errorf("demo policy: %w", errs)
	}
	if _, err := st.SavePolicy(ctx, p, "demo"); err != nil {
		return Info{}, err
	}
	for _, pr := range Products() {
		if fe := returns.ValidateProduct(pr); fe != nil {
			return Info{}, fmt.Errorf("demo product %s: %w", pr.ID, fe)
		}
		if _, err := st.PutProduct(ctx, pr); err != nil {
			return Info{}, fmt.Errorf("demo product %s: %w", pr.ID, err)
		}
	}
	orders := Orders(now)
	for _, o := range orders {
		if errs := returns.ValidateOrder(o, legal); len(errs) > 0 {
			return Info{}, fmt.Errorf("demo order %s: %w", o.Number, errs)
		}
		if _, err := st.UpsertOrder(ctx, o); err != nil {
			return Info{}, fmt.Errorf("demo order %s: %w", o.Number, err)
		}
	}
	if err := seedPartialReturn(ctx, st, legal, now); err != nil {
		return Info{}, err
	}
	key, err := st.SettingOrInit(ctx, demoKeySetting, func() (string, error) {
		return st.CreateAPIKey(ctx, "demo", nil)
	})
	if err != nil {
		return Info{}, err
	}
	pw, err := seedAdmin(ctx, st)
	if err != nil {
		return Info{}, err
	}
	return Info{Orders: len(orders), OrderNumber: FeaturedOrder, Email: Email, APIKey: key,
		AdminEmail: AdminEmail, AdminPassword: pw}, nil
}

// seedAdmin creates the demo admin with a random password (once) and
// returns the password.
func seedAdmin(ctx context.Context, st *store.Store) (string, error) {
	pw, err := st.SettingOrInit(ctx, demoAdminSetting, func() (string, error) {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return "", err
		}
		return base64.RawURLEncoding.EncodeToString(b), nil
	})
	if err != nil {
		return "", err
	}
	if _, err := st.CreateStaff(ctx, AdminEmail, pw, store.RoleAdmin); err != nil && !errors.Is(err, store.ErrConflict) {
		return "", err
	}
	return pw, nil
}

// seedPartialReturn returns one of three units of the partially returned
// order, unless that order already has a return.
func seedPartialReturn(ctx context.Context, st *store.Store, legal *returns.Legal, now time.Time) error {
	h, err := st.OrderHistory(ctx, PartialOrder)
	if err != nil {
		return err
	}
	if len(h.UnitsHeld) > 0 {
		return nil
	}
	req := returns.QuoteRequest{
		Items:        []returns.QuoteItem{{LineID: "L1", Quantity: 1, Reason: "wrong_size"}},
		RefundMethod: returns.MethodOriginalPayment,
	}
	at := now.Add(-24 * time.Hour)
	_, err = st.CreateReturn(ctx, PartialOrder, "demo",
		func(o returns.Order, h returns.History, version int64, p returns.Policy) (returns.Return, error) {
			q, err := returns.BuildQuote(o, p, legal, h, req, at)
			if err != nil {
				return returns.Return{}, err
			}
			return returns.Return{RMA: returns.NewRMA(), Status: returns.InitialStatus(q), Basis: q.Basis,
				RefundMethod: req.RefundMethod, PolicyVersion: version, Locale: o.Locale, Quote: q,
				Items: req.Items, CreatedAt: at, UpdatedAt: at}, nil
		})
	return err
}
