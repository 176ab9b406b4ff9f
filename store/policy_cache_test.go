package store

import (
	"context"
	"testing"
)

// TestPolicyCache: a version is decoded once and then shared by the read
// paths; CurrentPolicy and PolicyVersion hand out copies that a caller may
// change without changing what others read; a version saved through
// another Store (another instance, or the CLI) is current at once.
func TestPolicyCache(t *testing.T) {
	ctx := context.Background()
	s, path := setup(t)
	v1, p1, err := s.CurrentPolicy(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.SharedPolicyVersion(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.SharedPolicyVersion(ctx, v1)
	if err != nil {
		t.Fatal(err)
	}
	if a.Default.WindowDays != b.Default.WindowDays {
		t.Error("the shared version was decoded twice")
	}
	if p1.Default.WindowDays == a.Default.WindowDays {
		t.Error("CurrentPolicy handed out the shared document")
	}
	*p1.Default.WindowDays = 99
	old, err := s.PolicyVersion(ctx, v1)
	if err != nil || *old.Default.WindowDays != 30 || *a.Default.WindowDays != 30 {
		t.Fatalf("a caller's change reached the cache: %v, %v", mustJSON(t, old), err)
	}
	*old.Default.WindowDays = 98
	if _, again, _ := s.CurrentPolicy(ctx); *again.Default.WindowDays != 30 {
		t.Errorf("PolicyVersion handed out the shared document")
	}

	other := openAt(t, path)
	v2, err := other.SavePolicy(ctx, samplePolicy(45), "cli")
	if err != nil {
		t.Fatal(err)
	}
	v, p, err := s.CurrentPolicy(ctx)
	if err != nil || v != v2 || *p.Default.WindowDays != 45 {
		t.Errorf("after another instance saved version %d: CurrentPolicy = %d, %v, %v", v2, v, mustJSON(t, p.Default), err)
	}
	h, dv, dp, err := s.DecisionInputs(ctx, "O-1")
	if err != nil || dv != v2 || *dp.Default.WindowDays != 45 || len(h.UnitsHeld) != 0 {
		t.Errorf("DecisionInputs = %+v, %d, %v, %v", h, dv, mustJSON(t, dp.Default), err)
	}
}

// TestPolicyCacheBounded: however many versions are read, at most
// policyCacheSize stay decoded, and every one still reads right.
func TestPolicyCacheBounded(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var versions []int64
	for i := range policyCacheSize + 5 {
		v, err := s.SavePolicy(ctx, samplePolicy(30+i), "test")
		if err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	for round := range 2 {
		for i, v := range versions {
			p, err := s.SharedPolicyVersion(ctx, v)
			if err != nil || *p.Default.WindowDays != 30+i {
				t.Fatalf("round %d: version %d = %v, %v", round, v, mustJSON(t, p.Default), err)
			}
		}
	}
	if n := len(s.policies.byVersion); n > policyCacheSize {
		t.Errorf("%d versions cached, want at most %d", n, policyCacheSize)
	}
}
