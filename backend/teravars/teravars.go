// Package teravars renders backend.toml the way kanade does before reading it
// as TOML.
//
// kanade renders backend.toml as a Tera template (through its "teravars"
// step) before reading it as TOML, so a kanade config may say
// `bind = "{{ env(name="HOST", default="0.0.0.0") }}:8080"`. This file is a
// small renderer for the part of Tera a config file needs, written for this
// package rather than pulling in a general template engine:
//
//	{{ expr }}                                   the value, inserted as raw text
//	{% if c %}…{% elif c %}…{% else %}…{% endif %}
//	{# comment #}
//	{{- -}} {%- -%} {#- -#}                      drop the whitespace on that side
//
// Expressions: "string", 'string' or `string` (no escapes, as in Tera),
// true/false, numbers, dotted variables (vars.x, system.os), the functions
// env(name=, default=), is_windows(), is_linux(), is_mac(), the filters
// default(value=), lower, upper, trim, replace(from=, to=), ~ to join
// strings, == and !=, not, and, or, parentheses.
//
// Everything else Tera has (loops, macros, includes, set, arithmetic, tests)
// is refused with an error that names it: a file written for kanade either
// renders the same here or fails loudly, never quietly differently.

package teravars

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"reflect"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

const (
	// maxVarsRounds is how often [vars] are re-rendered before a value that
	// still changes is called a cycle; teravars gives up at the same count.
	maxVarsRounds = 10
	// maxNesting bounds nested if blocks and parentheses, so hostile input
	// cannot recurse without limit.
	maxNesting = 64
	// maxRenderedBytes bounds what one render may produce: a [vars] value
	// that includes itself twice doubles every round.
	maxRenderedBytes = 1 << 20
)

// System is what a template sees as system.*, spelled as Rust's
// std::env::consts spells it, because kanade's files test for those words.
type System struct {
	OS, Arch, User, Host, Cwd string
}

// Context is everything outside the file that a render may consult.
// Tests fill it by hand so a result never depends on the machine.
type Context struct {
	System System
	Env    func(name string) (string, bool) // for env(); nil means every variable is unset
	Vars   map[string]any                   // the resolved [vars] table
}

func DetectSystem() System {
	sys := System{OS: rustOS(runtime.GOOS), Arch: rustArch(runtime.GOARCH)}
	if u, err := user.Current(); err == nil {
		sys.User = u.Username
		// Windows says DOMAIN\user; Rust's whoami, which kanade uses, says user.
		if i := strings.LastIndexByte(sys.User, '\\'); i >= 0 {
			sys.User = sys.User[i+1:]
		}
	}
	sys.Host, _ = os.Hostname()
	sys.Cwd, _ = os.Getwd()
	return sys
}

func rustOS(goos string) string {
	if goos == "darwin" {
		return "macos"
	}
	return goos // linux, windows, freebsd, … are the same words
}

func rustArch(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	case "386":
		return "x86"
	case "ppc64", "ppc64le":
		return "powerpc64"
	case "loong64":
		return "loongarch64"
	case "mips64", "mips64le":
		return "mips64"
	case "mips", "mipsle":
		return "mips"
	}
	return goarch // arm, riscv64, s390x
}

// HasSyntax reports whether text needs rendering at all. A file
// without any of these is read exactly as before templates existed.
func HasSyntax(text string) bool {
	return strings.Contains(text, "{{") || strings.Contains(text, "{%") || strings.Contains(text, "{#")
}

// Error is a problem at a line of backend.toml. Msg is one line.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func errorAt(line int, format string, args ...any) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// Rendered is backend.toml after rendering. sourceLines[i] is the line
// of the original file that rendered line i+1 starts on, so that a TOML
// error in the result can point at what the user wrote.
type Rendered struct {
	text        string
	sourceLines []int
}

// Text is the rendered file, to be decoded as TOML.
func (r Rendered) Text() string { return r.text }

// SourceLine is the line of the original file that rendered line
// renderedLine (1-based) starts on.
func (r Rendered) SourceLine(renderedLine int) int {
	switch {
	case len(r.sourceLines) == 0:
		return 1
	case renderedLine < 1:
		return r.sourceLines[0]
	case renderedLine > len(r.sourceLines):
		return r.sourceLines[len(r.sourceLines)-1]
	}
	return r.sourceLines[renderedLine-1]
}

// Render renders backend.toml the way kanade does: carve the
// [vars] table out of the text, resolve its values against each other, then
// render the whole file (the [vars] table included) with vars.* and
// system.* in scope. The caller decodes the result as TOML.
func Render(src string, ctx Context) (Rendered, error) {
	nodes, err := parseTemplate(src, 1)
	if err != nil {
		return Rendered{}, err
	}
	section, err := extractVars(src)
	if err != nil {
		return Rendered{}, err
	}
	ctx.Vars, err = resolveVars(section, ctx)
	if err != nil {
		return Rendered{}, err
	}
	budget := maxRenderedBytes + len(src)
	out := &templateOutput{budget: &budget}
	ev := &evaluator{ctx: &ctx}
	if err := ev.render(nodes, out); err != nil {
		return Rendered{}, err
	}
	return Rendered{text: out.text.String(), sourceLines: out.sourceLines}, nil
}

// ---- [vars] ----

// varsSection is the [vars] table as carved out of the raw text.
type varsSection struct {
	values    map[string]any
	keyLines  map[string]int // dotted key below vars ("a", "sub.b") → line
	firstLine int            // the first [vars] header
}

