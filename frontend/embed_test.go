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
	for _, a := range assets {
		if !strings.Contains(string(index), "/assets/"+a.Name()) && strings.HasSuffix(a.Name(), ".js") {
			t.Errorf("index.html does not reference /assets/%s", a.Name())
		}
	}
}
