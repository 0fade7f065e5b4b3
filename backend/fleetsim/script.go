package fleetsim

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// The simulator language. A script whose every non-blank line (ignoring
// '#' comments) starts with one of these keywords is interpreted instead of
// being treated as an ordinary script:
//
//	echo <text>     append text+"\n" to stdout
//	stderr <text>   append text+"\n" to stderr
//	sleep <d>       wait d: seconds ("2", "0.5") or a duration ("300ms", "1h 30m"), times TimeScale
//	exit <n>        stop with exit code n
//	fail [text]     append text (default "simulated failure") to stderr, stop with exit code 1
//	progress <d>    a long-running step: one line of progress a second for d (times TimeScale),
//	                so the live tail (job.tail.<pc>) has something to show
//
// Keywords are case-insensitive. The script ends with exit code 0 after its
// last line. Output is timed: a run killed or timed out in the middle
// reports only what was written before that moment.
type dslPlan struct {
	steps []dslStep
	dur   time.Duration
	exit  int32
}

type dslStep struct {
	at             time.Duration
	stdout, stderr string
}

func parseDSL(script string, cfg *Config) *dslPlan {
	lines := strings.Split(script, "\n")
	keyword := false
	for _, l := range lines {
		w, _ := splitWord(l)
		switch w {
		case "", "#":
		case "echo", "stderr", "sleep", "exit", "fail", "progress":
			keyword = true
		default:
			if strings.HasPrefix(w, "#") {
				continue
			}
			return nil
		}
	}
	if !keyword {
		return nil
	}
	p := &dslPlan{}
	var t time.Duration
	stop := func(code int32, stderr string) *dslPlan {
		if stderr != "" {
			p.steps = append(p.steps, dslStep{at: t, stderr: stderr})
		}
		p.dur, p.exit = t, code
		return p
	}
	for _, l := range lines {
		w, rest := splitWord(l)
		switch w {
		case "echo":
			p.steps = append(p.steps, dslStep{at: t, stdout: rest + "\n"})
		case "stderr":
			p.steps = append(p.steps, dslStep{at: t, stderr: rest + "\n"})
		case "sleep":
			d, ok := parseSleep(rest)
			if !ok {
				return stop(1, fmt.Sprintf("sleep: invalid duration %q\n", rest))
			}
			t += cfg.scale(d)
		case "progress":
			d, ok := parseSleep(rest)
			if !ok {
				return stop(1, fmt.Sprintf("progress: invalid duration %q\n", rest))
			}
			n := int(min(d/time.Second, maxProgressLines))
			for i := 1; i <= n; i++ {
				t += cfg.scale(time.Second)
				p.steps = append(p.steps, dslStep{at: t, stdout: fmt.Sprintf("progress %d/%d: step %d done (%d%%)\n", i, n, i, i*100/n)})
			}
			t += cfg.scale(d - time.Duration(n)*time.Second)
		case "exit":
			n, err := strconv.ParseInt(rest, 10, 32)
			if err != nil {
				return stop(1, fmt.Sprintf("exit: invalid exit code %q\n", rest))
			}
			return stop(int32(n), "")
		case "fail":
			if rest == "" {
				rest = "simulated failure"
			}
			return stop(1, rest+"\n")
		}
	}
	return stop(0, "")
}

// maxProgressLines bounds the lines of one progress step (a day of seconds).
const maxProgressLines = 86400

// splitWord returns the lower-cased first word of a line and the trimmed rest.
func splitWord(line string) (string, string) {
	line = strings.TrimSpace(line)
	i := strings.IndexAny(line, " \t")
	if i < 0 {
		return strings.ToLower(line), ""
	}
	return strings.ToLower(line[:i]), strings.TrimSpace(line[i+1:])
}

func parseSleep(s string) (time.Duration, bool) {
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f < 0 || f > 1e9 {
			return 0, false
		}
		return time.Duration(f * float64(time.Second)), true
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return d, true
	}
	if d, err := wire.ParseDuration(s); err == nil {
		return d, true
	}
	return 0, false
}

