package accounts

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
)

// Bootstrap is how the first admin comes to be (spec §1.5).
type Bootstrap struct {
	// User is KANADE_BOOTSTRAP_ADMIN_USER ("admin" when empty).
	User string
	// Password is HKLM\SOFTWARE\kanade\backend\BootstrapAdminPassword or
	// KANADE_BOOTSTRAP_ADMIN_PASSWORD.
	Password string
	// LinkBase is where a setup link points ("http://127.0.0.1:8080").
	LinkBase string
}

// BootstrapResult says what Seed did.
type BootstrapResult struct {
	// Seeded is true when the users table was empty and an admin was added.
	Seeded bool
	User   string
	// Link is set when the first admin still needs a password: a fresh
	// one-time setup link (any older one stops working).
	Link *Link
}

// Seed runs at every start. With no account at all it adds the first admin:
// with the configured password (must_change_pw=1, as kanade) or, when none
// is configured, without a usable password and with a setup link, so there
// is never a default password. While that admin has not used a link yet,
// every start issues a new one (the log may be all an operator has).
func (s *Service) Seed(ctx context.Context, b Bootstrap) (BootstrapResult, error) {
	user := strings.TrimSpace(b.User)
	if user == "" {
		user = DefaultBootstrapUser
	}
	var n int
	if err := s.w.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return BootstrapResult{}, internal("database error", err)
	}
	if n == 0 {
		hash, must := unusableHash, 0
		if b.Password != "" {
			hash, must = HashPassword(b.Password), 1
		}
		now := s.stamp()
		if _, err := s.w.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, must_change_pw, created_at, updated_at) VALUES (?, ?, 'admin', ?, ?, ?)
			ON CONFLICT(username) DO NOTHING`, user, hash, must, now, now); err != nil {
			return BootstrapResult{}, internal("database error", err)
		}
		s.log.Info("bootstrap admin created", "user", user, "with_password", b.Password != "")
		if b.Password != "" {
			return BootstrapResult{Seeded: true, User: user}, nil
		}
		link, err := s.issueLink(ctx, s.w, user, PurposeSetup, b.LinkBase)
		if err != nil {
			return BootstrapResult{}, err
		}
		return BootstrapResult{Seeded: true, User: user, Link: &link}, nil
	}
	pending, err := s.pendingAdmin(ctx)
	if err != nil || pending == "" {
		return BootstrapResult{}, err
	}
	link, err := s.issueLink(ctx, s.w, pending, PurposeSetup, b.LinkBase)
	if err != nil {
		return BootstrapResult{}, err
	}
	return BootstrapResult{User: pending, Link: &link}, nil
}

// pendingAdmin is the enabled admin still waiting for a first password,
// when no admin can sign in yet; "" otherwise.
func (s *Service) pendingAdmin(ctx context.Context) (string, error) {
	var usable int
	if err := s.w.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND password_hash != ?", unusableHash).Scan(&usable); err != nil {
		return "", internal("database error", err)
	}
	if usable > 0 {
		return "", nil
	}
	var name string
	err := s.w.QueryRowContext(ctx, "SELECT username FROM users WHERE role = 'admin' AND disabled = 0 AND password_hash = ? ORDER BY created_at, username LIMIT 1", unusableHash).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", internal("database error", err)
	}
	return name, nil
}

// SetupLink is `kanade-console account setup-link [USER]`: a fresh setup
// link for USER, or without one for the first admin still waiting for a
// password (seeding that admin when there is no account at all).
func (s *Service) SetupLink(ctx context.Context, username, base string) (Link, error) {
	if username == "" {
		res, err := s.Seed(ctx, Bootstrap{LinkBase: base})
		if err != nil {
			return Link{}, err
		}
		if res.Link == nil {
			return Link{}, conflict("no admin is waiting for a first password; use `account reset-link USER` for an account that has one")
		}
		return *res.Link, nil
	}
	if _, err := s.Get(ctx, username); err != nil {
		return Link{}, err
	}
	return s.issueLink(ctx, s.w, username, PurposeSetup, base)
}

// DecodeUpdate reads a PATCH /api/accounts/{username} body, telling an
// absent allowed_features or permission_group from null (kanade's double
// option).
func DecodeUpdate(body []byte) (UpdateRequest, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return UpdateRequest{}, invalid("invalid body: " + err.Error())
	}
	if raw == nil {
		return UpdateRequest{}, invalid("invalid body: want a JSON object")
	}
	var req UpdateRequest
	field := func(key string, dst any) error {
		v, ok := raw[key]
		if !ok || string(v) == "null" {
			return nil
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return invalid("invalid body: " + key + ": " + err.Error())
		}
		return nil
	}
	if v, ok := raw["role"]; ok && string(v) != "null" {
		req.Role = new(Role)
	}
	if err := field("role", req.Role); err != nil {
		return req, err
	}
	for key, dst := range map[string]any{"password": &req.Password, "disabled": &req.Disabled, "email": &req.Email} {
		if err := field(key, dst); err != nil {
			return req, err
		}
	}
	if v, ok := raw["allowed_features"]; ok {
		req.AllowedFeatures.Set = true
		if string(v) == "null" {
			req.AllowedFeatures.Null = true
		} else if err := json.Unmarshal(v, &req.AllowedFeatures.Value); err != nil {
			return req, invalid("invalid body: allowed_features: " + err.Error())
		}
	}
	if v, ok := raw["permission_group"]; ok {
		req.PermissionGroup.Set = true
		if string(v) == "null" {
			req.PermissionGroup.Null = true
		} else if err := json.Unmarshal(v, &req.PermissionGroup.Value); err != nil {
			return req, invalid("invalid body: permission_group: " + err.Error())
		}
	}
	return req, nil
}

// UpdateBody is the schema of PATCH /api/accounts/{username} for the
// OpenAPI description (decoding goes through DecodeUpdate).
type UpdateBody struct {
	Role            *Role     `json:"role,omitempty"`
	Password        *string   `json:"password,omitempty"`
	Disabled        *bool     `json:"disabled,omitempty"`
	Email           *string   `json:"email,omitempty"`
	AllowedFeatures *[]string `json:"allowed_features,omitempty" doc:"absent: unchanged; null: unrestricted; a list: those pages"`
	PermissionGroup *string   `json:"permission_group,omitempty" doc:"absent: unchanged; null or \"\": no group"`
}
