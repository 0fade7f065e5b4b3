package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/kanade-console/kanade-console/backend/auth"
	"github.com/kanade-console/kanade-console/backend/store"
)

// Defaults of kanade (spec §1.2, §1.9).
const (
	DefaultSessionTTL = 24 * time.Hour
	LinkTTL           = 72 * time.Hour
	// DefaultBootstrapUser is the first admin's name without
	// KANADE_BOOTSTRAP_ADMIN_USER.
	DefaultBootstrapUser = "admin"
)

// AuditFunc records one account-management action on the audit stream.
// by is who acted (the zero Identity with actor "auth" for link redemptions).
type AuditFunc func(ctx context.Context, by Identity, action, target string, payload map[string]any)

// Options configure a Service.
type Options struct {
	// Writer and Reader are the console database's pools (store.Store).
	Writer, Reader *sql.DB
	// Secret signs and verifies the session JWTs (HS256).
	Secret []byte
	// SessionTTL is a token's lifetime; 0 means DefaultSessionTTL.
	SessionTTL time.Duration
	Now        func() time.Time
	Log        *slog.Logger
	// Audit records account changes; nil records nothing (the offline CLI).
	Audit AuditFunc
}

// Service is the account store and its rules. Safe for concurrent use.
type Service struct {
	w, r     *sql.DB
	secret   string
	ttl      time.Duration
	now      func() time.Time
	log      *slog.Logger
	audit    AuditFunc
	throttle *Throttle
	// missHash is verified against when the account does not exist
	// (dummyHash; the fuzz target uses a cheap one).
	missHash string

	// argonSlots bounds the argon2id computations running at once: each
	// takes 19 MiB and a core for tens of ms, and login and the password
	// link are public, so a flood must queue rather than exhaust memory.
	argonSlots chan struct{}

	// resolveStmt is Resolve's query, prepared once: it runs on every
	// authenticated request (bench-auth).
	resolveOnce sync.Once
	resolveStmt *sql.Stmt
	resolveErr  error
}

// New builds a Service over the migrated console database.
func New(o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.SessionTTL <= 0 {
		o.SessionTTL = DefaultSessionTTL
	}
	if o.Reader == nil {
		o.Reader = o.Writer
	}
	return &Service{w: o.Writer, r: o.Reader, secret: string(o.Secret), ttl: o.SessionTTL, now: o.Now, log: o.Log.With("component", "accounts"), audit: o.Audit, throttle: NewThrottle(o.Now), missHash: dummyHash,
		argonSlots: make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))}
}

// errBusy is a request that gave up waiting for an argon2id slot.
var errBusy = &Error{Status: http.StatusServiceUnavailable, Msg: "too many sign-ins at once; try again", RetryAfter: 1}

// argon runs fn (a password hash or verification) in one of the bounded
// slots, waiting for one as long as ctx allows.
func (s *Service) argon(ctx context.Context, fn func()) error {
	select {
	case s.argonSlots <- struct{}{}:
	case <-ctx.Done():
		return errBusy
	}
	defer func() { <-s.argonSlots }()
	fn()
	return nil
}

func (s *Service) verify(ctx context.Context, hash, password string) (ok bool, err error) {
	err = s.argon(ctx, func() { ok = VerifyPassword(hash, password) })
	return ok, err
}

func (s *Service) hash(ctx context.Context, password string) (h string, err error) {
	err = s.argon(ctx, func() { h = HashPassword(password) })
	return h, err
}

// SecretMetaKey is the console_meta row holding the generated session
// secret of a console started without a JWT secret.
const SecretMetaKey = "session_jwt_secret"

// LoadOrCreateSecret returns the session secret kept in console_meta,
// creating 32 random bytes the first time. It signs sign-in tokens when no
// JWT secret is configured; unlike kanade there is no built-in dev secret.
func LoadOrCreateSecret(ctx context.Context, w *sql.DB) ([]byte, error) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	if _, err := w.ExecContext(ctx, "INSERT INTO console_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", SecretMetaKey, hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	var v string
	if err := w.QueryRowContext(ctx, "SELECT value FROM console_meta WHERE key = ?", SecretMetaKey).Scan(&v); err != nil {
		return nil, err
	}
	return []byte(v), nil
}

