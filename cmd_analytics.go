package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/returns-portal/returns/returns"
)

// cmdAnalytics keeps the report tables (store's analytics_*):
//
//	analytics rebuild    recount every table from the returns and orders
//	analytics check      compare the tables with a recount, change nothing
//
// The tables follow every change in its own transaction; rebuild is for a
// database written around the portal (a restore, a bulk SQL import), check
// says whether one is needed (exit status 1 when the tables differ).
func cmdAnalytics(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rebuild" && args[0] != "check") {
		return errors.New("usage: analytics rebuild | analytics check [--db D]")
	}
	sub := args[0]
	fs := newFlags("analytics "+sub, stderr)
	db := dbFlag(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	if sub == "rebuild" {
		if err := st.RebuildAnalytics(ctx); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "report tables recounted in %s\n", time.Since(start).Round(time.Millisecond))
		return nil
	}
	const shown = 20
	diffs, err := st.CheckAnalytics(ctx, shown)
	if err != nil {
		return err
	}
	if len(diffs) == 0 {
		fmt.Fprintf(stdout, "report tables equal a recount (%s)\n", time.Since(start).Round(time.Millisecond))
		return nil
	}
	for _, d := range diffs {
		fmt.Fprintln(stdout, d)
	}
	return fmt.Errorf("report tables differ from a recount (first %d differences above): run `analytics rebuild`", len(diffs))
}
