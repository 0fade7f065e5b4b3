package execution

import (
	"encoding/json"
	"testing"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// FuzzJobEntry: a jobs value from KV, a JSON body or a YAML body is read
// without a panic; the listed form is a JSON object with the id, and a
// readable job's unknown keys survive a re-encode.
func FuzzJobEntry(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","version":"1","execute":{"shell":"cmd","script":"x","timeout":"1m"},"tags":["t"]}`,
		`{"id":"a","version":5}`, "<html>", `[]`, `null`, `{"id":"a","id":"b"}`,
		"id: a\nversion: 1\nexecute: { shell: cmd, script: x, timeout: 1m }\nowner: me\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(j Job) {
			b, err := json.Marshal(j)
			if err != nil {
				t.Fatalf("listing %q: %v", data, err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil || m["id"] == nil || (m["supported"] == false) == j.Supported {
				t.Fatalf("listed %q as %s: %v", data, b, err)
			}
			if !j.Supported {
				return
			}
			again := ReadJob("k", b)
			if !again.Supported || len(again.Manifest.Extra) != len(j.Manifest.Extra) {
				t.Fatalf("re-read of %s lost keys", b)
			}
		}
		check(ReadJob("k", data))
		if m, err := wire.ParseManifestYAML(data); err == nil {
			b, err := wire.Marshal(m)
			if err != nil {
				t.Fatal(err)
			}
			check(ReadJob("k", b))
			_ = m.CheckUnknownKeys(storedJobExtra(data))
		}
	})
}
