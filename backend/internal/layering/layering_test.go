package layering

import (
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/kanade-console/kanade-console"

// layers is the module's one import order, lowest first: a package may
// import packages of lower layers only, never one of its own layer or above.
// docs/ARCHITECTURE.md draws the same order. A new package must be placed
// here before the test passes.
var layers = [][]string{
	// Leaves: import nothing of ours.
	{"backend/wire", "backend/svcerr", "backend/retention", "backend/teravars", "backend/hostos",
		"backend/logfile", "backend/datadir", "backend/pever", "backend/auth",
		"backend/service", "migrations", "frontend", "backend/api/apiclient", "backend/bench/internal/benchutil",
		"internal/testutil"},
	// Storage, transport, configuration.
	{"backend/store", "backend/broker", "backend/config", "backend/fleetsim", "backend/internal/natscluster"},
	// Services over the store and NATS; hostrun (serve's and the desktop
	// host's shared start-up helpers) sits on config.
	{"backend/projector", "backend/execution", "backend/scheduler", "backend/hostrun", "backend/accounts"},
	// The console core wires the services together.
	{"backend/console"},
	// Front doors: HTTP, then the Wails bindings (which use api's status
	// mapping), then the desktop host that serves both.
	{"backend/api"},
	{"app"},
	{"desktop"},
	// Programs.
	{"", "backend/bench/*", "scripts/*", "backend/internal/layering"},
}

// rank places a package (path relative to the module) in layers.
func rank(rel string) (int, bool) {
	for i, layer := range layers {
		for _, p := range layer {
			if p == rel || strings.HasSuffix(p, "/*") && strings.HasPrefix(rel, strings.TrimSuffix(p, "*")) {
				return i, true
			}
		}
	}
	return 0, false
}

// TestImportsPointDown parses the imports of every non-test Go file of the
// module (all build tags and GOOS variants alike, so desktop_on.go and the
// Windows files count) and fails on an import that points sideways or up.
func TestImportsPointDown(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	imports := map[string]map[string]string{} // package -> import -> a file importing it
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); p != root && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		relFile, _ := filepath.Rel(root, p)
		pkg := path.Dir(filepath.ToSlash(relFile))
		if pkg == "." {
			pkg = ""
		}
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			if imp != module && !strings.HasPrefix(imp, module+"/") {
				continue
			}
			if imports[pkg] == nil {
				imports[pkg] = map[string]string{}
			}
			imports[pkg][strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")] = filepath.ToSlash(relFile)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) < 10 {
		t.Fatalf("found imports in only %d packages; is the walk reading the module?", len(imports))
	}
	for _, v := range violations(imports) {
		t.Error(v)
	}
}

// violations lists the imports of pkg -> import -> file that break layers.
func violations(imports map[string]map[string]string) []string {
	var out []string
	for _, pkg := range slices.Sorted(maps.Keys(imports)) {
		from, ok := rank(pkg)
		if !ok {
			out = append(out, fmt.Sprintf("package %q is in no layer: add it to layers in this file and to docs/ARCHITECTURE.md", displayName(pkg)))
			continue
		}
		for _, imp := range slices.Sorted(maps.Keys(imports[pkg])) {
			to, ok := rank(imp)
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("%s imports %q, which is in no layer", imports[pkg][imp], displayName(imp)))
			case to >= from:
				out = append(out, fmt.Sprintf("%s: %s (layer %d) imports %s (layer %d): imports must point to a lower layer", imports[pkg][imp], displayName(pkg), from, displayName(imp), to))
			}
		}
	}
	return out
}

// The rule itself: the layers name each package once, so a package cannot
// sit in two layers and pass against either.
func TestLayersNameEachPackageOnce(t *testing.T) {
	seen := map[string]int{}
	for i, layer := range layers {
		for _, p := range layer {
			if j, dup := seen[p]; dup {
				t.Errorf("%q is in layers %d and %d", p, j, i)
			}
			seen[p] = i
		}
	}
}

// The check itself catches what it is for: an upward import, a sideways one
// (scheduler -> execution, the edge the Executor interface exists to avoid)
// and an unplaced package.
func TestViolationsAreReported(t *testing.T) {
	got := violations(map[string]map[string]string{
		"app":               {"desktop": "app/x.go", "backend/console": "app/y.go"},
		"backend/scheduler": {"backend/execution": "backend/scheduler/z.go", "backend/store": "backend/scheduler/z.go"},
		"backend/newthing":  {"backend/wire": "backend/newthing/a.go"},
	})
	if len(got) != 3 {
		t.Fatalf("got %d violations, want 3: %q", len(got), got)
	}
	for i, want := range []string{"app/x.go: app (layer 5) imports desktop", "is in no layer", "backend/scheduler/z.go: backend/scheduler (layer 2) imports backend/execution (layer 2)"} {
		if !strings.Contains(got[i], want) {
			t.Errorf("violation %d = %q, want it to contain %q", i, got[i], want)
		}
	}
}

func displayName(rel string) string {
	if rel == "" {
		return "main (module root)"
	}
	return rel
}
