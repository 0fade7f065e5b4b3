package teravars

import (
	"errors"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

var linuxBox = System{OS: "linux", Arch: "x86_64", User: "kanade", Host: "box", Cwd: "/srv"}

// testTemplateEnv is the environment every render test sees.
var testTemplateEnv = map[string]string{
	"HOST":        "10.0.0.5",
	"EMPTY":       "",
	"ProgramData": `C:\ProgramData`,
}

func renderForTest(src string, sys System) (string, error) {
	out, err := Render(src, Context{System: sys, Env: envOf(testTemplateEnv)})
	return out.Text(), err
}

func TestRenderSyntax(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"plain text", "a = 1\n[x]\n", "a = 1\n[x]\n"},
		{"lone braces stay text", "a = { b = 1 }\n{ }", "a = { b = 1 }\n{ }"},

		// {{ }} and variables
		{"system", "{{ system.os }} {{ system.arch }} {{ system.user }} {{ system.host }} {{ system.cwd }}", "linux x86_64 kanade box /srv"},
		{"no spaces", "{{system.os}}", "linux"},
		{"tag over lines", "{{\n system.os\n}}", "linux"},
		{"double quotes", `{{ "a'b" }}`, "a'b"},
		{"single quotes", `{{ 'a"b' }}`, `a"b`},
		{"backticks", "{{ `x` }}", "x"},
		{"closer inside a string", `{{ "}}" }}`, "}}"},
		{"no escapes in strings", `{{ "C:\new" }}`, `C:\new`},
		{"raw insertion", `p = "{{ env(name="ProgramData") }}\\Kanade"`, `p = "C:\ProgramData\\Kanade"`},
		{"bool", "{{ true }} {{ False }}", "true false"},
		{"number", "{{ 42 }} {{ 1.5 }}", "42 1.5"},

		// functions
		{"env", `{{ env(name="HOST") }}`, "10.0.0.5"},
		{"env set but empty", `[{{ env(name="EMPTY", default="x") }}]`, "[]"},
		{"env default", `{{ env(name="NOPE", default="0.0.0.0") }}`, "0.0.0.0"},
		{"env name from expression", `{{ env(name="HO" ~ "ST") }}`, "10.0.0.5"},
		{"env trailing comma", `{{ env(name="NOPE", default="d",) }}`, "d"},
		{"is_linux", "{{ is_linux() }} {{ is_windows() }} {{ is_mac() }}", "true false false"},

		// filters
		{"lower", `{{ "AbC" | lower }}`, "abc"},
		{"upper", `{{ system.os | upper }}`, "LINUX"},
		{"trim", `[{{ "  x  " | trim }}]`, "[x]"},
		{"replace", `{{ env(name="ProgramData") | replace(from="\", to="\\") }}`, `C:\\ProgramData`},
		{"chained filters", `{{ " A " | trim | lower }}`, "a"},
		{"filter without parens may have them", `{{ "A" | lower() }}`, "a"},
		{"default on a missing variable", `{{ vars.nope | default(value="d") }}`, "d"},
		{"default keeps an empty string", `[{{ env(name="EMPTY") | default(value="d") }}]`, "[]"},
		{"default of a missing system key", `{{ system.shell | default(value="sh") }}`, "sh"},
		{"filter applies to the whole join", `{{ "a" ~ "b" | upper }}`, "AB"},
		{"parentheses around a filtered value", `{{ ("a" | upper) ~ "b" }}`, "Ab"},

		// ~
		{"concat", `{{ system.os ~ "-" ~ system.arch }}`, "linux-x86_64"},
		{"concat with a function", `{{ "h=" ~ env(name="HOST") }}`, "h=10.0.0.5"},
		{"concat a number", `{{ "n" ~ 1 }}`, "n1"},

		// if
		{"if true", "{% if true %}yes{% endif %}", "yes"},
		{"if false", "{% if false %}yes{% endif %}", ""},
		{"else", "{% if false %}a{% else %}b{% endif %}", "b"},
		{"elif", "{% if false %}a{% elif true %}b{% else %}c{% endif %}", "b"},
		{"first true branch wins", "{% if true %}a{% elif true %}b{% endif %}", "a"},
		{"nested", "{% if true %}[{% if false %}x{% else %}y{% endif %}]{% endif %}", "[y]"},
		{"is_windows", "{% if is_windows() %}win{% elif is_mac() %}mac{% else %}other{% endif %}", "other"},
		{"os comparison", `{% if system.os == "linux" %}L{% endif %}`, "L"},
		{"not equal", `{% if system.os != "windows" %}not windows{% endif %}`, "not windows"},
		{"not", "{% if not is_windows() %}y{% endif %}", "y"},
		{"not binds looser than ==", `{% if not system.os == "windows" %}y{% endif %}`, "y"},
		{"and", "{% if is_linux() and true %}y{% endif %}{% if is_linux() and false %}n{% endif %}", "y"},
		{"or", "{% if false or is_linux() %}y{% endif %}{% if false or false %}n{% endif %}", "y"},
		{"and binds tighter than or", "{% if true or false and false %}y{% endif %}", "y"},
		{"parentheses", "{% if (true or false) and false %}n{% else %}y{% endif %}", "y"},
		{"missing variable is false", "{% if vars.proxy %}n{% else %}y{% endif %}", "y"},
		{"missing variable in and/or/not", "{% if not vars.a and not vars.b or vars.c %}y{% endif %}", "y"},
		{"empty string is false", `{% if env(name="EMPTY") %}n{% else %}y{% endif %}`, "y"},
		{"the string false is true", `{% if "false" %}y{% endif %}`, "y"},
		{"zero is false", "{% if 0 %}n{% else %}y{% endif %}", "y"},
		{"short circuit skips errors", `{% if false and env(name="NOPE") %}n{% endif %}ok`, "ok"},
		{"number equality", "{% if 8080 == 8080.0 %}y{% endif %}", "y"},
		{"string and number differ", `{% if "1" == 1 %}n{% else %}y{% endif %}`, "y"},
		{"untaken branch is not evaluated", `{% if false %}{{ env(name="NOPE") }}{% endif %}ok`, "ok"},

		// comments and whitespace control
		{"comment", "a{# note #}b", "ab"},
		{"multi-line comment", "a{# one\ntwo #}b", "ab"},
		{"comment hides tags", "a{# {{ nope }} {% for %} #}b", "ab"},
		{"trim before", "a  \n {{- 'b' }}", "ab"},
		{"trim after", "{{ 'a' -}} \n\t b", "ab"},
		{"statement trim", "x\n{%- if true -%}\n  y\n{%- endif -%}\nz", "xyz"},
		{"comment trim", "a \n{#- c -#}\n b", "ab"},
		{"without trim the newlines stay", "{% if true %}\na\n{% endif %}\n", "\na\n\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := renderForTest(tc.src, linuxBox)
			if err != nil {
				t.Fatalf("render %q: %v", tc.src, err)
			}
			if got != tc.want {
				t.Errorf("render %q\n got %q\nwant %q", tc.src, got, tc.want)
			}
		})
	}
}

