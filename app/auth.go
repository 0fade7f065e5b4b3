package app

import (
	"context"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/console"
)

// The sign-in and self-service ops of the account routes (auth.ts's
// authOps), for the window's sign-in page and profile while the HTTP
// listener is on (session.go). Like the HTTP handlers they adapt only; the
// rules (throttling, TOTP, password policy, audit) are backend/accounts'.

// loginIP keys the per-IP login throttle for the window: every sign-in
// from it comes from this one "address".
const loginIP = "desktop"

// AuthLogin is POST /api/auth/login: {"mfa_required": true} when a TOTP
// code is due, else the token an HTTP client would get. The window does not
// need the token: a successful sign-in becomes the window's session.
func (a *App) AuthLogin(req accounts.LoginRequest) (accounts.LoginResponse, error) {
	return doAccounts(a, "AuthLogin", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (accounts.LoginResponse, error) {
		resp, err := acc.Login(ctx, req, loginIP)
		if err != nil || resp.MFARequired {
			return resp, err
		}
		a.sess.set(req.Username, time.Unix(resp.Exp, 0))
		a.log.Info("window signed in", "username", req.Username, "role", resp.Role)
		return resp, nil
	})
}

// AuthLogout ends the window's session (not an HTTP route: a browser
// forgets its token). It always succeeds.
func (a *App) AuthLogout(_ Empty) error {
	if user, _ := a.sess.current(time.Now()); user != "" {
		a.log.Info("window signed out", "username", user)
	}
	a.sess.clear()
	return nil
}

// AuthChangePassword is POST /api/auth/change-password.
func (a *App) AuthChangePassword(req accounts.ChangePasswordRequest) error {
	_, err := doAccounts(a, "AuthChangePassword", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		return none{}, acc.ChangePassword(ctx, identityOf(ctx), req)
	})
	return err
}

// AuthMfaInit is POST /api/auth/mfa/init.
func (a *App) AuthMfaInit(_ Empty) (accounts.MFAInit, error) {
	return doAccounts(a, "AuthMfaInit", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (accounts.MFAInit, error) {
		return acc.MFAInit(ctx, identityOf(ctx))
	})
}

// AuthMfaVerify is POST /api/auth/mfa/verify.
func (a *App) AuthMfaVerify(req accounts.MFAVerifyRequest) error {
	_, err := doAccounts(a, "AuthMfaVerify", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		return none{}, acc.MFAVerify(ctx, identityOf(ctx), req)
	})
	return err
}

// AuthMfaDisable is POST /api/auth/mfa/disable.
func (a *App) AuthMfaDisable(req accounts.MFACodeRequest) error {
	_, err := doAccounts(a, "AuthMfaDisable", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		return none{}, acc.MFADisable(ctx, identityOf(ctx), req)
	})
	return err
}
