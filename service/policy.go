package service

import (
	"context"
	"slices"
	"sort"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// Policy is the current policy document and its version (ErrNotFound when
// none was ever saved).
func (s *Service) Policy(ctx context.Context) (int64, returns.Policy, error) {
	return s.st.CurrentPolicy(ctx)
}

// ReplacePolicy validates a policy document (returns.ValidatePolicy: its
// field errors) and stores it as a new version, which it returns with the
// notes of where the law raises the merchant's values.
func (s *Service) ReplacePolicy(ctx context.Context, p returns.Policy, actor string) (int64, []returns.FloorNote, error) {
	if fe := returns.ValidatePolicy(p, s.legal); len(fe) > 0 {
		return 0, nil, fe
	}
	version, err := inTx(ctx, s, func(tx *store.Tx) (int64, error) { return tx.SavePolicy(p, actor) })
	if err != nil {
		return 0, nil, err
	}
	return version, returns.FloorNotes(p, s.legal), nil
}

// ValidatePolicy is a policy document's field errors, nil when it is valid.
func (s *Service) ValidatePolicy(p returns.Policy) returns.FieldErrors {
	return returns.ValidatePolicy(p, s.legal)
}

// FloorNotes says where the law raises a policy's values
// (returns.FloorNotes).
func (s *Service) FloorNotes(p returns.Policy) []returns.FloorNote {
	return returns.FloorNotes(p, s.legal)
}

// PolicyVersions lists the newest limit policy versions, newest first.
func (s *Service) PolicyVersions(ctx context.Context, limit int) ([]store.PolicyVersionInfo, error) {
	return s.st.PolicyVersions(ctx, limit)
}

// Facts are what a policy says for a scope (returns.FactsFor), for the
// shopper's pages.
func (s *Service) Facts(p returns.Policy, scope returns.PolicyScope) returns.PolicyFacts {
	return returns.FactsFor(p, s.legal, scope)
}

// PolicyPreview is what an order delivered to a country gets under a
// policy: the merchant's effective rules there, the law's floors that
// raise them and the facts the shopper reads.
type PolicyPreview struct {
	Country string
	Rules   returns.EffectiveRules
	Floors  []returns.FloorNote
	Facts   returns.PolicyFacts
}

// PreviewPolicy previews p for a country; false for anything that is not
// a country code.
func (s *Service) PreviewPolicy(p returns.Policy, country string) (PolicyPreview, bool) {
	if !returns.ValidCountry(country) {
		return PolicyPreview{}, false
	}
	pv := PolicyPreview{Country: country, Rules: p.Effective(s.legal, country),
		Facts: returns.FactsFor(p, s.legal, returns.PolicyScope{Country: country})}
	for _, n := range returns.FloorNotes(p, s.legal) {
		if slices.Contains(n.Countries, country) {
			pv.Floors = append(pv.Floors, n)
		}
	}
	return pv, true
}

// PolicyCountries are the countries a policy or the law's data name, by
// code: those the policy pages offer.
func (s *Service) PolicyCountries(p returns.Policy) []string {
	seen := map[string]bool{}
	add := func(c string) {
		if _, group := s.legal.Groups[c]; len(c) == 2 && !group {
			seen[c] = true
		}
	}
	for _, m := range s.legal.Markets {
		add(m.Code)
	}
	for _, g := range s.legal.Groups {
		for _, c := range g {
			add(c)
		}
	}
	for _, r := range p.Regions {
		for _, c := range r.Countries {
			add(c)
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}