// SessionSecret is the key sign-in tokens are signed with.
func (s *Service) SessionSecret() []byte { return []byte(s.secret) }

func (s *Service) stamp() string { return store.FormatTime(s.now()) }

// kanadeTime shows a stored timestamp as kanade's SQLite CURRENT_TIMESTAMP
// text ("YYYY-MM-DD HH:MM:SS", UTC).
func kanadeTime(v string) string {
	t, err := store.ParseTime(v)
	if err != nil {
		return v
	}
	return t.UTC().Format("2006-01-02 15:04:05")
}

func (s *Service) record(ctx context.Context, by Identity, action, target string, payload map[string]any) {
	if s.audit != nil {
		s.audit(ctx, by, action, target, payload)
	}
}

// ---- sign-in -------------------------------------------------------------

// LoginRequest is POST /api/auth/login's body.
type LoginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
	TOTPCode string `json:"totp_code,omitempty"`
}

// LoginResponse is one of kanade's two answers: a token, or
// {"mfa_required": true} when the password was right and a TOTP code is due.
type LoginResponse struct {
	Token        string `json:"token,omitempty"`
	Role         Role   `json:"role,omitempty"`
	MustChangePW *bool  `json:"must_change_pw,omitempty"`
	Exp          int64  `json:"exp,omitempty"`
	MFARequired  bool   `json:"mfa_required,omitempty"`
}

type userRow struct {
	username, hash, role string
	disabled, mustChange bool
	email, features      *string
	group, groupFeatures *string
	totp                 *string
	createdAt, updatedAt string
}

const userColumns = `u.username, u.password_hash, u.role, u.disabled, u.must_change_pw, u.email, u.allowed_features, u.permission_group, g.features, u.totp_secret, u.created_at, u.updated_at
	FROM users u LEFT JOIN permission_groups g ON g.name = u.permission_group`

func scanUser(sc interface{ Scan(...any) error }) (userRow, error) {
	var u userRow
	err := sc.Scan(&u.username, &u.hash, &u.role, &u.disabled, &u.mustChange, &u.email, &u.features, &u.group, &u.groupFeatures, &u.totp, &u.createdAt, &u.updatedAt)
	return u, err
}

func (s *Service) user(ctx context.Context, db *sql.DB, username string) (userRow, error) {
	return scanUser(db.QueryRowContext(ctx, "SELECT "+userColumns+" WHERE u.username = ?", username))
}

// Login checks a name, a password and, when the account has MFA, a TOTP
// code; ip keys the per-IP throttle (ClientIP).
func (s *Service) Login(ctx context.Context, req LoginRequest, ip string) (LoginResponse, error) {
	if wait := s.throttle.Check(req.Username, ip); wait > 0 {
		return LoginResponse{}, &Error{Status: http.StatusTooManyRequests, Msg: "too many login attempts; try again later", RetryAfter: wait}
	}
	u, err := s.user(ctx, s.r, req.Username)
	if errors.Is(err, sql.ErrNoRows) {
		if _, err := s.verify(ctx, s.missHash, req.Password); err != nil { // same cost as a real miss
			return LoginResponse{}, err
		}
		s.throttle.Fail(req.Username, ip)
		return LoginResponse{}, ErrInvalidCredentials
	}
	if err != nil {
		return LoginResponse{}, internal("auth backend unavailable", err)
	}
	ok, err := s.verify(ctx, u.hash, req.Password)
	if err != nil {
		return LoginResponse{}, err
	}
	if !ok || u.disabled {
		s.throttle.Fail(req.Username, ip)
		return LoginResponse{}, ErrInvalidCredentials
	}
	if u.totp != nil {
		if strings.TrimSpace(req.TOTPCode) == "" {
			return LoginResponse{MFARequired: true}, nil // not a failure
		}
		if !validTOTP(*u.totp, req.TOTPCode, s.now()) {
			s.throttle.Fail(req.Username, ip)
			return LoginResponse{}, ErrInvalidCredentials
		}
	}
	role := Role(u.role)
	if !role.Valid() {
		return LoginResponse{}, internal("corrupt role", nil)
	}
	s.throttle.Succeed(req.Username)
	exp := s.now().Add(s.ttl).Unix()
	token, err := s.Mint(u.username, role, exp)
	if err != nil {
		return LoginResponse{}, internal("token mint failed", err)
	}
	must := u.mustChange
	return LoginResponse{Token: token, Role: role, MustChangePW: &must, Exp: exp}, nil
}

