package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/kanade-console/kanade-console/backend/console"
	"github.com/kanade-console/kanade-console/backend/wire"
)

// Request decoding must answer bad input with a 4xx and never panic.
func FuzzDecodeBodies(f *testing.F) {
	for _, seed := range []string{
		`{"target":{"all":true}}`, `{"target":{"groups":["a"],"pcs":[]},"rollout":{"waves":[{"group":"g","delay":"5m"}]},"jitter":"30s"}`,
		`{"target":`, `[]`, `null`, `{"target":{"all":"yes"}}`, "\xff\xfe", `{"rollout":{"strategy":"big-bang","waves":[]}}`,
		jobJSON, `{"pc_id":"PC","script":"x","timeout_secs":-1}`, `{"groups":["a",1]}`, `{"version":"1","scope":{"type":"group"}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		check := func(v any) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/x", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			err := decodeJSON(rec, req, v)
			if err != nil {
				if st := statusOf(err); st < 400 || st >= 500 {
					t.Fatalf("decode error maps to %d: %v", st, err)
				}
				return
			}
		}
		var plan wire.FanoutPlan
		check(&plan)
		if plan.Validate() == nil {
			_, _ = plan.JitterSecs()
		}
		var m wire.Manifest
		check(&m)
		_ = m.Validate()
		var sch wire.Schedule
		check(&sch)
		_ = sch.Validate()
		var scope wire.ConfigScope
		check(&scope)
		if _, err := wire.ParseManifestYAML([]byte(body)); err == nil {
			return
		}
		_, _ = wire.ParseScheduleYAML([]byte(body))
	})
}

// Query parameters of the list routes never panic and bad values are 400.
func FuzzQueryParams(f *testing.F) {
	for _, seed := range []string{"limit=10&offset=5", "limit=-1", "since=2026-05-20T00:00:00Z", "since=%zz", "offset=99999999999999999999", "preview=0", "status=success"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		req := &http.Request{Method: "GET", URL: mustURL("/api/results?" + raw)}
		if req.URL == nil {
			return
		}
		q := req.URL.Query()
		rq := console.ResultsRequest{Paging: pagingOf(q), Since: q.Get("since"), Until: q.Get("until"), Status: q.Get("status"), Preview: intQuery(q, "preview")}
		if _, err := rq.Query(); err != nil && statusOf(err) != 400 {
			t.Fatalf("query error status %d: %v", statusOf(err), err)
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return nil
	}
	return u
}