func TestRenderVars(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{
			"cross references in any order",
			"[vars]\nc = \"{{ vars.b }}/c\"\nb = \"{{ vars.a }}/b\"\na = \"/a\"\n[x]\nv = \"{{ vars.c }}\"\n",
			"[vars]\nc = \"/a/b/c\"\nb = \"/a/b\"\na = \"/a\"\n[x]\nv = \"/a/b/c\"\n",
		},
		{
			"vars may use env, system and filters",
			"[vars]\nhost = \"{{ env(name='HOST') }}\"\nos = '{{ system.os | upper }}'\n[x]\nv = \"{{ vars.host }} {{ vars.os }}\"\n",
			"[vars]\nhost = \"10.0.0.5\"\nos = 'LINUX'\n[x]\nv = \"10.0.0.5 LINUX\"\n",
		},
		{
			"non-string values",
			"[vars]\nport = 8080\nratio = 0.5\non = true\n[x]\nv = \"{{ vars.port }} {{ vars.ratio }} {{ vars.on }}\"{% if vars.port == 8080 and vars.on %} # yes{% endif %}\n",
			"[vars]\nport = 8080\nratio = 0.5\non = true\n[x]\nv = \"8080 0.5 true\" # yes\n",
		},
		{
			"nested tables and dotted keys",
			"[vars]\nroot = '/r'\nlog.dir = '{{ vars.root }}/log'\n[vars.db]\npath = '{{ vars.root }}/db'\n[x]\nv = '{{ vars.log.dir }} {{ vars.db.path }}'\n",
			"[vars]\nroot = '/r'\nlog.dir = '/r/log'\n[vars.db]\npath = '/r/db'\n[x]\nv = '/r/log /r/db'\n",
		},
		{
			"statement lines inside [vars] are left to the render",
			"[vars]\n{% if is_windows() %}\nsep = '\\'\n{% else %}\nsep = '/'\n{% endif %}\nname = 'k'\n[x]\nv = '{{ vars.name }}'\n",
			"[vars]\n\nsep = '/'\n\nname = 'k'\n[x]\nv = 'k'\n",
		},
		{
			"a var inside a condition",
			"[vars]\nproxy = ''\n[x]\n{% if vars.proxy %}proxy = '{{ vars.proxy }}'{% else %}# no proxy{% endif %}\n",
			"[vars]\nproxy = ''\n[x]\n# no proxy\n",
		},
		{
			"Windows path in a literal string",
			"[vars]\ndata = '{{ env(name=\"ProgramData\") }}\\Kanade'\n[db]\nsqlite_path = '{{ vars.data }}\\kanade.db'\n",
			"[vars]\ndata = 'C:\\ProgramData\\Kanade'\n[db]\nsqlite_path = 'C:\\ProgramData\\Kanade\\kanade.db'\n",
		},
		{
			"array values are rendered too",
			"[vars]\na = 'x'\nl = ['{{ vars.a }}']\n{% if vars.l %}has list{% endif %}",
			"[vars]\na = 'x'\nl = ['x']\nhas list",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := renderForTest(tc.src, linuxBox)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			if got != tc.want {
				t.Errorf("render %q\n got %q\nwant %q", tc.src, got, tc.want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	cases := []struct {
		name, src string
		line      int
		want      string
	}{
		{"unknown variable", "a\n{{ vars.nope }}", 2, "unknown variable vars.nope"},
		{"unknown root", "{{ nope }}", 1, "unknown variable nope"},
		{"unknown system key", "{{ system.shell }}", 1, "unknown variable system.shell"},
		{"missing variable in a comparison", `{% if vars.x == "a" %}{% endif %}`, 1, "unknown variable vars.x"},
		{"missing variable in a filter", "{{ vars.x | lower }}", 1, "unknown variable vars.x"},
		{"unset env without default", "\n\n{{ env(name=\"NOPE\") }}", 3, `environment variable "NOPE" is not set`},
		{"unknown function", "{{ now() }}", 1, `unknown function "now"`},
		{"unknown function in an untaken branch", "{% if false %}{{ now() }}{% endif %}", 1, `unknown function "now"`},
		{"unknown filter", `{{ "a" | title }}`, 1, `unknown filter "title"`},
		{"unknown argument", `{{ env(nam="X") }}`, 1, `env() has no argument "nam"`},
		{"positional argument", `{{ env("X") }}`, 1, "env() takes named arguments"},
		{"missing argument", `{{ "a" | replace(from="a") }}`, 1, "filter replace needs the argument to="},
		{"missing filter argument without parens", `{{ vars.x | default }}`, 1, "filter default needs the argument value="},
		{"argument twice", `{{ env(name="A", name="B") }}`, 1, "argument name given twice"},
		{"function arguments for is_windows", `{{ is_windows(x="1") }}`, 1, `is_windows() has no argument "x"`},
		{"unclosed {{", "a\n{{ vars.a\n", 2, "{{ is never closed with }}"},
		{"unclosed {%", "{% if true", 1, "{% is never closed with %}"},
		{"unclosed {#", "a\n{# note", 2, "{# comment is never closed with #}"},
		{"unclosed string", `{{ "abc }}`, 1, "string is never closed"},
		{"unclosed parenthesis", "{{ (true }}", 1, "( is never closed"},
		{"unclosed call", `{{ env(name="X" }}`, 1, "( is never closed"},
		{"wrong closer", "{{ a %}", 1, "{{ is closed with %}; want }}"},
		{"wrong closer for a statement", "{% if a }}", 1, "{% is closed with }}; want %}"},
		{"if without endif", "{% if true %}\n{% if true %}{% endif %}", 1, "{% if %} without {% endif %}"},
		{"endif without if", "\n{% endif %}", 2, "{% endif %} without {% if %}"},
		{"else without if", "{% else %}", 1, "{% else %} without {% if %}"},
		{"elif without if", "{% elif true %}", 1, "{% elif %} without {% if %}"},
		{"elif after else", "{% if a %}{% else %}\n{% elif b %}{% endif %}", 2, "{% elif %} after {% else %}"},
		{"second else", "{% if a %}{% else %}{% else %}{% endif %}", 1, "second {% else %}"},
		{"else with a condition", "{% if a %}{% else b %}{% endif %}", 1, "write elif"},
		{"if without condition", "{% if %}{% endif %}", 1, "empty {% if %}"},
		{"empty output", "{{ }}", 1, "empty {{ }}"},
		{"empty statement", "{% %}", 1, "empty {% %} tag"},
		{"for", "{% for x in y %}{% endfor %}", 1, "unsupported in backend.toml templates: for"},
		{"macro", "{% macro m() %}{% endmacro %}", 1, "unsupported in backend.toml templates: macro"},
		{"include", `{% include "x.toml" %}`, 1, "unsupported in backend.toml templates: include"},
		{"import", `{% import "m" as m %}`, 1, "unsupported in backend.toml templates: import"},
		{"extends", `{% extends "base" %}`, 1, "unsupported in backend.toml templates: extends"},
		{"set", `{% set x = 1 %}`, 1, "unsupported in backend.toml templates: set"},
		{"raw", `{% raw %}{% endraw %}`, 1, "unsupported in backend.toml templates: raw"},
		{"block", `{% block b %}{% endblock %}`, 1, "unsupported in backend.toml templates: block"},
		{"unknown tag", "{% frobnicate %}", 1, `unknown tag "frobnicate"`},
		{"tag name not a word", `{% "if" %}`, 1, "expected a tag name"},
		{"arithmetic", "{{ 1 + 2 }}", 1, `unsupported in backend.toml templates: "+"`},
		{"less than", "{% if a < b %}{% endif %}", 1, `unsupported in backend.toml templates: "<"`},
		{"index", "{{ vars.list[0] }}", 1, `unsupported in backend.toml templates: "["`},
		{"tests", "{% if vars.a is defined %}{% endif %}", 1, "unsupported in backend.toml templates: is"},
		{"in", `{% if "a" in vars.l %}{% endif %}`, 1, "unsupported in backend.toml templates: in"},
		{"two values", "{{ a b }}", 1, `unexpected "b"`},
		{"trailing dot", "{{ vars. }}", 1, `expected a name after "vars."`},
		{"stray brace", "{{ a } }}", 1, `unexpected "}"`},
		{"printing a table", "[vars]\nt.a = 1\n[x]\n{{ vars.t }}", 4, "vars.t is a table or array"},
		{"comparing a table", "[vars]\nt.a = 1\n[x]\n{% if vars.t == 1 %}{% endif %}", 4, "vars.t is a table or array"},
		{"parentheses nested too deep", "{{ " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + " }}", 1, "nested more than"},
		{"not nested too deep", "{{ " + strings.Repeat("not ", 100) + "true }}", 1, "nested more than"},
		{"ifs nested too deep", strings.Repeat("{% if true %}", 100) + strings.Repeat("{% endif %}", 100), 1, "nested more than"},
		{"replace that explodes", "[vars]\nbig = '" + strings.Repeat("x", 2000) + "'\n[x]\n{{ vars.big | replace(from='', to=vars.big) }}", 4, "longer than 1 MiB"},

		// [vars]
		{"unknown variable in [vars]", "[vars]\na = 'x'\nb = '{{ vars.zz }}'\n", 3, "vars.b: unknown variable vars.zz"},
		{"unset env in [vars]", "[vars]\n\nb = '{{ env(name=\"NOPE\") }}'\n", 3, `vars.b: environment variable "NOPE" is not set`},
		{"bad template in [vars]", "[vars]\nb = '{% for x in y %}'\n", 2, "unsupported in backend.toml templates: for"},
		{"cycle through two vars", "[vars]\na = '{{ vars.b }}'\nb = '{{ vars.a }}'\n", 2, "cycle in [vars]: vars.a refers back to itself"},
		{"self reference", "[vars]\nx = 1\nself = '{{ vars.self }}'\n", 3, "cycle in [vars]: vars.self refers back to itself"},
		{"growing cycle", "[vars]\na = 'x{{ vars.a }}'\n", 2, "cycle in [vars]: vars.a still changes after 10 rounds"},
		{"exploding cycle", "[vars]\na = '" + strings.Repeat("{{ vars.a }}", 20) + "'\n", 2, "larger than 1024 KiB"},
		{"bad TOML in [vars]", "[vars]\na = 'x'\nb = \n[x]\n", 3, "in [vars]:"},
		{"template outside quotes in [vars]", "[vars]\nport = {{ env(name='PORT') }}\n", 2, "templates must sit inside quoted values"},
		{"duplicate [vars]", "[vars]\na = 1\n[vars]\nb = 2\n", 3, "in [vars]:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := renderForTest(tc.src, linuxBox)
			if err == nil {
				t.Fatalf("render %q: no error", tc.src)
			}
			var terr *Error
			if !errors.As(err, &terr) {
				t.Fatalf("error %v is %T, not a Error", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			if terr.Line != tc.line {
				t.Errorf("error %q: line %d, want %d", err, terr.Line, tc.line)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

// The rendered text keeps, per line, the source line it came from, so a
// TOML error after rendering points at the line the user wrote.
func TestRenderedLinesMapToSource(t *testing.T) {
	src := "{# header #}\n{% if false %}\na\nb\n{% endif %}\nx = 1\n{{ 'one\ntwo' }}\ny = 2\n"
	out, err := Render(src, Context{System: linuxBox})
	if err != nil {
		t.Fatal(err)
	}
	// Rendered: "" (from line 1), "" (after the endif on line 5), "x = 1"
	// (6), "one" and "two" (both from the tag that starts on line 7), and
	// "y = 2" (9, since the tag's string spans two lines).
	wantText := "\n\nx = 1\none\ntwo\ny = 2\n"
	if out.Text() != wantText {
		t.Fatalf("text %q, want %q", out.Text(), wantText)
	}
	want := []int{1, 5, 6, 7, 7, 9}
	for i, line := range want {
		if got := out.SourceLine(i + 1); got != line {
			t.Errorf("rendered line %d: source line %d, want %d", i+1, got, line)
		}
	}
}

func TestRustSpelling(t *testing.T) {
	for goName, rust := range map[string]string{"darwin": "macos", "linux": "linux", "windows": "windows"} {
		if got := rustOS(goName); got != rust {
			t.Errorf("rustOS(%q) = %q, want %q", goName, got, rust)
		}
	}
	for goName, rust := range map[string]string{"amd64": "x86_64", "arm64": "aarch64", "386": "x86", "riscv64": "riscv64"} {
		if got := rustArch(goName); got != rust {
			t.Errorf("rustArch(%q) = %q, want %q", goName, got, rust)
		}
	}
	sys := DetectSystem()
	if sys.OS == "" || sys.Arch == "" || sys.Cwd == "" {
		t.Errorf("DetectSystem() = %+v", sys)
	}
}

func FuzzRender(f *testing.F) {
	seeds := []string{
		"",
		"plain = 1\n",
		"{{ system.os }}",
		"[vars]\na = 'x'\nb = '{{ vars.a }}/y'\n[s]\nv = \"{{ vars.b }}\"\n",
		"[vars]\na = '{{ vars.b }}'\nb = '{{ vars.a }}'\n",
		"[vars]\na = 'x{{ vars.a }}{{ vars.a }}'\n",
		`{% if is_windows() %}a{% elif not is_mac() and system.arch == "x86_64" %}b{% else %}c{% endif %}`,
		`{{ env(name="HOST", default="d") | upper | replace(from="D", to="e") ~ 'x' }}`,
		"{#- c -#}\n{{- vars.x | default(value='d') -}}\n{%- if (true) -%}{%- endif -%}",
		"{% for x in y %}{% endfor %}",
		"{{ \"unterminated",
		"{% if %}",
		"{{ 1.5 == 1 }}{{ `b` }}",
		"[vars]\n{% if true %}\nx = 1\n{% endif %}\n[vars.t]\ny = [1, '{{ vars.x | default(value=2) }}']\n",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		out, err := Render(src, Context{System: linuxBox, Env: envOf(testTemplateEnv)})
		if err != nil {
			var terr *Error
			if !errors.As(err, &terr) || terr.Line < 1 {
				t.Fatalf("error %v (%T) does not name a line", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans lines: %q", err)
			}
			return
		}
		if !HasSyntax(src) && out.Text() != src {
			t.Fatalf("text without template syntax changed: %q → %q", src, out.Text())
		}
		sourceLines := strings.Count(src, "\n") + 1
		for i, line := range out.sourceLines {
			if line < 1 || line > sourceLines {
				t.Fatalf("rendered line %d maps to source line %d of %d", i+1, line, sourceLines)
			}
		}
	})
}