// Mint signs a kanade session token: sub, roles, aud "kanade", exp.
func (s *Service) Mint(username string, role Role, exp int64) (string, error) {
	return auth.Mint(s.secret, map[string]any{"sub": username, "exp": exp, "aud": auth.Audience, "roles": []string{string(role)}})
}

// Resolve turns a verified token subject into an Identity from the
// database row, which is authoritative: no row, a disabled account and a
// database error are all 401 (kanade's messages).
func (s *Service) Resolve(ctx context.Context, sub string) (Identity, error) {
	var role string
	var disabled bool
	var own, group, groupFeatures *string
	s.resolveOnce.Do(func() {
		s.resolveStmt, s.resolveErr = s.r.Prepare(`SELECT u.role, u.disabled, u.allowed_features, u.permission_group, g.features
			FROM users u LEFT JOIN permission_groups g ON g.name = u.permission_group WHERE u.username = ?`)
	})
	if s.resolveErr != nil {
		return Identity{}, &Error{Status: http.StatusUnauthorized, Msg: "auth backend unavailable", Err: s.resolveErr}
	}
	err := s.resolveStmt.QueryRowContext(ctx, sub).Scan(&role, &disabled, &own, &group, &groupFeatures)
	if errors.Is(err, sql.ErrNoRows) {
		return Identity{}, unauthorized("unknown account")
	}
	if err != nil {
		return Identity{}, &Error{Status: http.StatusUnauthorized, Msg: "auth backend unavailable", Err: err}
	}
	if disabled {
		return Identity{}, unauthorized("account disabled")
	}
	r := Role(role)
	if !r.Valid() {
		return Identity{}, unauthorized("auth backend unavailable")
	}
	return Identity{Kind: KindAccount, Sub: sub, Username: sub, Role: r, Features: effectiveFeatures(group, groupFeatures, own)}, nil
}

// Me is GET /api/auth/me.
type Me struct {
	Username        string   `json:"username"`
	Role            Role     `json:"role"`
	MustChangePW    bool     `json:"must_change_pw"`
	AllowedFeatures []string `json:"allowed_features"`
	MFAEnabled      bool     `json:"mfa_enabled"`
	// Kind says what signed in: account, static-token, auth-disabled,
	// open (loopback without auth) or desktop. Not in kanade.
	Kind string `json:"kind,omitempty"`
}

// Me describes the caller.
func (s *Service) Me(ctx context.Context, id Identity) (Me, error) {
	if id.Kind != KindAccount {
		name := id.Sub
		if name == "" {
			name = "local"
		}
		return Me{Username: name, Role: id.Role, Kind: id.Kind}, nil
	}
	u, err := s.user(ctx, s.r, id.Username)
	if err != nil {
		return Me{}, internal("database error", err)
	}
	return Me{Username: u.username, Role: Role(u.role), MustChangePW: u.mustChange, AllowedFeatures: effectiveFeatures(u.group, u.groupFeatures, u.features), MFAEnabled: u.totp != nil, Kind: KindAccount}, nil
}

