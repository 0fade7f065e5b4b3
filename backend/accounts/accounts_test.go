package accounts

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
)

// kanadeVector is a PHC string in kanade's exact layout (argon2 crate
// defaults: argon2id, v=19, m=19456, t=2, p=1, 16-byte salt, 32-byte hash,
// unpadded standard base64), made once by encodePHC with a fixed salt.
const (
	kanadeVector   = "$argon2id$v=19$m=19456,t=2,p=1$a2FuYWRlLXNhbHQtMDAwMQ$QdvP+VDNkLp767wZ3nGw+bbWpDXL8/4wrPrIu6kgnZw"
	kanadeVectorPW = "correct horse battery staple"
)

func TestKanadePHC(t *testing.T) {
	if !VerifyPassword(kanadeVector, kanadeVectorPW) {
		t.Fatal("the kanade-format vector does not verify")
	}
	if VerifyPassword(kanadeVector, kanadeVectorPW+"x") {
		t.Fatal("a wrong password verifies")
	}
	h, err := parsePHC(kanadeVector)
	if err != nil || h.memory != 19456 || h.time != 2 || h.lanes != 1 || h.version != 19 || len(h.salt) != 16 || len(h.key) != 32 || string(h.salt) != "kanade-salt-0001" {
		t.Fatalf("parse: %+v, %v", h, err)
	}
	// A fresh hash has the same layout: 22 salt and 43 hash characters.
	fresh := HashPassword("another password")
	parts := strings.Split(fresh, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v=19" || parts[3] != "m=19456,t=2,p=1" || len(parts[4]) != 22 || len(parts[5]) != 43 {
		t.Fatalf("fresh hash layout: %s", fresh)
	}
	if !VerifyPassword(fresh, "another password") {
		t.Fatal("fresh hash does not verify")
	}
	// Parameters in another order are still PHC.
	reordered := strings.Replace(kanadeVector, "m=19456,t=2,p=1", "p=1,t=2,m=19456", 1)
	if !VerifyPassword(reordered, kanadeVectorPW) {
		t.Fatal("reordered parameters do not verify")
	}
	for _, bad := range []string{
		"", "plain", unusableHash, "$argon2i$v=19$m=19456,t=2,p=1$a2FuYWRlLXNhbHQtMDAwMQ$QdvP+VDNkLp767wZ3nGw+bbWpDXL8/4wrPrIu6kgnZw",
		"$argon2id$v=16$m=19456,t=2,p=1$a2FuYWRlLXNhbHQtMDAwMQ$QdvP+VDNkLp767wZ3nGw+bbWpDXL8/4wrPrIu6kgnZw",
		"$argon2id$v=19$m=99999999,t=2,p=1$a2FuYWRlLXNhbHQtMDAwMQ$QdvP+VDNkLp767wZ3nGw+bbWpDXL8/4wrPrIu6kgnZw",
		"$argon2id$v=19$m=19456,t=2$a2FuYWRlLXNhbHQtMDAwMQ$QdvP+VDNkLp767wZ3nGw+bbWpDXL8/4wrPrIu6kgnZw",
		"$argon2id$v=19$m=19456,t=2,p=1,x=3$a2FuYWRlLXNhbHQtMDAwMQ$QdvP+VDNkLp767wZ3nGw+bbWpDXL8/4wrPrIu6kgnZw",
		"$argon2id$v=19$m=19456,t=2,p=1$a2FuYWRlLXNhbHQtMDAwMQ==$QdvP+VDNkLp767wZ3nGw+bbWpDXL8/4wrPrIu6kgnZw",
	} {
		if VerifyPassword(bad, kanadeVectorPW) {
			t.Errorf("%q verifies", bad)
		}
	}
}

// clock is a settable time for links, throttling and TOTP.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type recorded struct{ actor, action, target string }

func newService(t testing.TB) (*Service, *clock, *[]recorded) {
	t.Helper()
	st, err := store.Open(context.Background(), t.TempDir()+"/kanade.db", store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{t: time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)}
	var mu sync.Mutex
	var log []recorded
	svc := New(Options{Writer: st.Writer(), Reader: st.Reader(), Secret: []byte("test-secret"), Now: clk.now,
		Audit: func(_ context.Context, by Identity, action, target string, _ map[string]any) {
			mu.Lock()
			defer mu.Unlock()
			actor := by.Actor()
			if by.Kind == "auth" {
				actor = "auth"
			}
			log = append(log, recorded{actor, action, target})
		}})
	return svc, clk, &log
}

var adminID = Identity{Kind: KindAccount, Sub: "root", Username: "root", Role: Admin}

