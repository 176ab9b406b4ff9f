package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/returns-portal/returns/demo"
	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/service"
	"github.com/returns-portal/returns/store"
)

func cmdMigrate(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("migrate", stderr)
	db := dbFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintln(stdout, "database is up to date:", *db)
	return nil
}

func cmdSeed(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "demo" {
		return errors.New("usage: seed demo [--db D]")
	}
	fs := newFlags("seed demo", stderr)
	db := dbFlag(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	info, err := demo.Seed(ctx, st, legal, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d orders; try order %s with e-mail %s\ndemo staff login: %s with password %s\ndemo API key:\n%s\n",
		info.Orders, info.OrderNumber, info.Email, info.AdminEmail, info.AdminPassword, info.APIKey)
	return nil
}

func cmdAPIKey(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: apikey create --name NAME [--scopes a,b] [--db D]")
	}
	fs := newFlags("apikey create", stderr)
	db := dbFlag(fs)
	name := fs.String("name", "", "a name for the key (who uses it)")
	scopes := fs.String("scopes", "", "comma-separated scopes, e.g. orders:write,returns:read (default: full access)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *name == "" {
		return errors.New("--name is required")
	}
	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	key, err := st.CreateAPIKey(ctx, *name, splitList(*scopes))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API key %q created; it is shown only once:\n%s\n", *name, key)
	return nil
}

func cmdPolicy(ctx context.Context, legal *returns.Legal, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		return errors.New("usage: policy export | policy import FILE [--db D]")
	}
	sub := args[0]
	fs := newFlags("policy "+sub, stderr)
	db := dbFlag(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	var doc []byte
	if sub == "import" {
		if fs.NArg() != 1 {
			return errors.New("usage: policy import FILE")
		}
		var err error
		if doc, err = readInput(fs.Arg(0), stdin); err != nil {
			return err
		}
	}
	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := cliService(st, legal)
	if err != nil {
		return err
	}
	if sub == "export" {
		_, p, err := svc.Policy(ctx)
		if err != nil {
			return fmt.Errorf("no policy stored yet: %w", err)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	}
	var p returns.Policy
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return fmt.Errorf("policy: %w", err)
	}
	version, notes, err := svc.ReplacePolicy(ctx, p, "cli")
	var fe returns.FieldErrors
	if errors.As(err, &fe) {
		return fmt.Errorf("policy is not valid: %w", fe)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "stored policy version %d\n", version)
	for _, n := range notes {
		fmt.Fprintf(stdout, "legal floor: %s for %v: %v raised to %v (%s)\n", n.Path, n.Countries, n.MerchantValue, n.LegalValue, n.Market)
	}
	return nil
}

// cmdImport upserts orders from JSON lines, one order per line in the schema
// of PUT /api/v1/orders/{number} plus a "number" field. It reports every bad
// line and imports the rest.
func cmdImport(ctx context.Context, legal *returns.Legal, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "orders" {
		return errors.New("usage: import orders FILE [--db D]")
	}
	fs := newFlags("import orders", stderr)
	db := dbFlag(fs)
	reports := fs.String("reports", "auto", "the report tables: live (every batch adds its orders), recount (once at the end: "+
		"faster for a history, the reports miss the orders until then), auto (recount into a database of fewer than 20,000 orders)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *reports != "auto" && *reports != "live" && *reports != "recount" {
		return fmt.Errorf("--reports %q: want auto, live or recount", *reports)
	}
	if fs.NArg() != 1 {
		return errors.New("usage: import orders FILE")
	}
	var r io.Reader = stdin
	if name := fs.Arg(0); name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	svc, err := cliService(st, legal)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	lineNo := 0
	lines := func(yield func(int, []byte) bool) {
		for sc.Scan() {
			lineNo++
			if text := bytes.TrimSpace(sc.Bytes()); len(text) > 0 && !yield(lineNo, text) {
				return
			}
		}
	}
	recount := *reports == "recount"
	if *reports == "auto" {
		if recount, err = svc.RecountPays(ctx); err != nil {
			return err
		}
	}
	bad := 0
	ok, err := svc.ImportOrders(ctx, lines, service.ImportOptions{Recount: recount, Rejected: func(line int, err error) {
		bad++
		fmt.Fprintf(stderr, "line %d: %v\n", line, err)
	}})
	if err != nil {
		return err
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("line %d: %w", lineNo+1, err)
	}
	fmt.Fprintf(stdout, "imported %d orders, %d rejected\n", ok, bad)
	if bad > 0 {
		return fmt.Errorf("%d orders rejected", bad)
	}
	return nil
}

// cliService is the service for the commands that carry out use cases
// (policy, import). They issue no shopper tokens: the signer gets a random
// key of this run.
func cliService(st *store.Store, legal *returns.Legal) (*service.Service, error) {
	key := make([]byte, token.MinKeyLength)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	signer, err := token.NewSigner(key)
	if err != nil {
		return nil, err
	}
	return service.New(service.Config{Store: st, Legal: legal, Tokens: signer})
}

func readInput(name string, stdin io.Reader) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(io.LimitReader(stdin, 1<<20))
	}
	return os.ReadFile(name)
}