// ChangePasswordRequest is POST /api/auth/change-password's body.
type ChangePasswordRequest struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// ChangePassword replaces the caller's password and clears must_change_pw.
func (s *Service) ChangePassword(ctx context.Context, id Identity, req ChangePasswordRequest) error {
	if id.Kind != KindAccount {
		return unauthorized("unknown account")
	}
	if err := checkPasswordLen(req.NewPassword, "new "); err != nil {
		return err
	}
	u, err := s.user(ctx, s.r, id.Username)
	if errors.Is(err, sql.ErrNoRows) {
		return unauthorized("unknown account")
	}
	if err != nil {
		return internal("database error", err)
	}
	if ok, err := s.verify(ctx, u.hash, req.OldPassword); err != nil {
		return err
	} else if !ok {
		return unauthorized("old password incorrect")
	}
	hash, err := s.hash(ctx, req.NewPassword)
	if err != nil {
		return err
	}
	if _, err := s.w.ExecContext(ctx, "UPDATE users SET password_hash = ?, must_change_pw = 0, updated_at = ? WHERE username = ?", hash, s.stamp(), id.Username); err != nil {
		return internal("database error", err)
	}
	s.record(ctx, id, "account.change_password", id.Username, map[string]any{})
	return nil
}

// ---- TOTP ----------------------------------------------------------------

// MFAInit is POST /api/auth/mfa/init's answer; nothing is stored yet.
type MFAInit struct {
	Secret     string `json:"secret"`
	OTPAuthURL string `json:"otpauth_url"`
}

// MFAVerifyRequest is POST /api/auth/mfa/verify's body.
type MFAVerifyRequest struct {
	Secret      string `json:"secret"`
	Code        string `json:"code"`
	CurrentCode string `json:"current_code,omitempty"`
}

// MFACodeRequest is POST /api/auth/mfa/disable's body.
type MFACodeRequest struct {
	Code string `json:"code"`
}

func needAccount(id Identity) error {
	if id.Kind != KindAccount {
		return invalid("MFA belongs to an account; " + id.Kind + " has none")
	}
	return nil
}

// MFAInit makes a candidate secret for the caller.
func (s *Service) MFAInit(ctx context.Context, id Identity) (MFAInit, error) {
	if err := needAccount(id); err != nil {
		return MFAInit{}, err
	}
	secret, url, err := newTOTP(id.Username)
	if err != nil {
		return MFAInit{}, internal("mfa init: "+err.Error(), err)
	}
	return MFAInit{Secret: secret, OTPAuthURL: url}, nil
}

// MFAVerify stores secret after code proved the authenticator has it; an
// account that has MFA already must also prove the current secret.
func (s *Service) MFAVerify(ctx context.Context, id Identity, req MFAVerifyRequest) error {
	if err := needAccount(id); err != nil {
		return err
	}
	now := s.now()
	if !validTOTP(req.Secret, req.Code, now) {
		return invalid("invalid code")
	}
	u, err := s.user(ctx, s.r, id.Username)
	if err != nil {
		return invalid("mfa verify: " + err.Error())
	}
	rotated := u.totp != nil
	if rotated {
		if strings.TrimSpace(req.CurrentCode) == "" {
			return invalid("current code required to change MFA")
		}
		if !validTOTP(*u.totp, req.CurrentCode, now) {
			return invalid("invalid current code")
		}
	}
	if _, err := s.w.ExecContext(ctx, "UPDATE users SET totp_secret = ?, updated_at = ? WHERE username = ?", req.Secret, s.stamp(), id.Username); err != nil {
		return invalid("mfa verify: " + err.Error())
	}
	s.record(ctx, id, "account.mfa_enable", id.Username, map[string]any{"rotated": rotated})
	return nil
}

// MFADisable clears the caller's secret after a valid current code; it is
// a no-op for an account without MFA.
func (s *Service) MFADisable(ctx context.Context, id Identity, req MFACodeRequest) error {
	if err := needAccount(id); err != nil {
		return err
	}
	u, err := s.user(ctx, s.r, id.Username)
	if err != nil {
		return invalid("mfa disable: " + err.Error())
	}
	if u.totp == nil {
		return nil
	}
	if !validTOTP(*u.totp, req.Code, s.now()) {
		return invalid("invalid code")
	}
	if _, err := s.w.ExecContext(ctx, "UPDATE users SET totp_secret = NULL, updated_at = ? WHERE username = ?", s.stamp(), id.Username); err != nil {
		return invalid("mfa disable: " + err.Error())
	}
	s.record(ctx, id, "account.mfa_disable", id.Username, map[string]any{})
	return nil
}