func mustCreate(t *testing.T, s *Service, name string, role Role, pw string) {
	t.Helper()
	if _, err := s.Create(context.Background(), adminID, CreateRequest{Username: name, Role: role, Password: &pw}, ""); err != nil {
		t.Fatal(err)
	}
}

func status(err error) int { return StatusOf(err) }

func TestLoginAndMFATwoStep(t *testing.T) {
	s, clk, audit := newService(t)
	ctx := context.Background()
	mustCreate(t, s, "alice", Operator, "alice-password")
	resp, err := s.Login(ctx, LoginRequest{Username: "alice", Password: "alice-password"}, "10.0.0.1")
	if err != nil || resp.Token == "" || resp.Role != Operator || resp.MustChangePW == nil || *resp.MustChangePW || resp.Exp != clk.now().Add(DefaultSessionTTL).Unix() {
		t.Fatalf("login: %+v, %v", resp, err)
	}
	for _, bad := range []LoginRequest{{Username: "alice", Password: "nope-nope"}, {Username: "nobody", Password: "alice-password"}} {
		if _, err := s.Login(ctx, bad, "10.0.0.1"); status(err) != http.StatusUnauthorized || err.Error() != "invalid credentials" {
			t.Fatalf("%+v: %v", bad, err)
		}
	}

	alice := Identity{Kind: KindAccount, Sub: "alice", Username: "alice", Role: Operator}
	init, err := s.MFAInit(ctx, alice)
	if err != nil || !strings.HasPrefix(init.OTPAuthURL, "otpauth://totp/kanade:alice?") || !strings.Contains(init.OTPAuthURL, "issuer=kanade") || len(init.Secret) != 32 {
		t.Fatalf("mfa init: %+v, %v", init, err)
	}
	if err := s.MFAVerify(ctx, alice, MFAVerifyRequest{Secret: init.Secret, Code: "000000"}); status(err) != 400 {
		t.Fatalf("wrong code: %v", err)
	}
	code, _ := TOTPCode(init.Secret, clk.now())
	if err := s.MFAVerify(ctx, alice, MFAVerifyRequest{Secret: init.Secret, Code: code}); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Me(ctx, alice); !m.MFAEnabled {
		t.Fatal("me: mfa not enabled")
	}
	// Step one: the right password answers mfa_required, not a token.
	resp, err = s.Login(ctx, LoginRequest{Username: "alice", Password: "alice-password"}, "10.0.0.1")
	if err != nil || !resp.MFARequired || resp.Token != "" {
		t.Fatalf("step one: %+v, %v", resp, err)
	}
	// A wrong code is a 401; a code of the previous step still works (±1).
	if _, err := s.Login(ctx, LoginRequest{Username: "alice", Password: "alice-password", TOTPCode: "123456"}, "10.0.0.1"); status(err) != 401 {
		t.Fatalf("wrong totp: %v", err)
	}
	prev, _ := TOTPCode(init.Secret, clk.now().Add(-30*time.Second))
	if resp, err = s.Login(ctx, LoginRequest{Username: "alice", Password: "alice-password", TOTPCode: prev}, "10.0.0.1"); err != nil || resp.Token == "" {
		t.Fatalf("step two: %+v, %v", resp, err)
	}
	old, _ := TOTPCode(init.Secret, clk.now().Add(-90*time.Second))
	if _, err := s.Login(ctx, LoginRequest{Username: "alice", Password: "alice-password", TOTPCode: old}, "10.0.0.1"); status(err) != 401 {
		t.Fatalf("a code three steps old: %v", err)
	}
	// Rotation needs the current code; disable needs a code.
	init2, _ := s.MFAInit(ctx, alice)
	code2, _ := TOTPCode(init2.Secret, clk.now())
	if err := s.MFAVerify(ctx, alice, MFAVerifyRequest{Secret: init2.Secret, Code: code2}); err == nil || err.Error() != "current code required to change MFA" {
		t.Fatalf("rotation without current code: %v", err)
	}
	if err := s.MFADisable(ctx, alice, MFACodeRequest{Code: "111111"}); err == nil || err.Error() != "invalid code" {
		t.Fatalf("disable with a wrong code: %v", err)
	}
	code, _ = TOTPCode(init.Secret, clk.now())
	if err := s.MFADisable(ctx, alice, MFACodeRequest{Code: code}); err != nil {
		t.Fatal(err)
	}
	if resp, err = s.Login(ctx, LoginRequest{Username: "alice", Password: "alice-password"}, "10.0.0.1"); err != nil || resp.Token == "" {
		t.Fatalf("after disable: %+v, %v", resp, err)
	}
	var actions []string
	for _, a := range *audit {
		if a.actor == "alice" {
			actions = append(actions, a.action)
		}
	}
	if strings.Join(actions, ",") != "account.mfa_enable,account.mfa_disable" {
		t.Fatalf("alice's audit: %v", actions)
	}
}

