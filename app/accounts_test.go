package app

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/accounts"
	"github.com/kanade-console/kanade-console/backend/config"
	"github.com/kanade-console/kanade-console/backend/console"
)

type accountsHost struct{ c *console.Console }

func (h accountsHost) Core() (context.Context, *console.Console, error) {
	return context.Background(), h.c, nil
}
func (accountsHost) Settings() SettingsState                       { return SettingsState{} }
func (accountsHost) ApplySettings(Settings) (SettingsState, error) { return SettingsState{}, nil }
func (accountsHost) OpenAPI() (map[string]any, error)              { return nil, nil }
func (accountsHost) Metrics() (string, error)                      { return "", nil }

// The desktop's own operator is an admin: every account binding works
// without a sign-in (the admin rows of the route matrix, through Wails),
// with the HTTP routes' status codes on refusal.
func TestAccountBindingsAsDesktopAdmin(t *testing.T) {
	dir := t.TempDir()
	c := console.New(config.Config{DataDir: dir, SQLitePath: filepath.Join(dir, "kanade.db"), NATSListen: "off", Addr: "127.0.0.1:8080"}, quiet)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Stop(context.Background())
	a := New(accountsHost{c}, quiet)

	me, err := a.GetMe(Empty{})
	if err != nil || me.Role != "admin" || me.Kind != "desktop" {
		t.Fatalf("me: %+v, %v", me, err)
	}
	out, err := wailsCall(t, a.CreateAccount, `{"username":"helen","role":"operator"}`)
	if err != nil || !strings.Contains(string(out), `"link":"http://127.0.0.1:8080/password-setup/`) {
		t.Fatalf("create: %s, %v", out, err)
	}
	if _, err := wailsCall(t, a.CreateAccount, `{"username":"helen","role":"operator","password":"helen-password"}`); err == nil || !strings.Contains(err.Error(), `"status":409`) {
		t.Fatalf("duplicate: %v", err)
	}
	if err := a.CreatePermissionGroup(mustDecode[accounts.GroupRequest](t, `{"name":"desk","features":["audit"]}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := wailsCall(t, noResult(a.UpdateAccount), `{"username":"helen","permission_group":"desk","allowed_features":["run"]}`); err != nil {
		t.Fatal(err)
	}
	if _, err := wailsCall(t, noResult(a.UpdateAccount), `{"username":"helen","allowed_features":null}`); err != nil {
		t.Fatal(err)
	}
	rows, err := a.ListAccounts(Empty{})
	if err != nil {
		t.Fatal(err)
	}
	var helen string
	for _, r := range rows {
		if r.Username == "helen" {
			b, _ := json.Marshal(r)
			helen = string(b)
		}
	}
	if !strings.Contains(helen, `"allowed_features":null`) || !strings.Contains(helen, `"permission_group":"desk"`) {
		t.Fatalf("helen: %s", helen)
	}
	if link, err := a.CreateResetLink(AccountRequest{Username: "helen"}); err != nil || link.Purpose != "reset" {
		t.Fatalf("reset link: %+v, %v", link, err)
	}
	gs, err := a.ListPermissionGroups(Empty{})
	if err != nil || len(gs) != 1 || gs[0].MemberCount != 1 {
		t.Fatalf("groups: %+v, %v", gs, err)
	}
	if err := a.DeletePermissionGroup(mustDecode[accounts.GroupRequest](t, `{"name":"desk"}`)); err == nil || !strings.Contains(err.Error(), `"status":409`) {
		t.Fatalf("delete group with a member: %v", err)
	}
	if err := a.UpdatePermissionGroup(mustDecode[accounts.GroupRequest](t, `{"name":"desk","features":["jobs"]}`)); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteAccount(AccountRequest{Username: "helen"}); err != nil {
		t.Fatal(err)
	}
	if err := a.DeletePermissionGroup(mustDecode[accounts.GroupRequest](t, `{"name":"desk"}`)); err != nil {
		t.Fatal(err)
	}
	if err := a.DeleteAccount(AccountRequest{Username: "nobody"}); err == nil || !strings.Contains(err.Error(), `"status":404`) {
		t.Fatalf("delete unknown: %v", err)
	}
}

func noResult[Req any](fn func(Req) error) func(Req) (struct{}, error) {
	return func(r Req) (struct{}, error) { return struct{}{}, fn(r) }
}

func mustDecode[T any](t *testing.T, s string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	return v
}