// ---- password setup and reset links -------------------------------------

// Link purposes.
const (
	PurposeSetup = "setup"
	PurposeReset = "reset"
)

// Link is a freshly issued setup or reset link. Token is the raw secret
// (only its hash is stored); URL is Base + "/password-setup/" + Token.
type Link struct {
	Username  string    `json:"username"`
	Purpose   string    `json:"purpose"`
	URL       string    `json:"link"`
	ExpiresAt time.Time `json:"expires_at"`
	Token     string    `json:"-"`
}

func tokenHash(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// LinkURL joins a base URL ("http://host:port", may be empty) and a token.
func LinkURL(base, token string) string {
	return strings.TrimRight(base, "/") + "/password-setup/" + token
}

// issueLink replaces the account's link with a new one (one per account).
func (s *Service) issueLink(ctx context.Context, db execer, username, purpose, base string) (Link, error) {
	raw := uuid.NewString()
	exp := s.now().Add(LinkTTL).UTC()
	_, err := db.ExecContext(ctx, `INSERT INTO password_setup_tokens (token_hash, username, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(username) DO UPDATE SET token_hash = excluded.token_hash, purpose = excluded.purpose, created_at = excluded.created_at, expires_at = excluded.expires_at`,
		tokenHash(raw), username, purpose, s.stamp(), store.FormatTime(exp))
	if err != nil {
		return Link{}, internal("database error", err)
	}
	return Link{Username: username, Purpose: purpose, URL: LinkURL(base, raw), ExpiresAt: exp, Token: raw}, nil
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// LinkInfo is GET /api/auth/password-setup/{token}.
type LinkInfo struct {
	Username string `json:"username"`
	Purpose  string `json:"purpose"`
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Service) lookupLink(ctx context.Context, db querier, raw string) (LinkInfo, error) {
	var li LinkInfo
	var exp string
	err := db.QueryRowContext(ctx, "SELECT username, purpose, expires_at FROM password_setup_tokens WHERE token_hash = ?", tokenHash(raw)).Scan(&li.Username, &li.Purpose, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return li, notFound("invalid link")
	}
	if err != nil {
		return li, internal("database error", err)
	}
	t, err := store.ParseTime(exp)
	if err != nil || !s.now().Before(t) {
		return li, newError(http.StatusGone, "link expired")
	}
	return li, nil
}

// LinkInfo tells who a link is for, without using it.
func (s *Service) LinkInfo(ctx context.Context, raw string) (LinkInfo, error) {
	return s.lookupLink(ctx, s.r, raw)
}

// SetPasswordRequest is POST /api/auth/password-setup/{token}'s body.
type SetPasswordRequest struct {
	Password string `json:"password"`
}

// SetPasswordViaLink sets the password and uses the link up, in one
// transaction: a second use finds no row.
func (s *Service) SetPasswordViaLink(ctx context.Context, raw string, req SetPasswordRequest) error {
	if err := checkPasswordLen(req.Password, ""); err != nil {
		return err
	}
	hash, err := s.hash(ctx, req.Password) // before the transaction: argon2 takes a while
	if err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("database error", err)
	}
	defer tx.Rollback()
	li, err := s.lookupLink(ctx, tx, raw)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE users SET password_hash = ?, must_change_pw = 0, updated_at = ? WHERE username = ?", hash, s.stamp(), li.Username); err != nil {
		return internal("database error", err)
	}
	res, err := tx.ExecContext(ctx, "DELETE FROM password_setup_tokens WHERE token_hash = ?", tokenHash(raw))
	if err != nil {
		return internal("database error", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return newError(http.StatusGone, "link already used or expired")
	}
	if err := tx.Commit(); err != nil {
		return internal("database error", err)
	}
	s.record(ctx, Identity{Kind: "auth", Sub: ""}, "account.password_set_via_link", li.Username, map[string]any{"username": li.Username})
	return nil
}

// ---- admin: accounts -----------------------------------------------------

// UserRow is one account as GET /api/accounts lists it (kanade's shape:
// disabled and must_change_pw are 0/1).
type UserRow struct {
	Username        string   `json:"username"`
	Role            Role     `json:"role"`
	Disabled        int      `json:"disabled"`
	MustChangePW    int      `json:"must_change_pw"`
	Email           *string  `json:"email"`
	AllowedFeatures []string `json:"allowed_features"`
	PermissionGroup *string  `json:"permission_group"`
	CreatedAt       string   `json:"created_at"`
	UpdatedAt       string   `json:"updated_at"`
	// MFAEnabled and SetupPending are not in kanade's row.
	MFAEnabled   bool `json:"mfa_enabled"`
	SetupPending bool `json:"setup_pending"`
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (u userRow) public() UserRow {
	return UserRow{Username: u.username, Role: Role(u.role), Disabled: b2i(u.disabled), MustChangePW: b2i(u.mustChange), Email: u.email,
		AllowedFeatures: lenientFeatures(u.features), PermissionGroup: u.group, CreatedAt: kanadeTime(u.createdAt), UpdatedAt: kanadeTime(u.updatedAt),
		MFAEnabled: u.totp != nil, SetupPending: u.hash == unusableHash}
}

// List returns every account ordered by username.
func (s *Service) List(ctx context.Context) ([]UserRow, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+userColumns+" ORDER BY u.username")
	if err != nil {
		return nil, internal("database error", err)
	}
	defer rows.Close()
	out := []UserRow{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, internal("database error", err)
		}
		out = append(out, u.public())
	}
	if err := rows.Err(); err != nil {
		return nil, internal("database error", err)
	}
	return out, nil
}