func TestThrottle(t *testing.T) {
	s, clk, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, "bob", Viewer, "bob-password")
	for i := range LockAfterFailures {
		if _, err := s.Login(ctx, LoginRequest{Username: "bob", Password: "wrong"}, "10.0.0.2"); status(err) != 401 {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// Locked: even the right password gets 429 with Retry-After.
	_, err := s.Login(ctx, LoginRequest{Username: "bob", Password: "bob-password"}, "10.0.0.3")
	var e *Error
	if !errors.As(err, &e) || e.Status != http.StatusTooManyRequests || e.RetryAfter != int(LockFor.Seconds())+1 {
		t.Fatalf("locked: %+v", err)
	}
	clk.add(LockFor - time.Second)
	if _, err := s.Login(ctx, LoginRequest{Username: "bob", Password: "bob-password"}, "10.0.0.3"); status(err) != 429 {
		t.Fatalf("still locked: %v", err)
	}
	clk.add(time.Second)
	if _, err := s.Login(ctx, LoginRequest{Username: "bob", Password: "bob-password"}, "10.0.0.3"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// Per IP: 30 failures in a minute, over any names.
	for i := range IPFailureLimit {
		if _, err := s.Login(ctx, LoginRequest{Username: "n" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Password: "x"}, "10.9.9.9"); status(err) != 401 {
			t.Fatalf("ip failure %d: %v", i+1, err)
		}
	}
	_, err = s.Login(ctx, LoginRequest{Username: "bob", Password: "bob-password"}, "10.9.9.9")
	if !errors.As(err, &e) || e.Status != 429 || e.RetryAfter != 61 {
		t.Fatalf("ip limit: %+v", err)
	}
	clk.add(IPWindow)
	if _, err := s.Login(ctx, LoginRequest{Username: "bob", Password: "bob-password"}, "10.9.9.9"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

func TestSetupLinks(t *testing.T) {
	s, clk, audit := newService(t)
	ctx := context.Background()
	// No account: the first admin gets a setup link, never a default password.
	res, err := s.Seed(ctx, Bootstrap{LinkBase: "http://127.0.0.1:8080"})
	if err != nil || !res.Seeded || res.User != "admin" || res.Link == nil || !strings.HasPrefix(res.Link.URL, "http://127.0.0.1:8080/password-setup/") {
		t.Fatalf("seed: %+v, %v", res, err)
	}
	if _, err := s.Login(ctx, LoginRequest{Username: "admin", Password: ""}, "x"); status(err) != 401 {
		t.Fatalf("pending admin signs in: %v", err)
	}
	// A restart issues a new link; the old one stops working.
	res2, err := s.Seed(ctx, Bootstrap{})
	if err != nil || res2.Seeded || res2.Link == nil {
		t.Fatalf("second seed: %+v, %v", res2, err)
	}
	if _, err := s.LinkInfo(ctx, res.Link.Token); status(err) != 404 {
		t.Fatalf("replaced link: %v", err)
	}
	tok := res2.Link.Token
	if li, err := s.LinkInfo(ctx, tok); err != nil || li.Username != "admin" || li.Purpose != "setup" {
		t.Fatalf("info: %+v, %v", li, err)
	}
	if err := s.SetPasswordViaLink(ctx, tok, SetPasswordRequest{Password: "short"}); status(err) != 400 {
		t.Fatalf("short: %v", err)
	}
	if err := s.SetPasswordViaLink(ctx, tok, SetPasswordRequest{Password: "first-admin-pw"}); err != nil {
		t.Fatal(err)
	}
	// Single use.
	if err := s.SetPasswordViaLink(ctx, tok, SetPasswordRequest{Password: "second-try-pw"}); status(err) != 404 {
		t.Fatalf("second use: %v", err)
	}
	if resp, err := s.Login(ctx, LoginRequest{Username: "admin", Password: "first-admin-pw"}, "x"); err != nil || *resp.MustChangePW {
		t.Fatalf("login after setup: %+v, %v", resp, err)
	}
	if res3, err := s.Seed(ctx, Bootstrap{}); err != nil || res3.Link != nil {
		t.Fatalf("seed once an admin has a password: %+v, %v", res3, err)
	}
	// Expiry at 72 h.
	link, err := s.ResetLink(ctx, adminID, "admin", "")
	if err != nil || link.Purpose != "reset" || !link.ExpiresAt.Equal(clk.now().Add(LinkTTL)) {
		t.Fatalf("reset link: %+v, %v", link, err)
	}
	clk.add(LinkTTL)
	if _, err := s.LinkInfo(ctx, link.Token); status(err) != http.StatusGone {
		t.Fatalf("expired info: %v", err)
	}
	if err := s.SetPasswordViaLink(ctx, link.Token, SetPasswordRequest{Password: "too-late-pw"}); status(err) != http.StatusGone {
		t.Fatalf("expired set: %v", err)
	}
	found := false
	for _, a := range *audit {
		found = found || (a.actor == "auth" && a.action == "account.password_set_via_link" && a.target == "admin")
	}
	if !found {
		t.Fatalf("audit: %+v", *audit)
	}
}

func TestBootstrapWithPassword(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	res, err := s.Seed(ctx, Bootstrap{User: "boss", Password: "boss-password"})
	if err != nil || !res.Seeded || res.Link != nil {
		t.Fatalf("seed: %+v, %v", res, err)
	}
	resp, err := s.Login(ctx, LoginRequest{Username: "boss", Password: "boss-password"}, "x")
	if err != nil || resp.Role != Admin || !*resp.MustChangePW {
		t.Fatalf("login: %+v, %v", resp, err)
	}
}

func TestAdminGuardsAndDisabled(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	mustCreate(t, s, "root", Admin, "root-password")
	mustCreate(t, s, "carol", Viewer, "carol-password")
	admin := Role(Viewer)
	if err := s.Update(ctx, adminID, "root", UpdateRequest{Role: &admin}); err == nil || err.Error() != "cannot demote the last enabled admin" {
		t.Fatalf("demote last admin: %v", err)
	}
	yes := true
	if err := s.Update(ctx, adminID, "root", UpdateRequest{Disabled: &yes}); status(err) != 409 {
		t.Fatalf("disable last admin: %v", err)
	}
	if err := s.Delete(ctx, adminID, "root"); status(err) != 409 {
		t.Fatalf("delete last admin: %v", err)
	}
	if err := s.Delete(ctx, adminID, "nobody"); status(err) != 404 {
		t.Fatalf("delete unknown: %v", err)
	}
	if _, err := s.Resolve(ctx, "carol"); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, adminID, "carol", UpdateRequest{Disabled: &yes}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(ctx, "carol"); status(err) != 401 || err.Error() != "account disabled" {
		t.Fatalf("disabled: %v", err)
	}
	if _, err := s.Login(ctx, LoginRequest{Username: "carol", Password: "carol-password"}, "x"); err != ErrInvalidCredentials {
		t.Fatalf("disabled login: %v", err)
	}
	if _, err := s.Resolve(ctx, "ghost"); err == nil || err.Error() != "unknown account" {
		t.Fatalf("unknown: %v", err)
	}
}

func TestPermissionGroupsAndFeatures(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	feats := []string{"audit", "jobs", "audit"}
	if err := s.CreateGroup(ctx, adminID, GroupRequest{Name: "helpdesk", Features: &feats}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateGroup(ctx, adminID, GroupRequest{Name: "helpdesk"}); status(err) != 409 {
		t.Fatalf("duplicate: %v", err)
	}
	bad := []string{"Jobs"}
	if err := s.CreateGroup(ctx, adminID, GroupRequest{Name: "x", Features: &bad}); err == nil || err.Error() != "unknown feature: Jobs" {
		t.Fatalf("bad feature: %v", err)
	}
	mustCreate(t, s, "dave", Operator, "dave-password")
	body := `{"permission_group":"helpdesk","allowed_features":["run"]}`
	req, err := DecodeUpdate([]byte(body))
	if err != nil || !req.PermissionGroup.Set || !req.AllowedFeatures.Set {
		t.Fatalf("decode: %+v, %v", req, err)
	}
	if err := s.Update(ctx, adminID, "dave", req); err != nil {
		t.Fatal(err)
	}
	id, err := s.Resolve(ctx, "dave")
	if err != nil || strings.Join(id.Features, ",") != "audit,jobs" {
		t.Fatalf("group features (catalogue order): %+v, %v", id, err)
	}
	if err := s.DeleteGroup(ctx, adminID, "helpdesk"); status(err) != 409 {
		t.Fatalf("delete with members: %v", err)
	}
	req, _ = DecodeUpdate([]byte(`{"permission_group":null}`))
	if err := s.Update(ctx, adminID, "dave", req); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.Resolve(ctx, "dave"); strings.Join(id.Features, ",") != "run" {
		t.Fatalf("own features: %+v", id.Features)
	}
	req, _ = DecodeUpdate([]byte(`{"allowed_features":null}`))
	if err := s.Update(ctx, adminID, "dave", req); err != nil {
		t.Fatal(err)
	}
	if id, _ := s.Resolve(ctx, "dave"); !id.Unrestricted() {
		t.Fatalf("null features: %+v", id.Features)
	}
	if err := s.DeleteGroup(ctx, adminID, "helpdesk"); err != nil {
		t.Fatal(err)
	}
	rows, err := s.List(ctx)
	if err != nil || len(rows) != 1 || rows[0].CreatedAt != "2026-07-01 09:00:00" || rows[0].Disabled != 0 {
		t.Fatalf("list: %+v, %v", rows, err)
	}
}

// A rebuild moves the database aside and starts a new file: the accounts,
// groups and session secret come along; rows of the new file win.
func TestCarryOver(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	quiet := store.Options{Logger: slog.New(slog.DiscardHandler)}
	old, err := store.Open(ctx, dir+"/old.db", quiet)
	if err != nil {
		t.Fatal(err)
	}
	secret, _ := LoadOrCreateSecret(ctx, old.Writer())
	s := New(Options{Writer: old.Writer(), Reader: old.Reader(), Secret: secret})
	mustCreate(t, s, "lena", Operator, "lena-password")
	feats := []string{"audit"}
	if err := s.CreateGroup(ctx, adminID, GroupRequest{Name: "g1", Features: &feats}); err != nil {
		t.Fatal(err)
	}
	old.Close()

	fresh, err := store.Open(ctx, dir+"/new.db", quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	n, err := CarryOver(ctx, fresh.Writer(), dir+"/old.db")
	if err != nil || n != 1 {
		t.Fatalf("carry over: %d, %v", n, err)
	}
	again, _ := LoadOrCreateSecret(ctx, fresh.Writer())
	if string(again) != string(secret) {
		t.Fatal("session secret not carried")
	}
	s2 := New(Options{Writer: fresh.Writer(), Reader: fresh.Reader(), Secret: again})
	if _, err := s2.Login(ctx, LoginRequest{Username: "lena", Password: "lena-password"}, "x"); err != nil {
		t.Fatal(err)
	}
	if gs, _ := s2.Groups(ctx); len(gs) != 1 {
		t.Fatalf("groups: %+v", gs)
	}
	// A file from before accounts carries nothing and is no error.
	if n, err := CarryOver(ctx, fresh.Writer(), dir+"/missing.db"); err != nil || n != 0 {
		t.Fatalf("no users table: %d, %v", n, err)
	}
}

// A users row exported from kanade (its PHC string as is) signs in.
func TestKanadeHashSignsIn(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	if _, err := s.w.ExecContext(ctx, `INSERT INTO users (username, password_hash, role, disabled, must_change_pw, created_at, updated_at)
		VALUES ('imported', ?, 'operator', 0, 0, '2026-07-01 09:00:00', '2026-07-01 09:00:00')`, kanadeVector); err != nil {
		t.Fatal(err)
	}
	resp, err := s.Login(ctx, LoginRequest{Username: "imported", Password: kanadeVectorPW}, "x")
	if err != nil || resp.Token == "" || resp.Role != Operator {
		t.Fatalf("login: %+v, %v", resp, err)
	}
	if rows, _ := s.List(ctx); len(rows) != 1 || rows[0].CreatedAt != "2026-07-01 09:00:00" {
		t.Fatalf("kanade's timestamp form reads back: %+v", rows)
	}
}

// argon2id runs in bounded slots: with every slot taken, a login waits
// and gives up with 503 when its request ends.
func TestArgonSlotsBoundLogins(t *testing.T) {
	s, _, _ := newService(t)
	mustCreate(t, s, "mia", Viewer, "mia-password")
	for range cap(s.argonSlots) {
		s.argonSlots <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var e *Error
	if _, err := s.Login(ctx, LoginRequest{Username: "mia", Password: "mia-password"}, "x"); !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable || e.RetryAfter != 1 {
		t.Fatalf("login with every slot taken: %v", err)
	}
	<-s.argonSlots
	if _, err := s.Login(context.Background(), LoginRequest{Username: "mia", Password: "mia-password"}, "x"); err != nil {
		t.Fatalf("with a free slot: %v", err)
	}
}