// lineOf finds the line that defines key, or the closest enclosing table.
func (s varsSection) lineOf(key string) int {
	for k := key; k != ""; {
		if line, ok := s.keyLines[k]; ok {
			return line
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	if s.firstLine > 0 {
		return s.firstLine
	}
	return 1
}

// extractVars reads the [vars] and [vars.*] tables out of the raw text, as
// teravars does: text-based, because the rest of the file is not TOML until
// it has been rendered, and the rendering needs the vars. Lines that are
// template statements ({% … %} or {# … #} at the start of a line), and lines
// between an {% if %} and its {% endif %}, are left out: whether they exist
// is decided by the render, not here. Templates inside quoted values are
// kept; resolveVars renders them.
func extractVars(src string) (varsSection, error) {
	section := varsSection{keyLines: map[string]int{}}
	lines := strings.Split(src, "\n")
	kept := make([]string, len(lines)) // same line count, so TOML errors keep their line numbers
	inVars := false
	keyPrefix := ""
	blockDepth := 0
	closeTagLater := "" // a statement that runs over several lines ends at this
	found := false
	for i, line := range lines {
		lineNo := i + 1
		trimmed := strings.TrimSpace(line)
		if closeTagLater != "" {
			if strings.Contains(line, closeTagLater) {
				closeTagLater = ""
			}
			continue
		}
		opens, closes, unterminated := scanStatementTags(line)
		startDepth := blockDepth
		blockDepth = max(0, blockDepth+opens-closes)
		if unterminated != "" {
			closeTagLater = unterminated
		}
		if startDepth > 0 || strings.HasPrefix(trimmed, "{%") || strings.HasPrefix(trimmed, "{#") {
			continue
		}
		if name, ok := tableHeaderName(trimmed); ok {
			inVars = name == "vars" || strings.HasPrefix(name, "vars.")
			if inVars {
				kept[i] = line
				keyPrefix = strings.TrimPrefix(strings.TrimPrefix(name, "vars"), ".")
				if keyPrefix != "" {
					section.keyLines[keyPrefix] = lineNo
					keyPrefix += "."
				}
				if !found {
					section.firstLine = lineNo
					found = true
				}
			}
			continue
		}
		if !inVars {
			continue
		}
		kept[i] = line
		if key, _, ok := strings.Cut(trimmed, "="); ok && !strings.HasPrefix(trimmed, "#") {
			if k := normalizeKey(key); k != "" {
				if _, seen := section.keyLines[keyPrefix+k]; !seen {
					section.keyLines[keyPrefix+k] = lineNo
				}
			}
		}
	}
	if !found {
		return section, nil
	}
	var doc struct {
		Vars map[string]any `toml:"vars"`
	}
	if _, err := toml.Decode(strings.Join(kept, "\n"), &doc); err != nil {
		var perr toml.ParseError
		if errors.As(err, &perr) {
			line := perr.Position.Line
			msg := "in [vars]: " + firstLine(perr.Message)
			if line >= 1 && line <= len(lines) && strings.Contains(lines[line-1], "{{") {
				msg += " (in [vars], templates must sit inside quoted values)"
			}
			return section, errorAt(line, "%s", msg)
		}
		return section, errorAt(section.firstLine, "in [vars]: %s", firstLine(err.Error()))
	}
	section.values = doc.Vars
	return section, nil
}

// scanStatementTags counts the {% %} tags on a line that open and close
// blocks, and reports the closing marker still owed when a {% or {# starts
// here and ends on a later line.
func scanStatementTags(line string) (opens, closes int, unterminated string) {
	for {
		start := strings.Index(line, "{%")
		comment := strings.Index(line, "{#")
		if start < 0 && comment < 0 {
			return
		}
		if comment >= 0 && (start < 0 || comment < start) {
			end := strings.Index(line[comment+2:], "#}")
			if end < 0 {
				return opens, closes, "#}"
			}
			line = line[comment+2+end+2:]
			continue
		}
		body := line[start+2:]
		end := strings.Index(body, "%}")
		if end >= 0 {
			line = body[end+2:]
			body = body[:end]
		}
		word, _, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(body, "-")), " ")
		switch {
		case word == "if" || word == "for" || word == "macro" || word == "block" || word == "filter" || word == "raw":
			opens++
		case strings.HasPrefix(word, "end"):
			closes++
		}
		if end < 0 {
			return opens, closes, "%}"
		}
	}
}

// tableHeaderName returns "a.b" for a line "[a.b]", "[[ a . b ]]" or
// `["a".b] # note`.
func tableHeaderName(trimmed string) (string, bool) {
	open, closing := "[", "]"
	if strings.HasPrefix(trimmed, "[[") {
		open, closing = "[[", "]]"
	} else if !strings.HasPrefix(trimmed, "[") {
		return "", false
	}
	end := strings.Index(trimmed, closing)
	if end < len(open) {
		return "", false
	}
	if rest := strings.TrimSpace(trimmed[end+len(closing):]); rest != "" && !strings.HasPrefix(rest, "#") {
		return "", false
	}
	name := normalizeKey(trimmed[len(open):end])
	return name, name != ""
}

// normalizeKey turns a TOML key as written (` a . "b" `) into "a.b", or ""
// when it does not look like a key (an array such as [1, 2], say).
func normalizeKey(key string) string {
	parts := strings.Split(key, ".")
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if len(part) >= 2 && (part[0] == '"' || part[0] == '\'') && part[len(part)-1] == part[0] {
			part = part[1 : len(part)-1]
		} else if part == "" || strings.IndexFunc(part, func(r rune) bool {
			return !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		}) >= 0 {
			return ""
		}
		parts[i] = part
	}
	return strings.Join(parts, ".")
}