// Get returns one account.
func (s *Service) Get(ctx context.Context, username string) (UserRow, error) {
	u, err := s.user(ctx, s.r, username)
	if errors.Is(err, sql.ErrNoRows) {
		return UserRow{}, notFound("no such account")
	}
	if err != nil {
		return UserRow{}, internal("database error", err)
	}
	return u.public(), nil
}

// usernamePattern keeps names usable as a NATS subject token (the audit
// subject is audit.{actor}.…) and in URLs. kanade accepts any non-empty
// name; an imported account with another name still signs in.
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_@-]{0,63}$`)

// CreateRequest is POST /api/accounts's body.
type CreateRequest struct {
	Username        string    `json:"username"`
	Role            Role      `json:"role"`
	Password        *string   `json:"password,omitempty"`
	Email           *string   `json:"email,omitempty"`
	AllowedFeatures *[]string `json:"allowed_features,omitempty"`
	PermissionGroup *string   `json:"permission_group,omitempty"`
}

// CreateResponse is POST /api/accounts's answer. The console sends no mail:
// an account created without a password gets a setup link in the answer
// instead (setup_link_sent stays false).
type CreateResponse struct {
	SetupLinkSent bool  `json:"setup_link_sent"`
	SetupLink     *Link `json:"setup_link,omitempty"`
}

func checkRole(r Role) error {
	if !r.Valid() {
		return invalid("role must be viewer/operator/admin")
	}
	return nil
}

func checkEmail(e string) error {
	if e != "" && (!strings.Contains(e, "@") || strings.ContainsAny(e, " \t\r\n") || len(e) > 254) {
		return invalid("invalid email address")
	}
	return nil
}

func (s *Service) checkGroup(ctx context.Context, name string) error {
	var one int
	err := s.r.QueryRowContext(ctx, "SELECT 1 FROM permission_groups WHERE name = ?", name).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return invalid("no such permission group: " + name)
	}
	if err != nil {
		return internal("database error", err)
	}
	return nil
}

// Create adds an account. linkBase is where setup links point
// ("http://host:port").
func (s *Service) Create(ctx context.Context, by Identity, req CreateRequest, linkBase string) (CreateResponse, error) {
	name := strings.TrimSpace(req.Username)
	if name == "" {
		return CreateResponse{}, invalid("username required")
	}
	if !usernamePattern.MatchString(name) {
		return CreateResponse{}, invalid("username may hold letters, digits, _, - and @ (1-64 characters, starting with a letter or digit)")
	}
	if err := checkRole(req.Role); err != nil {
		return CreateResponse{}, err
	}
	var email *string
	if req.Email != nil && strings.TrimSpace(*req.Email) != "" {
		e := strings.TrimSpace(*req.Email)
		if err := checkEmail(e); err != nil {
			return CreateResponse{}, err
		}
		email = &e
	}
	hash := unusableHash
	if req.Password != nil {
		if err := checkPasswordLen(*req.Password, ""); err != nil {
			return CreateResponse{}, err
		}
		hash = HashPassword(*req.Password)
	}
	var features []string
	if req.AllowedFeatures != nil {
		var err error
		if features, err = CanonicalFeatures(nonNil(*req.AllowedFeatures)); err != nil {
			return CreateResponse{}, err
		}
	}
	var group *string
	if req.PermissionGroup != nil && strings.TrimSpace(*req.PermissionGroup) != "" {
		g := strings.TrimSpace(*req.PermissionGroup)
		if err := s.checkGroup(ctx, g); err != nil {
			return CreateResponse{}, err
		}
		group = &g
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return CreateResponse{}, internal("database error", err)
	}
	defer tx.Rollback()
	now := s.stamp()
	_, err = tx.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, disabled, must_change_pw, email, allowed_features, permission_group, created_at, updated_at)
		VALUES (?, ?, ?, 0, 0, ?, ?, ?, ?, ?)`, name, hash, string(req.Role), email, encodeFeatures(features), group, now, now)
	if err != nil {
		if isUniqueViolation(err) {
			return CreateResponse{}, conflict("username already exists")
		}
		return CreateResponse{}, internal("database error", err)
	}
	var resp CreateResponse
	if req.Password == nil {
		link, err := s.issueLink(ctx, tx, name, PurposeSetup, linkBase)
		if err != nil {
			return CreateResponse{}, err
		}
		resp.SetupLink = &link
	}
	if err := tx.Commit(); err != nil {
		return CreateResponse{}, internal("database error", err)
	}
	s.record(ctx, by, "account.create", name, map[string]any{"role": req.Role, "has_email": email != nil, "setup_link_sent": false,
		"restricted": features != nil, "permission_group": group})
	return resp, nil
}

