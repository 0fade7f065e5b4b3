package console

import (
	"context"
	"log/slog"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/execution"
)

// Accounts is the account service (sign-in, roles, page allow-lists).
func (c *Console) Accounts() *accounts.Service { return c.accounts }

// startAccounts opens the account service on the console database, carries
// the accounts over from a database a rebuild moved aside, and seeds the
// first admin. The session secret is the configured JWT secret,
// else one generated once and kept in console_meta (there is no built-in
// dev secret, unlike kanade).
func (c *Console) startAccounts(ctx context.Context) error {
	secret := []byte(c.cfg.JWTSecret)
	if rs := c.rebuild.get(); rs != nil && rs.MovedTo != "" {
		n, err := accounts.CarryOver(ctx, c.store.Writer(), rs.MovedTo)
		if err != nil {
			c.log.Error("accounts could not be carried over from the database moved aside; restore them from it by hand or re-create them", "from", rs.MovedTo, "err", err)
		} else {
			c.log.Info("accounts carried over from the database moved aside", "from", rs.MovedTo, "users", n)
		}
	}
	if len(secret) == 0 {
		var err error
		if secret, err = accounts.LoadOrCreateSecret(ctx, c.store.Writer()); err != nil {
			return err
		}
	}
	c.accounts = accounts.New(accounts.Options{Writer: c.store.Writer(), Reader: c.store.Reader(), Secret: secret, Log: c.log, Audit: c.auditAccount})
	res, err := c.accounts.Seed(ctx, accounts.Bootstrap{User: c.cfg.BootstrapAdminUser, Password: c.cfg.BootstrapAdminPassword, LinkBase: c.LinkBase()})
	if err != nil {
		return err
	}
	if res.Link != nil {
		// Sign-in matters only when the API wants tokens; open on loopback
		// or with auth disabled, the link is for later.
		level := slog.LevelInfo
		if !c.cfg.AuthDisable && (c.cfg.StaticToken != "" || c.cfg.JWTSecret != "") {
			level = slog.LevelWarn
		}
		c.log.Log(ctx, level, "no admin can sign in yet: open this one-time link to set the first admin's password (kanade-console account setup-link prints a new one)",
			"user", res.User, "link", res.Link.URL, "expires_at", res.Link.ExpiresAt)
	}
	return nil
}

// LinkBase is where password setup links point when a request does not
// say (the CLI, the start-up log): the HTTP listener's address.
func (c *Console) LinkBase() string {
	scheme := "http://"
	if c.cfg.TLSCert != "" {
		scheme = "https://"
	}
	return scheme + c.cfg.Addr
}

// auditAccount records an account action like every other mutation; before
// NATS is up it can only be logged.
func (c *Console) auditAccount(ctx context.Context, by accounts.Identity, action, target string, payload map[string]any) {
	caller := CallerOf(by)
	if by.Kind == "auth" {
		caller = execution.Caller{Actor: "auth"}
	}
	if !c.servicesReady.Load() || c.exec == nil {
		c.log.Warn("audit not recorded: NATS is not ready", "action", action, "target", target, "actor", caller.Actor)
		return
	}
	c.exec.Audit(ctx, caller, action, target, payload)
}

// CallerOf is the audit caller of an identity: actor = username for an
// account ("operator" otherwise), sub, role and source.
func CallerOf(id accounts.Identity) execution.Caller {
	return execution.Caller{Actor: id.Actor(), Sub: id.Sub, Source: id.Source, Role: string(id.Role)}
}
