package frontend

import (
	"io/fs"
	"strings"
	"testing"
)

func TestDistIsRootedAtDist(t *testing.T) {
	d := Dist()
	if _, err := fs.Stat(d, ".gitkeep"); err != nil {
		t.Fatalf("dist/.gitkeep not embedded at the root of Dist(): %v", err)
	}
	if _, err := fs.Stat(d, "dist"); err == nil {
		t.Fatalf("Dist() must be rooted inside dist/, found a nested dist")
	}
}

func TestBuiltSPAReferencesHashedAssets(t *testing.T) {
	if !Built() {
		t.Skip("frontend not built (dist/ holds only .gitkeep); run `npm run build` in frontend/")
	}
	d := Dist()
	index, err := fs.ReadFile(d, "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(index), "<title>kanade console</title>") {
		t.Errorf("index.html has no kanade console title")
	}
	assets, err := fs.ReadDir(d, "assets")
	if err != nil {
		t.Fatalf("dist/assets: %v", err)
	}
	if len(assets) == 0 {
		t.Fatal("dist/assets is empty")
	}
	// Every script is reachable: named by index.html, or by another asset
	// (chunks loaded on demand, e.g. the API docs' document, are imported
	// from the entry script, not from index.html).
	texts := map[string]string{}
	for _, a := range assets {
		if strings.HasSuffix(a.Name(), ".js") {
			b, err := fs.ReadFile(d, "assets/"+a.Name())
			if err != nil {
				t.Fatal(err)
			}
			texts[a.Name()] = string(b)
		}
	}
	for name := range texts {
		reached := strings.Contains(string(index), "/assets/"+name)
		for other, text := range texts {
			if other != name && strings.Contains(text, name) {
				reached = true
			}
		}
		if !reached {
			t.Errorf("neither index.html nor another asset references /assets/%s", name)
		}
	}
}