// resolveVars renders every string in [vars] with the previous round's
// values in scope until a round changes nothing, so `b = "{{ vars.a }}/x"`
// works whatever order a and b are written in.
func resolveVars(section varsSection, ctx Context) (map[string]any, error) {
	current := section.values
	if len(current) == 0 {
		return current, nil
	}
	for round := 1; round <= maxVarsRounds; round++ {
		ctx.Vars = current
		budget := maxRenderedBytes
		next, err := renderVarsValue(current, "", section, &ctx, &budget)
		if err != nil {
			return nil, err
		}
		nextTable, _ := next.(map[string]any)
		if reflect.DeepEqual(nextTable, current) {
			// A value that is still a template now renders to itself: a
			// cycle such as a → b → a settles on "{{ vars.a }}".
			if key := firstTemplateKey(nextTable, ""); key != "" {
				return nil, errorAt(section.lineOf(key), "cycle in [vars]: vars.%s refers back to itself", key)
			}
			return nextTable, nil
		}
		if round == maxVarsRounds {
			key := firstChangedKey(current, nextTable, "")
			return nil, errorAt(section.lineOf(key), "cycle in [vars]: vars.%s still changes after %d rounds of resolving", key, maxVarsRounds)
		}
		current = nextTable
	}
	return current, nil // not reached
}

