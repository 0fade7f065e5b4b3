package fleetsim

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/wire"
)

func TestInventoryJSONExplodes(t *testing.T) {
	var h wire.InventoryHint
	if err := json.Unmarshal([]byte(`{"display":[{"field":"os_build","label":"Build"},{"field":"apps","label":"Apps","type":"table"}],
		"explode":[{"field":"apps","table":"t","primary_key":["name"],"columns":[{"field":"name"},{"field":"version"},{"field":"size_kb","type":"integer"},{"field":"score","type":"real"}]}],
		"history_scalars":["ram_bytes"]}`), &h); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Seed: 7}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var facts struct {
		OSBuild  string `json:"os_build"`
		RAMBytes any    `json:"ram_bytes"`
		Apps     []struct {
			Name, Version string
			SizeKB        int64   `json:"size_kb"`
			Score         float64 `json:"score"`
		} `json:"apps"`
	}
	out := inventoryJSON("PC-1", &h, &cfg, now)
	if err := json.Unmarshal([]byte(out), &facts); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if facts.OSBuild == "" || facts.RAMBytes == nil || len(facts.Apps) < 5 {
		t.Fatalf("facts: %s", out)
	}
	names := map[string]bool{}
	for _, a := range facts.Apps {
		if a.Name == "" || a.Version == "" || a.SizeKB == 0 || names[a.Name] {
			t.Fatalf("app row: %+v in %s", a, out)
		}
		names[a.Name] = true
	}
	if inventoryJSON("PC-1", &h, &cfg, now) != out {
		t.Fatal("not stable for the same PC and minute")
	}
	changed := false
	for m := 1; m < 30 && !changed; m++ {
		changed = inventoryJSON("PC-1", &h, &cfg, now.Add(time.Duration(m)*time.Minute)) != out
	}
	if !changed {
		t.Fatal("the apps never change, so the history stays empty")
	}
}