// output is what the script wrote up to elapsed (everything when all).
func (p *dslPlan) output(elapsed time.Duration, all bool) (string, string) {
	var out, errOut strings.Builder
	for _, s := range p.steps {
		if !all && s.at > elapsed {
			break
		}
		out.WriteString(s.stdout)
		errOut.WriteString(s.stderr)
	}
	return out.String(), errOut.String()
}

// outputSoFar is what a running run has written by now: a simulator-
// language script's timed lines; an ordinary script prints at its end.
func (f *Fleet) outputSoFar(r *run, now time.Time) (string, string) {
	if r.ci.dsl == nil {
		return "", ""
	}
	return r.ci.dsl.output(now.Sub(r.startedAt), false)
}

// ringTail is what a ring buffer of max bytes keeps of s: its suffix, cut
// forward to a UTF-8 character start, and whether anything was dropped.
func ringTail(s string, max int) (string, bool) {
	if len(s) <= max {
		return s, false
	}
	s = s[len(s)-max:]
	i := 0
	for i < len(s) && i < utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i++ // the continuation bytes of a character cut in two
	}
	return s[i:], true
}

// failureCodes are the non-zero exit codes of simulated failures.
var failureCodes = []int32{1, 1, 1, 2, 5, 1603}

var failureMessages = []string{
	"Access is denied.",
	"The system cannot find the file specified.",
	"The operation timed out.",
	"The RPC server is unavailable.",
	"Another installation is already in progress.",
}

// randomOutcome is the duration and exit code of an ordinary script.
func (f *Fleet) randomOutcome(seed uint64) (time.Duration, int32) {
	rng := rand.New(rand.NewPCG(seed, 2))
	cfg := &f.cfg
	d := cfg.RunTimeMin
	if span := cfg.RunTimeMax - cfg.RunTimeMin; span > 0 {
		d += time.Duration(rng.Int64N(int64(span)))
	}
	var exit int32
	if cfg.FailureRate > 0 && rng.Float64() < cfg.FailureRate {
		exit = failureCodes[rng.IntN(len(failureCodes))]
	}
	return cfg.scale(d), exit
}

type endReason uint8

const (
	endNormal endReason = iota
	endTimeout
	endKilled
)

// result builds the ExecResult of a run that ended at `at`.
func (f *Fleet) result(r *run, reason endReason, at time.Time) wire.ExecResult {
	cmd := &r.ci.cmd
	exit := r.exit
	var stdout, stderr string
	switch {
	case r.ci.dsl != nil:
		stdout, stderr = r.ci.dsl.output(at.Sub(r.startedAt), reason == endNormal)
	case reason == endNormal:
		stdout, stderr = f.ordinaryOutput(r, at)
	}
	switch reason {
	case endTimeout:
		exit = wire.ExitCodeKilledOrTimeout
		stderr = appendLine(stderr, fmt.Sprintf("timeout after %ds", cmd.TimeoutSecs))
	case endKilled:
		exit = wire.ExitCodeKilledOrTimeout
		stderr = appendLine(stderr, "killed by remote signal ("+wire.SubjectKill(*cmd.ExecID)+")")
	}
	id := r.resultID
	if id == "" {
		id = uuid.NewString()
	}
	return wire.ExecResult{
		ResultID:   id,
		RequestID:  cmd.RequestID,
		ExecID:     cmd.ExecID,
		PCID:       r.a.id,
		ExitCode:   exit,
		Stdout:     stdout,
		Stderr:     stderr,
		StartedAt:  r.startedAt,
		FinishedAt: at,
		ManifestID: r.ci.manifest,
	}
}