// renderVarsValue renders the strings in a [vars] value, returning a copy:
// the previous round stays intact as this round's input.
func renderVarsValue(v any, key string, section varsSection, ctx *Context, budget *int) (any, error) {
	switch v := v.(type) {
	case string:
		if !HasSyntax(v) {
			return v, nil
		}
		line := section.lineOf(key)
		nodes, err := parseTemplate(v, line)
		if err == nil {
			out := &templateOutput{budget: budget}
			err = (&evaluator{ctx: ctx}).render(nodes, out)
			if err == nil {
				return out.text.String(), nil
			}
		}
		var terr *Error
		if errors.As(err, &terr) {
			return nil, errorAt(terr.Line, "vars.%s: %s", key, terr.Msg)
		}
		return nil, errorAt(line, "vars.%s: %s", key, firstLine(err.Error()))
	case map[string]any:
		out := make(map[string]any, len(v))
		for _, k := range sortedKeys(v) {
			r, err := renderVarsValue(v[k], joinKey(key, k), section, ctx, budget)
			if err != nil {
				return nil, err
			}
			out[k] = r
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			r, err := renderVarsValue(item, key, section, ctx, budget)
			if err != nil {
				return nil, err
			}
			out[i] = r
		}
		return out, nil
	case []map[string]any:
		out := make([]map[string]any, len(v))
		for i, item := range v {
			r, err := renderVarsValue(item, key, section, ctx, budget)
			if err != nil {
				return nil, err
			}
			out[i], _ = r.(map[string]any)
		}
		return out, nil
	}
	return v, nil
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// firstTemplateKey names the first value (in key order) still holding
// template syntax.
func firstTemplateKey(v any, key string) string {
	switch v := v.(type) {
	case string:
		if HasSyntax(v) {
			return key
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if found := firstTemplateKey(v[k], joinKey(key, k)); found != "" {
				return found
			}
		}
	case []any:
		for _, item := range v {
			if found := firstTemplateKey(item, key); found != "" {
				return found
			}
		}
	case []map[string]any:
		for _, item := range v {
			if found := firstTemplateKey(item, key); found != "" {
				return found
			}
		}
	}
	return ""
}

// firstChangedKey names the first value (in key order) that differs.
func firstChangedKey(before, after map[string]any, key string) string {
	for _, k := range sortedKeys(after) {
		if reflect.DeepEqual(before[k], after[k]) {
			continue
		}
		b, bok := before[k].(map[string]any)
		a, aok := after[k].(map[string]any)
		if bok && aok {
			return firstChangedKey(b, a, joinKey(key, k))
		}
		return joinKey(key, k)
	}
	return key
}

// ---- parsing ----

type templateNode interface{ templateNode() }

type textNode struct {
	text string
	line int // where text starts
}

type outputNode struct {
	expr expr
	line int
}

type ifNode struct {
	branches  []ifBranch
	otherwise []templateNode // the else body; nil without else
	line      int
}

type ifBranch struct {
	cond expr
	body []templateNode
	line int
}

func (*textNode) templateNode()   {}
func (*outputNode) templateNode() {}
func (*ifNode) templateNode()     {}

// unsupportedTags are Tera statements deliberately left out: a config file
// has no use for them, and each would make the renderer much larger.
var unsupportedTags = map[string]bool{
	"for": true, "endfor": true, "break": true, "continue": true,
	"macro": true, "endmacro": true, "include": true, "import": true,
	"extends": true, "block": true, "endblock": true,
	"set": true, "set_global": true, "filter": true, "endfilter": true,
	"raw": true, "endraw": true,
}

type templateParser struct {
	src  string
	pos  int
	line int
}

// parseTemplate parses src, whose first line is line firstLine of the file.
func parseTemplate(src string, firstLine int) ([]templateNode, error) {
	p := &templateParser{src: src, line: firstLine}
	return p.parse()
}

// openIf is an {% if %} whose {% endif %} has not been seen yet.
type openIf struct {
	node    *ifNode
	sawElse bool
	outer   *[]templateNode // the body the if itself sits in
}

func (p *templateParser) parse() ([]templateNode, error) {
	var root []templateNode
	body := &root
	var open []openIf
	trimLeading := false // the previous tag ended with -}}, -%} or -#}
	for {
		start := nextTagStart(p.src, p.pos)
		end := start
		if start < 0 {
			end = len(p.src)
		}
		text, textLine := p.src[p.pos:end], p.line
		p.advanceTo(end)
		if trimLeading {
			trimmed := strings.TrimLeftFunc(text, unicode.IsSpace)
			textLine += strings.Count(text[:len(text)-len(trimmed)], "\n")
			text = trimmed
			trimLeading = false
		}
		trimTrailing := start >= 0 && start+2 < len(p.src) && p.src[start+2] == '-'
		if trimTrailing {
			text = strings.TrimRightFunc(text, unicode.IsSpace)
		}
		if text != "" {
			*body = append(*body, &textNode{text: text, line: textLine})
		}
		if start < 0 {
			break
		}

		tagLine := p.line
		kind := p.src[start+1]
		p.pos = start + 2
		if trimTrailing {
			p.pos++
		}
		switch kind {
		case '#':
			trim, err := p.skipComment(tagLine)
			if err != nil {
				return nil, err
			}
			trimLeading = trim
		case '{':
			toks, trim, err := p.tokenize("{{", "}}", tagLine)
			if err != nil {
				return nil, err
			}
			e, err := parseExpression(toks, "{{ }}", tagLine)
			if err != nil {
				return nil, err
			}
			*body = append(*body, &outputNode{expr: e, line: tagLine})
			trimLeading = trim
		case '%':
			toks, trim, err := p.tokenize("{%", "%}", tagLine)
			if err != nil {
				return nil, err
			}
			trimLeading = trim
			if len(toks) == 0 {
				return nil, errorAt(tagLine, "empty {%% %%} tag")
			}
			if toks[0].kind != identToken {
				return nil, errorAt(tagLine, "expected a tag name after {%%, found %s", toks[0].describe())
			}
			word, rest := toks[0].text, toks[1:]
			switch word {
			case "if":
				if len(open) >= maxNesting {
					return nil, errorAt(tagLine, "if blocks nested more than %d deep", maxNesting)
				}
				cond, err := parseExpression(rest, "{% if %}", tagLine)
				if err != nil {
					return nil, err
				}
				n := &ifNode{line: tagLine, branches: []ifBranch{{cond: cond, line: tagLine}}}
				*body = append(*body, n)
				open = append(open, openIf{node: n, outer: body})
				body = &n.branches[0].body
			case "elif":
				if len(open) == 0 {
					return nil, errorAt(tagLine, "{%% elif %%} without {%% if %%}")
				}
				top := &open[len(open)-1]
				if top.sawElse {
					return nil, errorAt(tagLine, "{%% elif %%} after {%% else %%} (the if is at line %d)", top.node.line)
				}
				cond, err := parseExpression(rest, "{% elif %}", tagLine)
				if err != nil {
					return nil, err
				}
				top.node.branches = append(top.node.branches, ifBranch{cond: cond, line: tagLine})
				body = &top.node.branches[len(top.node.branches)-1].body
			case "else":
				if len(open) == 0 {
					return nil, errorAt(tagLine, "{%% else %%} without {%% if %%}")
				}
				if len(rest) > 0 {
					return nil, errorAt(tagLine, "unexpected %s after else (write elif for a condition)", rest[0].describe())
				}
				top := &open[len(open)-1]
				if top.sawElse {
					return nil, errorAt(tagLine, "second {%% else %%} for the if at line %d", top.node.line)
				}
				top.sawElse = true
				top.node.otherwise = []templateNode{}
				body = &top.node.otherwise
			case "endif":
				if len(open) == 0 {
					return nil, errorAt(tagLine, "{%% endif %%} without {%% if %%}")
				}
				if len(rest) > 0 {
					return nil, errorAt(tagLine, "unexpected %s after endif", rest[0].describe())
				}
				body = open[len(open)-1].outer
				open = open[:len(open)-1]
			default:
				if unsupportedTags[word] {
					return nil, errorAt(tagLine, "unsupported in backend.toml templates: %s", word)
				}
				return nil, errorAt(tagLine, "unknown tag %q (supported: if, elif, else, endif)", word)
			}
		}
	}
	if len(open) > 0 {
		return nil, errorAt(open[len(open)-1].node.line, "{%% if %%} without {%% endif %%}")
	}
	return root, nil
}

// nextTagStart is the index of the next "{{", "{%" or "{#" at or after from,
// or -1.
func nextTagStart(src string, from int) int {
	for from < len(src) {
		i := strings.IndexByte(src[from:], '{')
		if i < 0 || from+i+1 >= len(src) {
			return -1
		}
		at := from + i
		switch src[at+1] {
		case '{', '%', '#':
			return at
		}
		from = at + 1
	}
	return -1
}

func (p *templateParser) advanceTo(pos int) {
	p.line += strings.Count(p.src[p.pos:pos], "\n")
	p.pos = pos
}

// skipComment moves past a comment whose "{#" (and "-") have been read.
func (p *templateParser) skipComment(tagLine int) (trimAfter bool, err error) {
	end := strings.Index(p.src[p.pos:], "#}")
	if end < 0 {
		return false, errorAt(tagLine, "{# comment is never closed with #}")
	}
	end += p.pos
	trimAfter = end > p.pos && p.src[end-1] == '-'
	p.advanceTo(end + 2)
	return trimAfter, nil
}

type tokenKind int

const (
	identToken tokenKind = iota
	stringToken
	numberToken
	punctToken // . ( ) , = == != | ~
)

type token struct {
	kind tokenKind
	text string
	line int
}

func (t token) describe() string {
	if t.kind == stringToken {
		return fmt.Sprintf("string %q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

// tokenize reads the tokens of a {{ }} or {% %} tag up to its closer, which
// it consumes. Strings are read whole, so a "}}" inside quotes does not end
// the tag.
func (p *templateParser) tokenize(opener, closer string, tagLine int) (toks []token, trimAfter bool, err error) {
	wrongCloser := "%}"
	if closer == "%}" {
		wrongCloser = "}}"
	}
	where := func() string {
		if p.line != tagLine {
			// Usually the tag was never closed and this is ordinary text.
			return fmt.Sprintf(" (inside the %s opened at line %d and not closed yet)", opener, tagLine)
		}
		return ""
	}
	for {
		for p.pos < len(p.src) && isSpaceByte(p.src[p.pos]) {
			if p.src[p.pos] == '\n' {
				p.line++
			}
			p.pos++
		}
		if p.pos >= len(p.src) {
			return nil, false, errorAt(tagLine, "%s is never closed with %s", opener, closer)
		}
		rest := p.src[p.pos:]
		switch {
		case strings.HasPrefix(rest, "-"+closer):
			p.pos += 3
			return toks, true, nil
		case strings.HasPrefix(rest, closer):
			p.pos += 2
			return toks, false, nil
		case strings.HasPrefix(rest, wrongCloser), strings.HasPrefix(rest, "-"+wrongCloser):
			return nil, false, errorAt(tagLine, "%s is closed with %s; want %s", opener, wrongCloser, closer)
		}
		c := rest[0]
		switch {
		case c == '"' || c == '\'' || c == '`':
			end := strings.IndexByte(rest[1:], c)
			if end < 0 {
				return nil, false, errorAt(p.line, "string is never closed with %c%s", c, where())
			}
			toks = append(toks, token{kind: stringToken, text: rest[1 : 1+end], line: p.line})
			p.advanceTo(p.pos + end + 2)
		case c == '_' || isLetter(c):
			n := 1
			for n < len(rest) && (rest[n] == '_' || isLetter(rest[n]) || isDigit(rest[n])) {
				n++
			}
			toks = append(toks, token{kind: identToken, text: rest[:n], line: p.line})
			p.pos += n
		case isDigit(c):
			n := 1
			for n < len(rest) && isDigit(rest[n]) {
				n++
			}
			if n+1 < len(rest) && rest[n] == '.' && isDigit(rest[n+1]) {
				n += 2
				for n < len(rest) && isDigit(rest[n]) {
					n++
				}
			}
			toks = append(toks, token{kind: numberToken, text: rest[:n], line: p.line})
			p.pos += n
		case strings.HasPrefix(rest, "==") || strings.HasPrefix(rest, "!="):
			toks = append(toks, token{kind: punctToken, text: rest[:2], line: p.line})
			p.pos += 2
		case strings.IndexByte(".(),=|~", c) >= 0:
			toks = append(toks, token{kind: punctToken, text: rest[:1], line: p.line})
			p.pos++
		case c == '{' || c == '}' || c == '%':
			return nil, false, errorAt(p.line, "unexpected %q inside %s %s%s", string(c), opener, closer, where())
		default:
			r, _ := utf8.DecodeRuneInString(rest)
			return nil, false, errorAt(p.line, "unsupported in backend.toml templates: %q%s", string(r), where())
		}
	}
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isLetter(c byte) bool    { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool     { return c >= '0' && c <= '9' }

// ---- expressions ----

type expr interface{ expr() }

type literalExpr struct{ value value }

type pathExpr struct{ parts []string }

type callExpr struct {
	name string
	args map[string]expr
}

type filterExpr struct {
	input expr
	name  string
	args  map[string]expr
}

type concatExpr struct{ parts []expr }

type compareExpr struct {
	left, right expr
	notEqual    bool
}

type notExpr struct{ operand expr }

type logicExpr struct {
	and         bool // else or
	left, right expr
}

func (*literalExpr) expr() {}
func (*pathExpr) expr()    {}
func (*callExpr) expr()    {}
func (*filterExpr) expr()  {}
func (*concatExpr) expr()  {}
func (*compareExpr) expr() {}
func (*notExpr) expr()     {}
func (*logicExpr) expr()   {}

// signature lists the named arguments of a function or filter.
type signature struct{ required, optional []string }

var templateFunctions = map[string]signature{
	"env":        {required: []string{"name"}, optional: []string{"default"}},
	"is_windows": {},
	"is_linux":   {},
	"is_mac":     {},
}

var templateFilters = map[string]signature{
	"default": {required: []string{"value"}},
	"lower":   {},
	"upper":   {},
	"trim":    {},
	"replace": {required: []string{"from", "to"}},
}

type exprParser struct {
	toks  []token
	pos   int
	depth int
	what  string // "{{ }}", "{% if %}", for messages
	line  int    // of the tag, for errors at its end
}

func parseExpression(toks []token, what string, line int) (expr, error) {
	if len(toks) == 0 {
		return nil, errorAt(line, "empty %s", what)
	}
	p := &exprParser{toks: toks, what: what, line: line}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		return nil, p.unexpected(p.toks[p.pos])
	}
	return e, nil
}

func (p *exprParser) unexpected(t token) error {
	if t.kind == identToken && (t.text == "is" || t.text == "in" || t.text == "if") {
		return errorAt(t.line, "unsupported in backend.toml templates: %s", t.text)
	}
	return errorAt(t.line, "unexpected %s in %s", t.describe(), p.what)
}

func (p *exprParser) atPunct(text string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == punctToken && p.toks[p.pos].text == text
}

func (p *exprParser) atWord(text string) bool {
	return p.pos < len(p.toks) && p.toks[p.pos].kind == identToken && p.toks[p.pos].text == text
}

// next returns the next token; ok is false at the end of the tag.
func (p *exprParser) next() (t token, ok bool) {
	if p.pos >= len(p.toks) {
		return token{line: p.line}, false
	}
	p.pos++
	return p.toks[p.pos-1], true
}

func (p *exprParser) lineNow() int {
	if p.pos < len(p.toks) {
		return p.toks[p.pos].line
	}
	return p.line
}

// enter guards every recursion (parentheses, not, arguments).
func (p *exprParser) enter() error {
	p.depth++
	if p.depth > maxNesting {
		return errorAt(p.lineNow(), "expression nested more than %d deep", maxNesting)
	}
	return nil
}

func (p *exprParser) leave() { p.depth-- }

// Precedence, loosest first: or, and, not, == !=, | filter, ~, values.
// This is Tera's order: `a ~ b | upper` upper-cases the whole join.
func (p *exprParser) parseOr() (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for p.atWord("or") {
		p.pos++
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &logicExpr{left: left, right: right}
	}
	return left, nil
}

func (p *exprParser) parseAnd() (expr, error) {
	left, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	for p.atWord("and") {
		p.pos++
		right, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		left = &logicExpr{and: true, left: left, right: right}
	}
	return left, nil
}

func (p *exprParser) parseNot() (expr, error) {
	if !p.atWord("not") {
		return p.parseComparison()
	}
	p.pos++
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	operand, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return &notExpr{operand: operand}, nil
}

func (p *exprParser) parseComparison() (expr, error) {
	left, err := p.parseFiltered()
	if err != nil {
		return nil, err
	}
	if !p.atPunct("==") && !p.atPunct("!=") {
		return left, nil
	}
	op, _ := p.next()
	right, err := p.parseFiltered()
	if err != nil {
		return nil, err
	}
	return &compareExpr{left: left, right: right, notEqual: op.text == "!="}, nil
}

func (p *exprParser) parseFiltered() (expr, error) {
	e, err := p.parseConcat()
	if err != nil {
		return nil, err
	}
	for p.atPunct("|") {
		p.pos++
		name, ok := p.next()
		if !ok || name.kind != identToken {
			return nil, errorAt(name.line, "expected a filter name after | in %s", p.what)
		}
		sig, known := templateFilters[name.text]
		if !known {
			return nil, errorAt(name.line, "unknown filter %q (supported: default, lower, upper, trim, replace)", name.text)
		}
		args := map[string]expr{}
		if p.atPunct("(") {
			p.pos++
			if args, err = p.parseArgs("filter "+name.text, sig); err != nil {
				return nil, err
			}
		} else if err := checkArgs("filter "+name.text, sig, args, name.line); err != nil {
			return nil, err
		}
		e = &filterExpr{input: e, name: name.text, args: args}
	}
	return e, nil
}

func (p *exprParser) parseConcat() (expr, error) {
	first, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	if !p.atPunct("~") {
		return first, nil
	}
	parts := []expr{first}
	for p.atPunct("~") {
		p.pos++
		part, err := p.parsePrimary()
		if err != nil {
			return nil, err
		}
		parts = append(parts, part)
	}
	return &concatExpr{parts: parts}, nil
}

func (p *exprParser) parsePrimary() (expr, error) {
	t, ok := p.next()
	if !ok {
		return nil, errorAt(t.line, "%s ends where a value is expected", p.what)
	}
	switch t.kind {
	case stringToken:
		return &literalExpr{value: stringValueOf(t.text)}, nil
	case numberToken:
		n, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, errorAt(t.line, "bad number %q", t.text)
		}
		return &literalExpr{value: value{kind: numberValue, text: t.text, number: n}}, nil
	case punctToken:
		if t.text != "(" {
			return nil, p.unexpected(t)
		}
		e, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if !p.atPunct(")") {
			if p.pos < len(p.toks) {
				return nil, p.unexpected(p.toks[p.pos])
			}
			return nil, errorAt(t.line, "( is never closed with ) in %s", p.what)
		}
		p.pos++
		return e, nil
	}
	switch t.text {
	case "true", "True":
		return &literalExpr{value: boolValueOf(true)}, nil
	case "false", "False":
		return &literalExpr{value: boolValueOf(false)}, nil
	case "and", "or", "not":
		return nil, p.unexpected(t)
	}
	if p.atPunct("(") {
		p.pos++
		sig, known := templateFunctions[t.text]
		if !known {
			return nil, errorAt(t.line, "unknown function %q (supported: env, is_windows, is_linux, is_mac)", t.text)
		}
		args, err := p.parseArgs(t.text+"()", sig)
		if err != nil {
			return nil, err
		}
		return &callExpr{name: t.text, args: args}, nil
	}
	if t.text == "is" || t.text == "in" || t.text == "if" {
		return nil, p.unexpected(t)
	}
	parts := []string{t.text}
	for p.atPunct(".") {
		p.pos++
		part, ok := p.next()
		if !ok || part.kind != identToken {
			return nil, errorAt(part.line, "expected a name after %q in %s", strings.Join(parts, ".")+".", p.what)
		}
		parts = append(parts, part.text)
	}
	return &pathExpr{parts: parts}, nil
}

// parseArgs reads `name=expr, …)` after the "(" and checks them against sig.
func (p *exprParser) parseArgs(owner string, sig signature) (map[string]expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	args := map[string]expr{}
	openLine := p.lineNow()
	for !p.atPunct(")") {
		name, ok := p.next()
		if !ok {
			return nil, errorAt(name.line, "%s: ( is never closed with )", owner)
		}
		if name.kind != identToken || !p.atPunct("=") {
			return nil, errorAt(name.line, "%s takes named arguments, like env(name=\"HOME\")", owner)
		}
		p.pos++ // =
		if _, dup := args[name.text]; dup {
			return nil, errorAt(name.line, "%s: argument %s given twice", owner, name.text)
		}
		if !contains(sig.required, name.text) && !contains(sig.optional, name.text) {
			return nil, errorAt(name.line, "%s has no argument %q", owner, name.text)
		}
		v, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		args[name.text] = v
		if p.atPunct(",") {
			p.pos++
			continue
		}
		if !p.atPunct(")") {
			if p.pos < len(p.toks) {
				return nil, p.unexpected(p.toks[p.pos])
			}
			return nil, errorAt(openLine, "%s: ( is never closed with )", owner)
		}
	}
	p.pos++ // )
	return args, checkArgs(owner, sig, args, openLine)
}

func checkArgs(owner string, sig signature, args map[string]expr, line int) error {
	for _, name := range sig.required {
		if _, ok := args[name]; !ok {
			return errorAt(line, "%s needs the argument %s=", owner, name)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, item := range list {
		if item == s {
			return true
		}
	}
	return false
}

// ---- evaluation ----

type valueKind int

const (
	undefinedValue valueKind = iota // a variable that does not exist
	stringValue
	numberValue
	boolValue
	compositeValue // a table or array from [vars]: it can be tested, not inserted
)

type value struct {
	kind   valueKind
	text   string // how it is inserted
	number float64
	truth  bool   // the bool; for a composite, whether it is non-empty
	name   string // for undefined and composite values, the variable, for messages
}

func stringValueOf(s string) value { return value{kind: stringValue, text: s} }

func boolValueOf(b bool) value { return value{kind: boolValue, text: strconv.FormatBool(b), truth: b} }

// truthy is Tera's truthiness: an empty string, false, 0, an empty table
// and a variable that does not exist are false.
func (v value) truthy() bool {
	switch v.kind {
	case stringValue:
		return v.text != ""
	case numberValue:
		return v.number != 0
	case boolValue, compositeValue:
		return v.truth
	}
	return false
}

// valueOf converts what the TOML decoder produced.
func valueOf(x any, name string) value {
	switch x := x.(type) {
	case string:
		return stringValueOf(x)
	case bool:
		return boolValueOf(x)
	case int64:
		return value{kind: numberValue, text: strconv.FormatInt(x, 10), number: float64(x)}
	case float64:
		return value{kind: numberValue, text: strconv.FormatFloat(x, 'f', -1, 64), number: x}
	case time.Time:
		// The decoder marks TOML's local date/time kinds by zone name.
		switch x.Location().String() {
		case "date-local":
			return stringValueOf(x.Format("2006-01-02"))
		case "time-local":
			return stringValueOf(x.Format("15:04:05.999999999"))
		case "datetime-local":
			return stringValueOf(x.Format("2006-01-02T15:04:05.999999999"))
		}
		return stringValueOf(x.Format(time.RFC3339Nano))
	case map[string]any:
		return value{kind: compositeValue, truth: len(x) > 0, name: name}
	case []any:
		return value{kind: compositeValue, truth: len(x) > 0, name: name}
	case []map[string]any:
		return value{kind: compositeValue, truth: len(x) > 0, name: name}
	}
	return stringValueOf(fmt.Sprint(x))
}

type evaluator struct {
	ctx *Context
}

// templateOutput collects rendered text and, per output line, the source
// line it came from.
type templateOutput struct {
	text        strings.Builder
	sourceLines []int
	lineStarted bool // the current output line's source is recorded
	budget      *int // bytes left, shared by the renders of one [vars] round
}

// write appends s, which starts at source line line. followsSource says
// whether s is file text, whose newlines advance the source line, or an
// inserted value, whose lines all belong to its tag.
func (o *templateOutput) write(s string, line int, followsSource bool) error {
	if len(s) > *o.budget {
		return fmt.Errorf("rendered text is larger than %d KiB (does a [vars] value refer to itself?)", maxRenderedBytes>>10)
	}
	*o.budget -= len(s)
	for s != "" {
		if !o.lineStarted {
			o.sourceLines = append(o.sourceLines, line)
			o.lineStarted = true
		}
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			o.text.WriteString(s)
			return nil
		}
		o.text.WriteString(s[:i+1])
		s = s[i+1:]
		o.lineStarted = false
		if followsSource {
			line++
		}
	}
	return nil
}

func (ev *evaluator) render(nodes []templateNode, out *templateOutput) error {
	for _, n := range nodes {
		switch n := n.(type) {
		case *textNode:
			if err := out.write(n.text, n.line, true); err != nil {
				return errorAt(n.line, "%s", err)
			}
		case *outputNode:
			v, err := ev.evalInsertable(n.expr)
			if err == nil {
				err = out.write(v.text, n.line, false)
			}
			if err != nil {
				return errorAt(n.line, "%s", err)
			}
		case *ifNode:
			chosen := n.otherwise
			for _, branch := range n.branches {
				ok, err := ev.truth(branch.cond)
				if err != nil {
					return errorAt(branch.line, "%s", err)
				}
				if ok {
					chosen = branch.body
					break
				}
			}
			if err := ev.render(chosen, out); err != nil {
				return err
			}
		}
	}
	return nil
}

// truth evaluates a condition. A variable that does not exist is false
// here, as in Tera, so `{% if vars.proxy %}` works without a default.
func (ev *evaluator) truth(e expr) (bool, error) {
	switch e := e.(type) {
	case *notExpr:
		ok, err := ev.truth(e.operand)
		return !ok, err
	case *logicExpr:
		left, err := ev.truth(e.left)
		if err != nil || left != e.and {
			return left, err // or: true decides; and: false decides
		}
		return ev.truth(e.right)
	}
	v, err := ev.eval(e)
	return v.truthy(), err
}

// evalDefined is eval for places where a missing variable is an error.
func (ev *evaluator) evalDefined(e expr) (value, error) {
	v, err := ev.eval(e)
	if err == nil && v.kind == undefinedValue {
		err = unknownVariable(v.name)
	}
	return v, err
}

// evalInsertable is evalDefined for places that need text.
func (ev *evaluator) evalInsertable(e expr) (value, error) {
	v, err := ev.evalDefined(e)
	if err == nil && v.kind == compositeValue {
		err = fmt.Errorf("%s is a table or array; only strings, numbers and booleans can be used here", v.name)
	}
	return v, err
}

func unknownVariable(name string) error {
	root, _, _ := strings.Cut(name, ".")
	switch root {
	case "vars":
		return fmt.Errorf("unknown variable %s (no such key in [vars])", name)
	case "system":
		return fmt.Errorf("unknown variable %s (system has os, arch, user, host, cwd)", name)
	}
	return fmt.Errorf("unknown variable %s (variables are vars.* and system.*)", name)
}

func (ev *evaluator) eval(e expr) (value, error) {
	switch e := e.(type) {
	case *literalExpr:
		return e.value, nil
	case *pathExpr:
		return ev.lookup(e.parts), nil
	case *callExpr:
		return ev.call(e)
	case *filterExpr:
		return ev.filter(e)
	case *concatExpr:
		var joined strings.Builder
		for _, part := range e.parts {
			v, err := ev.evalInsertable(part)
			if err != nil {
				return value{}, err
			}
			if joined.Len()+len(v.text) > maxRenderedBytes {
				return value{}, errors.New("joined string is longer than 1 MiB")
			}
			joined.WriteString(v.text)
		}
		return stringValueOf(joined.String()), nil
	case *compareExpr:
		left, err := ev.evalInsertable(e.left)
		if err != nil {
			return value{}, err
		}
		right, err := ev.evalInsertable(e.right)
		if err != nil {
			return value{}, err
		}
		equal := left.kind == right.kind && (left.kind == numberValue && left.number == right.number ||
			left.kind != numberValue && left.text == right.text)
		return boolValueOf(equal != e.notEqual), nil
	case *notExpr, *logicExpr:
		ok, err := ev.truth(e)
		return boolValueOf(ok), err
	}
	return value{}, fmt.Errorf("internal error: unknown expression %T", e)
}

func (ev *evaluator) lookup(parts []string) value {
	name := strings.Join(parts, ".")
	var current any
	switch parts[0] {
	case "vars":
		current = ev.ctx.Vars
	case "system":
		s := ev.ctx.System
		current = map[string]any{"os": s.OS, "arch": s.Arch, "user": s.User, "host": s.Host, "cwd": s.Cwd}
	default:
		return value{kind: undefinedValue, name: name}
	}
	for _, part := range parts[1:] {
		table, ok := current.(map[string]any)
		if !ok {
			return value{kind: undefinedValue, name: name}
		}
		if current, ok = table[part]; !ok {
			return value{kind: undefinedValue, name: name}
		}
	}
	return valueOf(current, name)
}

func (ev *evaluator) call(c *callExpr) (value, error) {
	switch c.name {
	case "env":
		name, err := ev.evalInsertable(c.args["name"])
		if err != nil {
			return value{}, err
		}
		if ev.ctx.Env != nil {
			if v, ok := ev.ctx.Env(name.text); ok {
				return stringValueOf(v), nil
			}
		}
		if fallback, ok := c.args["default"]; ok {
			return ev.evalDefined(fallback)
		}
		return value{}, fmt.Errorf("environment variable %q is not set (give env() a default: env(name=%q, default=\"…\"))", name.text, name.text)
	case "is_windows":
		return boolValueOf(ev.ctx.System.OS == "windows"), nil
	case "is_linux":
		return boolValueOf(ev.ctx.System.OS == "linux"), nil
	case "is_mac":
		return boolValueOf(ev.ctx.System.OS == "macos"), nil
	}
	return value{}, fmt.Errorf("unknown function %q", c.name) // the parser already refused it
}

func (ev *evaluator) filter(f *filterExpr) (value, error) {
	if f.name == "default" {
		// Only a missing variable takes the default; an empty string is a
		// value, as in Tera.
		in, err := ev.eval(f.input)
		if err != nil || in.kind != undefinedValue {
			return in, err
		}
		return ev.evalDefined(f.args["value"])
	}
	in, err := ev.evalInsertable(f.input)
	if err != nil {
		return value{}, err
	}
	switch f.name {
	case "lower":
		return stringValueOf(strings.ToLower(in.text)), nil
	case "upper":
		return stringValueOf(strings.ToUpper(in.text)), nil
	case "trim":
		return stringValueOf(strings.TrimSpace(in.text)), nil
	case "replace":
		from, err := ev.evalInsertable(f.args["from"])
		if err != nil {
			return value{}, err
		}
		to, err := ev.evalInsertable(f.args["to"])
		if err != nil {
			return value{}, err
		}
		// Checked before building it: replacing "" inserts `to` between
		// every character.
		count := strings.Count(in.text, from.text)
		if len(in.text)+count*(len(to.text)-len(from.text)) > maxRenderedBytes {
			return value{}, errors.New("replace() result is longer than 1 MiB")
		}
		return stringValueOf(strings.ReplaceAll(in.text, from.text, to.text)), nil
	}
	return value{}, fmt.Errorf("unknown filter %q", f.name) // the parser already refused it
}

// firstLine keeps error messages to one line.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
