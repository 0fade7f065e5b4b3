package service

import (
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the shipped unit files in build/service from the renderers")

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestParseCommand(t *testing.T) {
	for _, tc := range []struct {
		args    []string
		want    Command
		wantErr string
	}{
		{args: []string{"install"}, want: Command{Action: Install}},
		{args: []string{"install", "--config", `C:\ProgramData\Kanade\config\backend.toml`, "--replace"},
			want: Command{Action: Install, Replace: true, ServeArgs: []string{"--config", `C:\ProgramData\Kanade\config\backend.toml`}}},
		{args: []string{"install", "-replace", "--data=/srv/k"}, want: Command{Action: Install, Replace: true, ServeArgs: []string{"--data=/srv/k"}}},
		{args: []string{"uninstall"}, want: Command{Action: Uninstall}},
		{args: []string{"uninstall", "--if-ours"}, want: Command{Action: Uninstall, IfOurs: true}},
		{args: []string{"uninstall", "--force"}, wantErr: "only --if-ours"},
		{args: []string{"start"}, want: Command{Action: Start}},
		{args: []string{"stop"}, want: Command{Action: Stop}},
		{args: []string{"status"}, want: Command{Action: Status}},
		{args: nil, wantErr: "want install"},
		{args: []string{"restart"}, wantErr: `unknown action "restart"`},
		{args: []string{"start", "now"}, wantErr: "takes no arguments"},
	} {
		got, err := ParseCommand(tc.args)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !errors.Is(err, ErrUsage) {
				t.Errorf("%q: err = %v, want usage error with %q", tc.args, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got.Action != tc.want.Action || got.Replace != tc.want.Replace || got.IfOurs != tc.want.IfOurs || !slices.Equal(got.ServeArgs, tc.want.ServeArgs) {
			t.Errorf("%q: got %+v, %v; want %+v", tc.args, got, err, tc.want)
		}
	}
}

func TestServiceArgsAddMachineWideDataDir(t *testing.T) {
	for _, tc := range []struct {
		goos string
		env  map[string]string
		in   []string
		want []string
	}{
		{"windows", map[string]string{"ProgramData": `D:\PD`}, nil, []string{"serve", "--data", `D:\PD\Kanade\console`}},
		{"windows", nil, []string{"--config", `C:\k.toml`}, []string{"serve", "--config", `C:\k.toml`, "--data", `C:\ProgramData\Kanade\console`}},
		{"linux", nil, nil, []string{"serve", "--data", "/var/lib/kanade-console"}},
		{"darwin", nil, nil, []string{"serve", "--data", "/Library/Application Support/kanade-console"}},
		{"linux", nil, []string{"--data", "/srv/k"}, []string{"serve", "--data", "/srv/k"}},
		{"linux", nil, []string{"-data=/srv/k"}, []string{"serve", "-data=/srv/k"}},
		{"linux", nil, []string{"--database", "x"}, []string{"serve", "--database", "x", "--data", "/var/lib/kanade-console"}},
	} {
		if got := ServiceArgs(tc.goos, envOf(tc.env), tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%s %q: %q, want %q", tc.goos, tc.in, got, tc.want)
		}
	}
}

// The unit and the plist shipped in the packages are exactly what the
// renderers produce for the packaged binary (go test -update rewrites them).
func TestShippedUnitFilesMatchRenderers(t *testing.T) {
	for _, tc := range []struct {
		file string
		text string
	}{
		{"kanade-console.service", RenderSystemdUnit("/usr/bin/kanade-console", ServiceArgs("linux", envOf(nil), nil))},
		{LaunchdLabel + ".plist", RenderLaunchdPlist("/Applications/kanade-console.app/Contents/MacOS/kanade-console", ServiceArgs("darwin", envOf(nil), nil), "/Library/Logs/kanade-console")},
	} {
		path := filepath.Join("..", "..", "build", "service", tc.file)
		if *update {
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.text {
			t.Errorf("%s differs from the renderer (run go test ./backend/service -update):\n%s", path, tc.text)
		}
	}
}

func TestSystemdUnitText(t *testing.T) {
	unit := RenderSystemdUnit("/opt/kanade console/kanade-console", []string{"serve", "--config", "/etc/kanade/backend.toml", "--data", "/srv/100%/$data"})
	for _, want := range []string{
		`ExecStart="/opt/kanade console/kanade-console" serve --config /etc/kanade/backend.toml --data /srv/100%%/$$data` + "\n",
		"KillSignal=SIGTERM\n",
		"Restart=on-failure\n",
		"WantedBy=multi-user.target\n",
		"EnvironmentFile=-/etc/kanade/console.env\n",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit lacks %q:\n%s", want, unit)
		}
	}
	if got := systemdQuote(`a"b\c`); got != `"a\"b\\c"` {
		t.Errorf("quote = %s", got)
	}
}

func TestLaunchdPlistIsValidXML(t *testing.T) {
	p := RenderLaunchdPlist("/usr/local/bin/kanade-console", []string{"serve", "--data", "/srv/a&b<c>"}, "/Library/Logs/kanade-console")
	var doc struct {
		Dict struct {
			Keys  []string `xml:"key"`
			Array struct {
				Strings []string `xml:"string"`
			} `xml:"array"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal([]byte(p), &doc); err != nil {
		t.Fatalf("plist: %v\n%s", err, p)
	}
	if want := []string{"/usr/local/bin/kanade-console", "serve", "--data", "/srv/a&b<c>"}; !slices.Equal(doc.Dict.Array.Strings, want) {
		t.Fatalf("ProgramArguments = %q, want %q", doc.Dict.Array.Strings, want)
	}
	if !slices.Contains(doc.Dict.Keys, "KeepAlive") || !strings.Contains(p, "<string>"+LaunchdLabel+"</string>") {
		t.Fatalf("plist lacks KeepAlive or label:\n%s", p)
	}
}

// recorder is a Runner that records the commands and answers from a table.
type recorder struct {
	calls []string
	out   map[string]string
	fail  map[string]bool
}

func (r *recorder) run(name string, args ...string) ([]byte, error) {
	call := strings.Join(append([]string{name}, args...), " ")
	r.calls = append(r.calls, call)
	if r.fail[call] {
		return []byte(r.out[call]), errors.New("exit status 3")
	}
	return []byte(r.out[call]), nil
}

func TestSystemdManager(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{out: map[string]string{"systemctl is-active kanade-console.service": "active\n"}}
	m := Systemd{Dir: dir, Run: rec.run}
	if st, _ := m.Status(); st != "not installed" {
		t.Fatalf("status before install = %q", st)
	}
	if err := m.Uninstall(); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("uninstall before install = %v", err)
	}
	args := []string{"serve", "--data", "/var/lib/kanade-console"}
	if err := m.Install("/usr/bin/kanade-console", args, false); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, SystemdUnit))
	if err != nil || string(b) != RenderSystemdUnit("/usr/bin/kanade-console", args) {
		t.Fatalf("unit file = %q, %v", b, err)
	}
	if err := m.Install("/usr/bin/kanade-console", args, false); err == nil || !strings.Contains(err.Error(), "--replace") {
		t.Fatalf("second install = %v, want a hint at --replace", err)
	}
	if err := m.Install("/usr/local/bin/kanade-console", args, true); err != nil {
		t.Fatal(err)
	}
	if p, err := m.Program(); err != nil || !Runs(p, "/usr/local/bin/kanade-console") || Runs(p, "/usr/bin/kanade-backend") {
		t.Fatalf("program = %q, %v", p, err)
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	if st, _ := m.Status(); st != "active" {
		t.Fatalf("status = %q", st)
	}
	if err := m.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := m.Uninstall(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, SystemdUnit)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("unit left behind: %v", err)
	}
	want := []string{
		"systemctl daemon-reload", "systemctl enable kanade-console.service",
		"systemctl daemon-reload", "systemctl enable kanade-console.service",
		"systemctl start kanade-console.service", "systemctl is-active kanade-console.service",
		"systemctl stop kanade-console.service",
		"systemctl disable --now kanade-console.service", "systemctl daemon-reload",
	}
	if !slices.Equal(rec.calls, want) {
		t.Fatalf("calls:\n%s\nwant:\n%s", strings.Join(rec.calls, "\n"), strings.Join(want, "\n"))
	}

	rec.fail = map[string]bool{"systemctl start kanade-console.service": true}
	rec.out["systemctl start kanade-console.service"] = "Unit kanade-console.service not found."
	if err := m.Start(); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Fatalf("failed start = %v, want systemctl's output", err)
	}
}

func TestLaunchdManager(t *testing.T) {
	dir := t.TempDir()
	rec := &recorder{out: map[string]string{"launchctl list dev.kanade.console": "{\n\t\"PID\" = 4242;\n\t\"Label\" = \"dev.kanade.console\";\n};\n"}}
	m := Launchd{Dir: dir, LogDir: filepath.Join(dir, "logs"), Run: rec.run}
	if st, _ := m.Status(); st != "not installed" {
		t.Fatalf("status = %q", st)
	}
	if err := m.Install("/usr/local/bin/kanade-console", []string{"serve"}, false); err != nil {
		t.Fatal(err)
	}
	plist := filepath.Join(dir, LaunchdLabel+".plist")
	if st, _ := m.Status(); st != "running" {
		t.Fatalf("status = %q", st)
	}
	if err := m.Uninstall(); err != nil {
		t.Fatal(err)
	}
	want := []string{"launchctl load -w " + plist, "launchctl list dev.kanade.console", "launchctl unload -w " + plist}
	if !slices.Equal(rec.calls, want) {
		t.Fatalf("calls = %q, want %q", rec.calls, want)
	}
}

func TestRuns(t *testing.T) {
	for _, tc := range []struct {
		program, exe string
		want         bool
	}{
		{`"C:\Program Files\kanade console\kanade console\kanade-console.exe" serve --data C:\ProgramData\Kanade\console`, `C:\Program Files\kanade console\kanade console\kanade-console.exe`, true},
		{`"c:\program files\kanade console\kanade console\KANADE-CONSOLE.EXE" serve`, `C:\Program Files\kanade console\kanade console\kanade-console.exe`, true},
		{`"C:\Program Files\Kanade\kanade-backend.exe"`, `C:\Program Files\kanade console\kanade console\kanade-console.exe`, false},
		{`anything`, ``, false},
	} {
		if got := Runs(tc.program, tc.exe); got != tc.want {
			t.Errorf("Runs(%q, %q) = %v", tc.program, tc.exe, got)
		}
	}
}

func TestCarryConfigFromReplacedService(t *testing.T) {
	newArgs := []string{"serve", "--data", `C:\ProgramData\Kanade\console`}
	for _, tc := range []struct {
		old, in, want []string
	}{
		{[]string{"--config", `D:\kanade\backend.toml`}, newArgs, append(slices.Clone(newArgs), "--config", `D:\kanade\backend.toml`)},
		{[]string{`--config=D:\k.toml`}, newArgs, append(slices.Clone(newArgs), "--config", `D:\k.toml`)},
		{nil, newArgs, newArgs},
		{[]string{"--config"}, newArgs, newArgs},
		{[]string{"--config", "old.toml"}, []string{"serve", "--config", "new.toml"}, []string{"serve", "--config", "new.toml"}},
		{[]string{"--configure", "x"}, newArgs, newArgs},
	} {
		if got := CarryConfig(tc.old, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("CarryConfig(%q, %q) = %q, want %q", tc.old, tc.in, got, tc.want)
		}
	}
}

// The SCM's stop cancels serve's context and waits for its drain; a serve
// that fails on its own ends the service with its error.
func TestSuperviseStopsThroughTheContext(t *testing.T) {
	stop := make(chan struct{})
	drained := false
	result := make(chan error, 1)
	go func() {
		result <- supervise(func(ctx context.Context) error {
			<-ctx.Done()
			drained = true // the drain runs before supervise returns
			return nil
		}, stop)
	}()
	close(stop)
	if err := <-result; err != nil || !drained {
		t.Fatalf("supervise = %v, drained %v", err, drained)
	}

	boom := errors.New("bind: address already in use")
	if err := supervise(func(context.Context) error { return boom }, make(chan struct{})); !errors.Is(err, boom) {
		t.Fatalf("failed run = %v", err)
	}
}
