package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// cmdStaff manages staff accounts:
//
//	staff create --email E --role admin|agent|viewer --password-stdin
//	staff disable --email E      (ends the member's sessions at once)
func cmdStaff(ctx context.Context, legal *returns.Legal, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "disable") {
		return errors.New("usage: staff create --email E --role admin|agent|viewer --password-stdin | staff disable --email E")
	}
	sub := args[0]
	fs := newFlags("staff "+sub, stderr)
	db := dbFlag(fs)
	email := fs.String("email", "", "the member's e-mail address (the login)")
	role := fs.String("role", "", "admin, agent or viewer")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("--email is required")
	}
	if sub == "create" {
		if !store.ValidRole(*role) {
			return errors.New("--role must be admin, agent or viewer")
		}
		if !*pwStdin {
			return errors.New("--password-stdin is required: passwords never go on the command line")
		}
	}
	var password string
	if sub == "create" {
		line, err := bufio.NewReader(io.LimitReader(stdin, store.MaxPasswordBytes+2)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		password = strings.TrimRight(line, "\r\n")
		if password == "" {
			return errors.New("no password on standard input")
		}
		if len(password) > store.MaxPasswordBytes {
			return fmt.Errorf("password longer than %d bytes", store.MaxPasswordBytes)
		}
	}
	st, err := openStore(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "disable" {
		if err := st.DisableStaff(ctx, *email); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "staff %s disabled; their sessions have ended\n", store.NormalizeEmail(*email))
		return nil
	}
	m, err := st.CreateStaff(ctx, *email, password, *role)
	if errors.Is(err, store.ErrConflict) {
		return fmt.Errorf("a staff member with e-mail %s exists already", store.NormalizeEmail(*email))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "staff %s created with role %s\n", m.Email, m.Role)
	return nil
}
