package desktop

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/kanade-console/kanade-console/app"
	"github.com/kanade-console/kanade-console/internal/testutil"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t))
}

// Apply restarts the core with new settings, saves them, and serves HTTP
// when asked; a bad or failing Apply leaves the running settings in force.
func TestApplyRestartsTheCore(t *testing.T) {
	base := t.TempDir()
	h, err := NewHost([]string{"--data", base, "--nats-listen", "off"}, envOf(nil), io.Discard, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	defer h.Stop()
	_, c1, err := h.Core()
	if err != nil {
		t.Fatal(err)
	}
	var evMu sync.Mutex
	var events []string
	h.SetEmitter(func(name string, _ any) { evMu.Lock(); events = append(events, name); evMu.Unlock() })
	st := h.Settings()
	if st.Core.State != "running" || st.Core.HTTPURL != "" || st.Pinned["nats_listen"] != "--nats-listen" || st.File != filepath.Join(base, settingsFile) {
		t.Fatalf("initial state: %+v", st)
	}
	// The version given to the host reaches the settings page and the
	// console's status (no package global in between).
	if st.Version != "test" {
		t.Errorf("settings version %q, want test", st.Version)
	}
	if v := c1.Status(context.Background()).Version; v != "test" {
		t.Errorf("status version %q, want test", v)
	}

	// Turn the HTTP listener on.
	addr := freeAddr(t)
	st, err = h.ApplySettings(app.Settings{NATSMode: app.NATSEmbedded, HTTPEnabled: true, HTTPAddr: addr, HTTPToken: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	_, c2, _ := h.Core()
	if c2 == c1 || st.Core.State != "running" || st.Core.Restarts != 1 || st.Core.HTTPURL != "http://"+addr || st.Core.HTTPAuth != "static" {
		t.Fatalf("after apply: %+v", st.Core)
	}
	resp, err := http.Get("http://" + addr + "/api/agents")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("/api without the token: %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/api/agents", nil)
	req.Header.Set("Authorization", "Bearer s3cret")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/api with the token: %v %v", resp, err)
	}
	resp.Body.Close()
	var saved app.Settings
	b, _ := os.ReadFile(st.File)
	if err := json.Unmarshal(b, &saved); err != nil || !saved.HTTPEnabled || saved.HTTPAddr != addr {
		t.Errorf("saved: %s %v", b, err)
	}
	if fi, _ := os.Stat(st.File); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("settings file mode %v (it holds tokens)", fi.Mode().Perm())
	}
	evMu.Lock()
	if len(events) == 0 || events[len(events)-1] != "kanade:core" {
		t.Errorf("events: %v", events)
	}
	evMu.Unlock()

	// Invalid settings: 400, nothing changes.
	_, err = h.ApplySettings(app.Settings{HTTPEnabled: true, HTTPAddr: "0.0.0.0:1"})
	if je, ok := err.(*app.JSONError); !ok || je.Status != 400 {
		t.Fatalf("exposed listener without a token: %v", err)
	}
	if _, c3, _ := h.Core(); c3 != c2 {
		t.Error("an invalid apply restarted the core")
	}

	// A busy port: the new core is refused and the previous settings come back.
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	_, err = h.ApplySettings(app.Settings{HTTPEnabled: true, HTTPAddr: busy.Addr().String()})
	if je, ok := err.(*app.JSONError); !ok || je.Status != 500 || !strings.Contains(je.Message, "previous settings") {
		t.Fatalf("busy port: %v", err)
	}
	st = h.Settings()
	if st.Core.State != "running" || st.Core.HTTPURL != "http://"+addr || st.Saved.HTTPAddr != addr {
		t.Errorf("after a failed apply: %+v saved %+v", st.Core, st.Saved)
	}
	if _, _, err := h.Core(); err != nil {
		t.Errorf("core after a failed apply: %v", err)
	}

	// A new process picks the saved settings up.
	h.Stop()
	h2, err := NewHost([]string{"--data", base, "--nats-listen", "off"}, envOf(nil), io.Discard, "test")
	if err != nil {
		t.Fatal(err)
	}
	if err := h2.Start(); err != nil {
		t.Fatal(err)
	}
	defer h2.Stop()
	if st := h2.Settings(); st.Core.HTTPURL != "http://"+addr {
		t.Errorf("restarted app: %+v", st.Core)
	}
	// OpenAPI and Metrics come from the in-process handler.
	if doc, err := h2.OpenAPI(); err != nil || doc["openapi"] != "3.1.0" {
		t.Errorf("OpenAPI: %v %v", doc["openapi"], err)
	}
	if m, err := h2.Metrics(); err != nil || !strings.Contains(m, "kanade_") {
		t.Errorf("Metrics: %v", err)
	}
}