// deadlineResult is the synthetic skip result for a Command received after
// its deadline_at: exit 125, empty stdout, started_at == finished_at.
func (f *Fleet) deadlineResult(a *agent, ci *cmdInfo) wire.ExecResult {
	cmd := &ci.cmd
	late := ci.recv.Sub(*cmd.DeadlineAt)
	if late >= time.Second {
		late = late.Truncate(time.Second)
	} else {
		late = late.Truncate(time.Millisecond)
	}
	return wire.ExecResult{
		ResultID:  uuid.NewString(),
		RequestID: cmd.RequestID,
		ExecID:    cmd.ExecID,
		PCID:      a.id,
		ExitCode:  wire.ExitCodeDeadlineSkipped,
		Stderr: fmt.Sprintf("skipped: starting deadline expired %s ago (deadline %s, received %s)",
			wire.FormatDuration(late), wire.FormatTime(*cmd.DeadlineAt), wire.FormatTime(ci.recv)),
		StartedAt:  ci.recv,
		FinishedAt: ci.recv,
		ManifestID: ci.manifest,
		Skipped:    f.cfg.PublishStartedEvents, // newer agents flag their skips
	}
}

func appendLine(s, line string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s + line
}

// ordinaryOutput is the output of a script the simulator does not
// interpret: inventory facts as a JSON object when the job has an inventory
// hint, otherwise one plausible line plus the configured padding.
func (f *Fleet) ordinaryOutput(r *run, at time.Time) (string, string) {
	pc := r.a.id
	if r.exit != 0 {
		msg := failureMessages[int(r.seed>>8)%len(failureMessages)]
		return "", fmt.Sprintf("simulated failure on %s (exit %d): %s\n", pc, r.exit, msg)
	}
	if h := r.ci.hint; h != nil {
		return inventoryJSON(pc, h, &f.cfg, at), ""
	}
	return fmt.Sprintf("[%s] %s: ok in %dms\n", pc, scriptSummary(r.ci.cmd.Script), at.Sub(r.startedAt).Milliseconds()) + f.padding, ""
}

// scriptSummary is the first meaningful line of a script, shortened.
func scriptSummary(script string) string {
	for _, l := range strings.Split(script, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			if len(l) > 48 {
				l = l[:45] + "..."
			}
			return l
		}
	}
	return "(empty script)"
}

// padding builds n bytes of filler lines.
func padding(n int) string {
	if n <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for i := 1; b.Len() < n; i++ {
		line := fmt.Sprintf("padding %06d lorem ipsum dolor sit amet consectetur\n", i)
		if rest := n - b.Len(); len(line) > rest {
			line = line[:rest-1] + "\n"
		}
		b.WriteString(line)
	}
	return b.String()
}

// ---- inventory facts ----

// inventoryJSON renders a JSON object with one plausible fact for every
// display and summary field of the hint, stable per (pc, field).
func inventoryJSON(pc string, h *wire.InventoryHint, cfg *Config, now time.Time) string {
	var b strings.Builder
	b.WriteByte('{')
	seen := map[string]bool{}
	for _, fields := range [][]wire.DisplayField{h.Display, h.Summary} {
		for _, fd := range fields {
			if seen[fd.Field] || h.ExplodeByField(fd.Field) != nil {
				continue // an explode field gets its array below
			}
			seen[fd.Field] = true
			if len(seen) > 1 {
				b.WriteByte(',')
			}
			key, _ := wire.Marshal(fd.Field)
			val, err := wire.Marshal(factValue(pc, fd, cfg, now))
			if err != nil {
				val = []byte("null")
			}
			b.Write(key)
			b.WriteByte(':')
			b.Write(val)
		}
	}
	// kanade v0.31/v0.35: the history scalars and explode arrays too.
	for _, f := range h.HistoryScalars {
		if !seen[f] {
			seen[f] = true
			if len(seen) > 1 {
				b.WriteByte(',')
			}
			key, _ := wire.Marshal(f)
			val, _ := wire.Marshal(factValue(pc, wire.DisplayField{Field: f}, cfg, now))
			b.Write(key)
			b.WriteByte(':')
			b.Write(val)
		}
	}
	for _, spec := range h.Explode {
		if !seen[spec.Field] {
			seen[spec.Field] = true
			if len(seen) > 1 {
				b.WriteByte(',')
			}
			key, _ := wire.Marshal(spec.Field)
			b.Write(key)
			b.WriteByte(':')
			b.WriteString(explodeArray(pc, spec, cfg, now))
		}
	}
	b.WriteByte('}')
	return b.String()
}

const gib = 1 << 30

