package console

import (
	"encoding/json"
	"testing"

	"github.com/kanade-console/kanade-console/backend/wire"
)

// Every demo job must be a valid manifest: seedDemo skips one that is not.
func TestDemoJobsAreManifests(t *testing.T) {
	for _, raw := range demoJobs {
		var m wire.Manifest
		if err := json.Unmarshal([]byte(raw), &m); err != nil {
			t.Fatalf("demo job does not decode: %v\n%s", err, raw)
		}
	}
	if len(demoJobs) < 2 || !json.Valid([]byte(demoJobs[1])) {
		t.Fatal("demo-long-task missing")
	}
}