func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// Optional is a PATCH field with three states: absent (Set false), null
// (Set, Null) and a value.
type Optional[T any] struct {
	Set, Null bool
	Value     T
}

// UpdateRequest is PATCH /api/accounts/{username}'s body; decode it with
// DecodeUpdate, which tells an absent key from null.
type UpdateRequest struct {
	Role            *Role
	Password        *string
	Disabled        *bool
	Email           *string
	AllowedFeatures Optional[[]string]
	PermissionGroup Optional[string]
}

// lastAdminGuard is true when the row is the last enabled admin; every
// demote, disable and delete checks it inside its own statement.
const lastAdminGuard = `(role = 'admin' AND disabled = 0 AND (SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0) <= 1)`

// Update changes any subset of an account's fields; all are validated
// before anything is written.
func (s *Service) Update(ctx context.Context, by Identity, username string, req UpdateRequest) error {
	if req.Role != nil {
		if err := checkRole(*req.Role); err != nil {
			return err
		}
	}
	if req.Password != nil {
		if err := checkPasswordLen(*req.Password, ""); err != nil {
			return err
		}
	}
	var email *string
	if req.Email != nil {
		if e := strings.TrimSpace(*req.Email); e != "" {
			if err := checkEmail(e); err != nil {
				return err
			}
			email = &e
		}
	}
	var features []string
	if req.AllowedFeatures.Set && !req.AllowedFeatures.Null {
		var err error
		if features, err = CanonicalFeatures(nonNil(req.AllowedFeatures.Value)); err != nil {
			return err
		}
	}
	var group *string
	if req.PermissionGroup.Set && !req.PermissionGroup.Null {
		if g := strings.TrimSpace(req.PermissionGroup.Value); g != "" {
			if err := s.checkGroup(ctx, g); err != nil {
				return err
			}
			group = &g
		}
	}
	var hash string
	if req.Password != nil {
		hash = HashPassword(*req.Password)
	}

	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("database error", err)
	}
	defer tx.Rollback()
	var one int
	if err := tx.QueryRowContext(ctx, "SELECT 1 FROM users WHERE username = ?", username).Scan(&one); errors.Is(err, sql.ErrNoRows) {
		return notFound("no such account")
	} else if err != nil {
		return internal("database error", err)
	}
	now := s.stamp()
	exec := func(q string, args ...any) (int64, error) {
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, internal("database error", err)
		}
		n, _ := res.RowsAffected()
		return n, nil
	}
	if req.Role != nil {
		n, err := exec("UPDATE users SET role = ?1, updated_at = ?2 WHERE username = ?3 AND NOT (?1 != 'admin' AND "+lastAdminGuard+")", string(*req.Role), now, username)
		if err != nil {
			return err
		}
		if n == 0 {
			return conflict("cannot demote the last enabled admin")
		}
	}
	if req.Disabled != nil {
		n, err := exec("UPDATE users SET disabled = ?1, updated_at = ?2 WHERE username = ?3 AND NOT (?1 = 1 AND "+lastAdminGuard+")", b2i(*req.Disabled), now, username)
		if err != nil {
			return err
		}
		if n == 0 {
			return conflict("cannot disable the last enabled admin")
		}
	}
	if req.Password != nil {
		if _, err := exec("UPDATE users SET password_hash = ?, must_change_pw = 1, updated_at = ? WHERE username = ?", hash, now, username); err != nil {
			return err
		}
	}
	if req.Email != nil {
		if _, err := exec("UPDATE users SET email = ?, updated_at = ? WHERE username = ?", email, now, username); err != nil {
			return err
		}
	}
	if req.AllowedFeatures.Set {
		if _, err := exec("UPDATE users SET allowed_features = ?, updated_at = ? WHERE username = ?", encodeFeatures(features), now, username); err != nil {
			return err
		}
	}
	if req.PermissionGroup.Set {
		if _, err := exec("UPDATE users SET permission_group = ?, updated_at = ? WHERE username = ?", group, now, username); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return internal("database error", err)
	}
	payload := map[string]any{"role": req.Role, "disabled": req.Disabled, "password_reset": req.Password != nil, "email_changed": req.Email != nil,
		"allowed_features_changed": req.AllowedFeatures.Set, "permission_group_changed": req.PermissionGroup.Set}
	s.record(ctx, by, "account.update", username, payload)
	return nil
}

