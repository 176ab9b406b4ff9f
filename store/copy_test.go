package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestCopyAndBackup: a SQLite database with orders, a return with its
// photo (a BLOB), a policy version and a refund is copied into an empty
// database of the engine under test: the same rows and checksums on both
// sides, a second copy refused unless forced, new rows get new ids; and
// Backup writes a SQLite file that opens with the same data.
func TestCopyAndBackup(t *testing.T) {
	ctx := context.Background()
	src := openAt(t, filepath.Join(t.TempDir(), "src.db"))
	if _, err := src.UpsertOrder(ctx, sampleOrder("O-1")); err != nil {
		t.Fatal(err)
	}
	if _, err := src.SavePolicy(ctx, samplePolicy(30), "test"); err != nil {
		t.Fatal(err)
	}
	r, err := src.CreateReturn(ctx, "O-1", "shopper", build(item("L1", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := src.SetSetting(ctx, "brand_name", "Shop"); err != nil {
		t.Fatal(err)
	}
	dst, _ := openTest(t)
	var progress int
	copied, err := Copy(ctx, src, dst, CopyOptions{Batch: 2, Progress: func(string, int64, int64) { progress++ }})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, c := range copied {
		rows[c.Table] = c.Rows
	}
	if rows["orders"] == 0 || rows["returns"] != 1 || rows["return_items"] == 0 || rows["policy_versions"] == 0 || progress == 0 {
		t.Fatalf("copied %v (%d progress lines)", copied, progress)
	}
	got, err := dst.GetReturn(ctx, r.RMA)
	if err != nil || got.Status != r.Status || len(got.Items) != len(r.Items) {
		t.Fatalf("the copied return: %+v, %v", got, err)
	}
	if _, err := Copy(ctx, src, dst, CopyOptions{}); !errors.Is(err, ErrTargetNotEmpty) {
		t.Fatalf("a second copy: %v, want ErrTargetNotEmpty", err)
	}
	if _, err := Copy(ctx, src, dst, CopyOptions{Force: true}); err != nil {
		t.Fatalf("a forced copy: %v", err)
	}
	// The ids continue after the copied ones.
	if _, err := dst.UpsertOrder(ctx, sampleOrder("AFTER-COPY")); err != nil {
		t.Fatalf("an order after the copy: %v", err)
	}

	backup := filepath.Join(t.TempDir(), "backup.db")
	if err := src.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	if err := src.Backup(ctx, backup); err == nil {
		t.Error("a backup over an existing file was written")
	}
	b := openAt(t, backup)
	if got, err := b.GetReturn(ctx, r.RMA); err != nil || got.Status != r.Status {
		t.Fatalf("the backup's return: %+v, %v", got, err)
	}
}
