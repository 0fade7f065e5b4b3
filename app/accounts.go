package app

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/console"
)

// Accounts through the bindings (issue 15). Each binding is authorized
// like its HTTP route by do (session.go): with the HTTP listener off the
// window is the desktop admin, with it on the signed-in account, whose
// role and pages the route's rule checks. The service methods get that
// caller (identityOf), so the audit names it. The answers are
// backend/accounts' own types, as the HTTP routes send them.

// accountsError keeps an account refusal's status for the SPA.
func accountsError(err error) error {
	var ae *accounts.Error
	if errors.As(err, &ae) {
		return &JSONError{Status: ae.Status, Message: err.Error(), RetryAfter: ae.RetryAfter}
	}
	return err
}

func doAccounts[T any](a *App, op string, fn func(ctx context.Context, acc *accounts.Service, c *console.Console) (T, error)) (T, error) {
	return do(a, op, func(ctx context.Context, c *console.Console) (T, error) {
		acc := c.Accounts()
		if acc == nil {
			var zero T
			return zero, errUnavailable("accounts are not open yet")
		}
		out, err := fn(ctx, acc, c)
		return out, accountsError(err)
	})
}

// GetMe is GET /api/auth/me: the signed-in account, or the desktop admin
// while the HTTP listener is off.
func (a *App) GetMe(_ Empty) (accounts.Me, error) {
	return doAccounts(a, "GetMe", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (accounts.Me, error) {
		return acc.Me(ctx, identityOf(ctx))
	})
}

// ListAccounts is GET /api/accounts.
func (a *App) ListAccounts(_ Empty) ([]accounts.UserRow, error) {
	return doAccounts(a, "ListAccounts", func(ctx context.Context, acc *accounts.Service, _ *console.Console) ([]accounts.UserRow, error) {
		return acc.List(ctx)
	})
}

// CreateAccount is POST /api/accounts; a setup link points at the HTTP
// listener's address.
func (a *App) CreateAccount(req accounts.CreateRequest) (accounts.CreateResponse, error) {
	return doAccounts(a, "CreateAccount", func(ctx context.Context, acc *accounts.Service, c *console.Console) (accounts.CreateResponse, error) {
		return acc.Create(ctx, identityOf(ctx), req, c.LinkBase())
	})
}

// UpdateAccountRequest is PATCH /api/accounts/{username}: the username and
// any subset of the fields; an absent field stays, null clears
// allowed_features or permission_group.
type UpdateAccountRequest struct {
	Username string `json:"username"`
	accounts.UpdateBody
	raw []byte
}

// UnmarshalJSON keeps the object as sent, so absent and null differ.
func (r *UpdateAccountRequest) UnmarshalJSON(b []byte) error {
	var v struct {
		Username string `json:"username"`
		accounts.UpdateBody
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	r.Username, r.UpdateBody, r.raw = v.Username, v.UpdateBody, append([]byte(nil), b...)
	return nil
}

// UpdateAccount is PATCH /api/accounts/{username}.
func (a *App) UpdateAccount(req UpdateAccountRequest) error {
	_, err := doAccounts(a, "UpdateAccount", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		body := req.raw
		if len(body) == 0 { // called from Go, not through JSON
			var err error
			if body, err = json.Marshal(req.UpdateBody); err != nil {
				return none{}, err
			}
		}
		u, err := accounts.DecodeUpdate(body)
		if err != nil {
			return none{}, err
		}
		return none{}, acc.Update(ctx, identityOf(ctx), req.Username, u)
	})
	return err
}

// AccountRequest names one account.
type AccountRequest struct {
	Username string `json:"username"`
}

// DeleteAccount is DELETE /api/accounts/{username}.
func (a *App) DeleteAccount(req AccountRequest) error {
	_, err := doAccounts(a, "DeleteAccount", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		return none{}, acc.Delete(ctx, identityOf(ctx), req.Username)
	})
	return err
}

// CreateResetLink is POST /api/accounts/{username}/reset-link.
func (a *App) CreateResetLink(req AccountRequest) (accounts.Link, error) {
	return doAccounts(a, "CreateResetLink", func(ctx context.Context, acc *accounts.Service, c *console.Console) (accounts.Link, error) {
		return acc.ResetLink(ctx, identityOf(ctx), req.Username, c.LinkBase())
	})
}

// ListPermissionGroups is GET /api/permission-groups.
func (a *App) ListPermissionGroups(_ Empty) ([]accounts.Group, error) {
	return doAccounts(a, "ListPermissionGroups", func(ctx context.Context, acc *accounts.Service, _ *console.Console) ([]accounts.Group, error) {
		return acc.Groups(ctx)
	})
}

// CreatePermissionGroup is POST /api/permission-groups.
func (a *App) CreatePermissionGroup(req accounts.GroupRequest) error {
	_, err := doAccounts(a, "CreatePermissionGroup", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		return none{}, acc.CreateGroup(ctx, identityOf(ctx), req)
	})
	return err
}

// UpdatePermissionGroup is PATCH /api/permission-groups/{name}.
func (a *App) UpdatePermissionGroup(req accounts.GroupRequest) error {
	_, err := doAccounts(a, "UpdatePermissionGroup", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		return none{}, acc.UpdateGroup(ctx, identityOf(ctx), req.Name, req)
	})
	return err
}

// DeletePermissionGroup is DELETE /api/permission-groups/{name}.
func (a *App) DeletePermissionGroup(req accounts.GroupRequest) error {
	_, err := doAccounts(a, "DeletePermissionGroup", func(ctx context.Context, acc *accounts.Service, _ *console.Console) (none, error) {
		return none{}, acc.DeleteGroup(ctx, identityOf(ctx), req.Name)
	})
	return err
}
