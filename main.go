// Command returns-portal is the self-hosted returns portal: one binary that
// serves the shopper's portal, the staff area and the JSON API, and carries
// the administrative commands (migrate, seed, API keys, policy, import).
//
//	returns-portal serve [--addr A] [--db D] [--base-url U] [--secret S] [--demo]
//	returns-portal migrate | seed demo | apikey create --name N
//	returns-portal policy export | policy import FILE | import orders FILE
//	returns-portal analytics rebuild | analytics check
//
// Every flag may also be given as RETURNS_<NAME> in the environment
// (e.g. RETURNS_DB, RETURNS_LOOKUP_LIMIT_IP); a flag on the command line wins.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/returns-portal/returns/returns"
)

const usage = `usage: returns-portal <command> [flags]

commands:
  serve                  run the web server (--demo seeds an empty database)
  migrate                create or update the database schema
  seed demo              load the demo policy and orders
  apikey create --name N create an API key (printed once, on the last line)
  policy export          print the current policy document as JSON
  policy import FILE     store FILE (JSON, "-" for stdin) as a new policy version
  import orders FILE     upsert orders from JSON lines ("-" for stdin)
  staff create --email E --role admin|agent|viewer --password-stdin
                         add a staff member (password: first line of stdin)
  staff disable --email E
                         disable a staff member and end their sessions
  analytics rebuild      recount the report tables from the returns and orders
  analytics check        compare the report tables with a recount (changes nothing)
  copy --from FILE --to postgres://...
                         copy a SQLite database into an empty PostgreSQL one (--force: replace)
  backup --to FILE       write an online backup of the SQLite database
  secret rotate          sign links with a new key; the old one stays accepted
  secret drop-previous   stop accepting the key before the last rotation

Every command accepts --db (default data/returns.db, env RETURNS_DB): a
SQLite file, or a postgres:// URL.
`

func main() {
	limitMallocArenas()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		os.Exit(1)
	}
}

// run dispatches a command line; main and the tests call it.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("no command given")
	}
	cmd, rest := args[0], args[1:]
	// The law's data ships with the binary; it is loaded here, once, and
	// handed to everything that decides by it.
	legal := returns.LoadLegal()
	switch cmd {
	case "serve":
		return cmdServe(ctx, legal, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, legal, rest, stdout, stderr)
	case "seed":
		return cmdSeed(ctx, legal, rest, stdout, stderr)
	case "apikey":
		return cmdAPIKey(ctx, legal, rest, stdout, stderr)
	case "policy":
		return cmdPolicy(ctx, legal, rest, stdin, stdout, stderr)
	case "import":
		return cmdImport(ctx, legal, rest, stdin, stdout, stderr)
	case "staff":
		return cmdStaff(ctx, legal, rest, stdin, stdout, stderr)
	case "analytics":
		return cmdAnalytics(ctx, legal, rest, stdout, stderr) // cmd_analytics.go
	case "copy":
		return cmdCopy(ctx, legal, rest, stdout, stderr) // cmd_move.go
	case "backup":
		return cmdBackup(ctx, legal, rest, stdout, stderr)
	case "secret":
		return cmdSecret(ctx, legal, rest, stdout, stderr) // cmd_secret.go
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// newFlags makes a flag set whose flags also read RETURNS_<NAME> from the
// environment; call parse after defining the flags.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse applies environment values, then the command line (which wins).
func parse(fs *flag.FlagSet, args []string) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		env := "RETURNS_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok && err == nil {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", env, e)
			}
		}
	})
	if err != nil {
		return err
	}
	// The flag package stops at the first argument that is not a flag, but
	// the usage puts flags after the operands ("policy import FILE --db D"):
	// collect the operands and keep parsing what follows them. After "--"
	// everything is an operand.
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		rest := fs.Args()
		consumed := args[:len(args)-len(rest)]
		if len(rest) == 0 || (len(consumed) > 0 && consumed[len(consumed)-1] == "--") {
			operands = append(operands, rest...)
			break
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
	return fs.Parse(append([]string{"--"}, operands...))
}

// dbFlag defines the --db flag every command has.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "data/returns.db", "database: a SQLite file path or file: URL, or a postgres:// URL")
}