func factValue(pc string, fd wire.DisplayField, cfg *Config, now time.Time) any {
	h := runSeed(cfg.Seed, pc, fd.Field)
	pick := func(choices ...string) string { return choices[h%uint64(len(choices))] }
	pickN := func(choices ...uint64) uint64 { return choices[h%uint64(len(choices))] }
	n := strings.NewReplacer("_", "", "-", "", " ", "").Replace(strings.ToLower(fd.Field))
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(n, s) {
				return true
			}
		}
		return false
	}
	kind := ""
	if fd.Type != nil {
		kind = *fd.Type
	}
	switch kind {
	case "bytes":
		switch {
		case has("ram", "mem"):
			return pickN(8, 16, 16, 32, 64) * gib
		case has("free", "avail"):
			return (20 + h%400) * gib
		case has("disk", "size", "capacity", "storage", "total"):
			return pickN(256, 512, 512, 1024) * gib
		}
		return (1 + h%64) * gib
	case "number":
		switch {
		case has("core", "cpu", "processor", "thread"):
			return pickN(4, 8, 8, 12, 16)
		case has("ram", "mem"):
			return pickN(8, 16, 16, 32)
		case has("percent", "pct", "usage", "load"):
			return h % 100
		case has("uptime"):
			return h % (30 * 86400)
		}
		return h % 1000
	case "timestamp":
		return wire.FormatTime(now.Add(-time.Duration(h%(30*86400)) * time.Second).Truncate(time.Second))
	}
	switch {
	case has("host", "computer", "machine", "device", "pcname", "csname") || n == "name" || n == "pc" || n == "pcid":
		return pc
	case strings.HasPrefix(n, "os") && has("version"), has("windowsversion"):
		return pick("10.0.22631", "10.0.19045", "10.0.26100")
	case strings.HasPrefix(n, "os") && has("build"), has("build"):
		return pick("22631", "19045", "26100")
	case strings.HasPrefix(n, "os"), has("caption", "operatingsystem"):
		return pick("Microsoft Windows 11 Pro", "Microsoft Windows 11 Enterprise", "Microsoft Windows 10 Enterprise")
	case has("agent") && has("version"):
		return cfg.AgentVersion
	case has("bios"):
		return pick("1.24.0", "1.19.1", "2.3.0", "N3GET67W (1.47)")
	case has("version"):
		return fmt.Sprintf("1.%d.%d", h%10, (h>>8)%20)
	case has("manufacturer", "vendor", "make"):
		return pick("LENOVO", "Dell Inc.", "HP", "Microsoft Corporation")
	case has("model"):
		return pick("ThinkPad T14 Gen 3", "Latitude 5440", "EliteBook 840 G9", "Surface Laptop 5")
	case has("serial"):
		return fmt.Sprintf("PF%08X", uint32(h))
	case has("mac"):
		return fmt.Sprintf("00-1A-%02X-%02X-%02X-%02X", byte(h), byte(h>>8), byte(h>>16), byte(h>>24))
	case has("ip", "address"):
		return fmt.Sprintf("10.%d.%d.%d", 10+h%20, (h>>8)%250, 1+(h>>16)%250)
	case has("domain"):
		return "corp.example.com"
	case has("user", "logon", "owner"):
		return fmt.Sprintf(`CORP\user%03d`, h%1000)
	case has("cpu", "processor"):
		return pick("Intel(R) Core(TM) i5-1245U", "Intel(R) Core(TM) i7-1365U", "AMD Ryzen 5 PRO 7530U")
	case has("ram", "mem"):
		return pickN(8, 16, 16, 32) * gib
	case has("free", "disk", "size", "capacity"):
		return pickN(256, 512, 1024) * gib
	case has("core", "count", "num"):
		return pickN(4, 8, 12, 16)
	case has("uptime"):
		return h % (30 * 86400)
	case has("timezone", "tz"):
		return "Tokyo Standard Time"
	case has("date", "time", "last", "boot", "installed"):
		return wire.FormatTime(now.Add(-time.Duration(h%(30*86400)) * time.Second).Truncate(time.Second))
	case has("status", "state", "health"):
		return "OK"
	}
	return fmt.Sprintf("sim-%06x", h&0xffffff)
}