// Delete removes an account (and its link), never the last enabled admin.
func (s *Service) Delete(ctx context.Context, by Identity, username string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return internal("database error", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "DELETE FROM users WHERE username = ? AND NOT "+lastAdminGuard, username)
	if err != nil {
		return internal("database error", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var one int
		if err := tx.QueryRowContext(ctx, "SELECT 1 FROM users WHERE username = ?", username).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return notFound("no such account")
		}
		return conflict("cannot delete the last enabled admin")
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM password_setup_tokens WHERE username = ?", username); err != nil {
		return internal("database error", err)
	}
	if err := tx.Commit(); err != nil {
		return internal("database error", err)
	}
	s.record(ctx, by, "account.delete", username, map[string]any{})
	return nil
}

// ResetLink issues a reset link for an account. kanade mails it and answers
// 204; the console has no mail, so the link is the answer.
func (s *Service) ResetLink(ctx context.Context, by Identity, username, linkBase string) (Link, error) {
	if _, err := s.Get(ctx, username); err != nil {
		return Link{}, err
	}
	link, err := s.issueLink(ctx, s.w, username, PurposeReset, linkBase)
	if err != nil {
		return Link{}, err
	}
	s.record(ctx, by, "account.reset_link", username, map[string]any{"delivered": false})
	return link, nil
}
