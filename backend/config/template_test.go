package config

import (
	"io"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/teravars"
)

var linuxBox = teravars.System{OS: "linux", Arch: "x86_64", User: "kanade", Host: "box", Cwd: "/srv"}

// on is a template system that is always sys.
func on(sys teravars.System) func() teravars.System {
	return func() teravars.System { return sys }
}

// parseOn is Parse("serve", …) rendering templates as on system.
func parseOn(system func() teravars.System, args []string, env Env) (Config, error) {
	return ParseHost("serve", args, Host{Env: env, System: system}, io.Discard)
}

func TestParseRendersTemplates(t *testing.T) {
	base := t.TempDir()
	fallback := t.TempDir()
	// Paths sit in '…' literal strings (and in Tera strings, which have no
	// escapes), so the test also holds where t.TempDir() has backslashes.
	file := writeTOML(t, `{# kanade-style backend.toml: rendered, then read as TOML #}
[vars]
base = '{{ env(name="KANADE_TEST_BASE", default="`+fallback+`") }}'
db = '{{ vars.base }}/kanade.db'

[server]
bind = "{{ env(name="KANADE_TEST_HOST") }}:{{ vars.port | default(value="9100") }}"

[db]
sqlite_path = '{{ vars.db }}'

[log]
{% if is_windows() %}
path = '{{ env(name="ProgramData") }}\Kanade\backend.log'
{% else %}
path = "/var/log/kanade/backend.log"
{% endif %}
level = "{{ env(name='KANADE_TEST_LEVEL', default='info') | lower }}"

[console]
data_dir = '{{ vars.base }}'
`)
	env := map[string]string{
		"KANADE_TEST_BASE":  base,
		"KANADE_TEST_HOST":  "127.0.0.1",
		"KANADE_TEST_LEVEL": "DEBUG",
		"ProgramData":       `C:\ProgramData`,
	}

	t.Run("linux, env set", func(t *testing.T) {
		sys := on(linuxBox)
		cfg, err := parseOn(sys, []string{"--config", file}, envOf(env))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Addr != "127.0.0.1:9100" || cfg.DataDir != base || cfg.SQLitePath != base+"/kanade.db" ||
			cfg.LogPath != "/var/log/kanade/backend.log" || cfg.LogLevel.String() != "DEBUG" {
			t.Fatalf("cfg = %+v", cfg)
		}
	})
	t.Run("windows, env defaults", func(t *testing.T) {
		sys := on(teravars.System{OS: "windows", Arch: "x86_64"})
		winEnv := map[string]string{"KANADE_TEST_HOST": "127.0.0.1", "ProgramData": `C:\ProgramData`}
		cfg, err := parseOn(sys, []string{"--config", file}, envOf(winEnv))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DataDir != fallback || cfg.SQLitePath != fallback+"/kanade.db" ||
			cfg.LogPath != `C:\ProgramData\Kanade\backend.log` || cfg.LogLevel.String() != "INFO" {
			t.Fatalf("cfg = %+v", cfg)
		}
	})
	t.Run("env without default unset", func(t *testing.T) {
		sys := on(linuxBox)
		_, err := parseOn(sys, []string{"--config", file}, envOf(nil))
		want := "config " + file + `: line 7: environment variable "KANADE_TEST_HOST" is not set`
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("err = %v, want prefix %q", err, want)
		}
	})
}

// Windows paths have backslashes, which start escapes in TOML "…" strings.
// The documented ways: a '…' literal string, or escape the value for a "…"
// string with replace.
func TestParseWindowsPaths(t *testing.T) {
	sys := on(teravars.System{OS: "windows"})
	env := envOf(map[string]string{"ProgramData": `C:\ProgramData`})
	data := t.TempDir()
	for _, tc := range []struct{ name, line string }{
		{"literal string", `path = '{{ env(name="ProgramData") }}\Kanade\kanade.log'`},
		{"escaped for a basic string", `path = "{{ env(name="ProgramData") | replace(from="\", to="\\") }}\\Kanade\\kanade.log"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := writeTOML(t, "[log]\n"+tc.line+"\n")
			cfg, err := parseOn(sys, []string{"--config", file, "--data", data}, env)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.LogPath != `C:\ProgramData\Kanade\kanade.log` {
				t.Fatalf("log path = %q", cfg.LogPath)
			}
		})
	}
	t.Run("unescaped in a basic string", func(t *testing.T) {
		file := writeTOML(t, "[log]\n# a comment\npath = \"{{ env(name=\"ProgramData\") }}\\\\Kanade\"\n")
		_, err := parseOn(sys, []string{"--config", file, "--data", data}, env)
		if err == nil || !strings.Contains(err.Error(), "line 3: invalid escape") || !strings.Contains(err.Error(), "literal strings") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestParseTemplateErrorsNameFileAndLine(t *testing.T) {
	sys := on(linuxBox)
	data := t.TempDir()
	cases := []struct{ name, body, want string }{
		{"unknown variable", "[server]\nbind = \"{{ vars.nope }}\"\n", "line 2: unknown variable vars.nope"},
		{"unsupported for", "{% for x in y %}\n{% endfor %}\n", "line 1: unsupported in backend.toml templates: for"},
		{"cycle", "[vars]\na = '{{ vars.a }}'\n", "line 2: cycle in [vars]"},
		// The TOML error is on rendered line 3 ("[server"), which is line 6
		// of the file once the comment and the untaken if are accounted for.
		{"TOML error after rendering", "{# c #}\n{% if false %}\nx\ny\n{% endif %}\n[server\n", "line 6: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := writeTOML(t, tc.body)
			_, err := parseOn(sys, []string{"--config", file, "--data", data}, envOf(nil))
			if err == nil {
				t.Fatal("accepted")
			}
			prefix := "config " + file + ": "
			if !strings.HasPrefix(err.Error(), prefix+tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("err = %q, want one line starting %q", err, prefix+tc.want)
			}
		})
	}
}

// A file without template syntax is decoded as it is: not rendered, so not
// even the system is looked at.
func TestPlainFileIsNotRendered(t *testing.T) {
	sys := func() teravars.System { t.Error("a plain file was rendered"); return linuxBox }
	data := t.TempDir()
	file := writeTOML(t, "[vars]\nself = 'x'\n[server]\nbind = \"127.0.0.1:9005\" # {not a template}\n")
	cfg, err := parseOn(sys, []string{"--config", file, "--data", data}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9005" {
		t.Fatalf("addr = %s", cfg.Addr)
	}
}
