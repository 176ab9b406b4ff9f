package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/returns-portal/returns/internal/token"
	"github.com/returns-portal/returns/returns"
	"github.com/returns-portal/returns/store"
)

// The token-signing keys live in the database, so that every instance on
// it signs and checks alike. A rotation goes in two steps that no instance
// can fall between: the next key is first only accepted (every instance
// takes it within tokenKeysReload), then it signs and the old one is kept
// as the previous key, accepted until the next rotation or drop-previous.
const (
	settingTokenSecret         = "token_secret"
	settingTokenSecretNext     = "token_secret_next"
	settingTokenSecretPrevious = "token_secret_previous"
	// tokenKeysReload: how often serve reads the keys again.
	tokenKeysReload = 5 * time.Second
)

// tokenKeys reads the signing key (made on first start) and the keys that
// are also accepted (a rotation's next and previous ones).
func tokenKeys(ctx context.Context, st *store.Store) (sign []byte, accept [][]byte, err error) {
	v, err := st.SettingOrInit(ctx, settingTokenSecret, newTokenSecret)
	if err != nil {
		return nil, nil, err
	}
	for _, key := range []string{settingTokenSecretNext, settingTokenSecretPrevious} {
		k, err := st.Setting(ctx, key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, nil, err
		}
		if k != "" {
			accept = append(accept, []byte(k))
		}
	}
	return []byte(v), accept, nil
}

func newTokenSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// reloadTokenKeys keeps signer's keys as the database has them, until ctx
// ends: a rotation made by `secret rotate` on any machine reaches this
// instance without a restart.
func reloadTokenKeys(ctx context.Context, st *store.Store, signer token.Signer, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		sign, accept, err := tokenKeys(ctx, st)
		if err == nil {
			err = signer.Rotate(sign, accept...)
		}
		if err != nil && ctx.Err() == nil {
			log.Error("token keys: reload (the keys in force stay)", "err", err)
		}
	}
}

// cmdSecret: `secret rotate` and `secret drop-previous`.
func cmdSecret(ctx context.Context, legal *returns.Legal, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rotate" && args[0] != "drop-previous") {
		return errors.New("usage: secret rotate [--settle 10s] | secret drop-previous")
	}
	fs := newFlags("secret "+args[0], stderr)
	db := dbFlag(fs)
	settle := fs.Duration("settle", 2*tokenKeysReload, "how long the next key is only accepted before it signs (every running instance must read it meanwhile)")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	st, err := openMigrated(ctx, *db, legal)
	if err != nil {
		return err
	}
	defer st.Close()
	if args[0] == "drop-previous" {
		if err := st.SetSetting(ctx, settingTokenSecretPrevious, ""); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "previous token key dropped: links signed before the last rotation no longer open (within 5 s on running instances)")
		return nil
	}
	old, _, err := tokenKeys(ctx, st)
	if err != nil {
		return err
	}
	next, err := newTokenSecret()
	if err != nil {
		return err
	}
	if err := st.SetSetting(ctx, settingTokenSecretNext, next); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "next token key stored; waiting %s for every instance to accept it\n", *settle)
	select {
	case <-time.After(*settle):
	case <-ctx.Done():
		return fmt.Errorf("secret rotate: stopped before the new key signs (run it again): %w", ctx.Err())
	}
	// Each step leaves a set of keys under which every issued token opens.
	for _, kv := range [][2]string{{settingTokenSecretPrevious, string(old)}, {settingTokenSecret, next}, {settingTokenSecretNext, ""}} {
		if err := st.SetSetting(ctx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, "token key rotated: new links are signed with the new key; links signed before stay valid until the next rotation or `secret drop-previous`")
	return nil
}
