package console

import (
	"strings"
	"testing"
	"time"

	"github.com/kanade-console/kanade-console/backend/store"
	"github.com/kanade-console/kanade-console/backend/svcerr"
)

func ip(n int) *int { return &n }

// The request rules both front doors use: one table per rule, with the
// message a client sees.
func TestPagingRules(t *testing.T) {
	cases := []struct {
		p    Paging
		def  int
		want store.Page
		err  string
	}{
		{Paging{}, DefaultLimit, store.Page{Limit: 50}, ""},
		{Paging{}, -1, store.Page{Limit: -1}, ""},
		{Paging{Limit: ip(10), Offset: ip(20)}, DefaultLimit, store.Page{Limit: 10, Offset: 20}, ""},
		{Paging{Limit: ip(5000)}, -1, store.Page{Limit: 1000}, ""},
		{Paging{Limit: ip(0)}, DefaultLimit, store.Page{Limit: 0}, ""},
		{Paging{Limit: ip(-1)}, DefaultLimit, store.Page{}, "limit must be a non-negative integer"},
		{Paging{Limit: ip(NotAnInteger)}, DefaultLimit, store.Page{}, "limit must be a non-negative integer"},
		{Paging{Offset: ip(-1)}, DefaultLimit, store.Page{}, "offset must be a non-negative integer"},
	}
	for _, c := range cases {
		got, err := c.p.Page(c.def)
		checkRule(t, err, c.err)
		if err == nil && got != c.want {
			t.Errorf("%+v: got %+v, want %+v", c.p, got, c.want)
		}
	}
}

func TestFilterRules(t *testing.T) {
	_, err := AgentsRequest{Status: "sleepy"}.Query(DefaultLimit)
	checkRule(t, err, "status must be online or stale")
	q, err := AgentsRequest{Status: "online", Q: "pc"}.Query(-1)
	checkRule(t, err, "")
	if q.Limit != -1 || q.Status != "online" || q.Q != "pc" {
		t.Errorf("agents query %+v", q)
	}
	for req, msg := range map[*ResultsRequest]string{
		{Status: "maybe"}:                   "status must be success, failure, skipped or running",
		{Since: "yesterday"}:                "since must be an RFC 3339 timestamp",
		{Until: "2026-13-01T00:00:00Z"}:     "until must be an RFC 3339 timestamp",
		{Preview: ip(0)}:                    "preview must be a positive number of characters",
		{Preview: ip(NotAnInteger)}:         "preview must be a positive number of characters",
		{Paging: Paging{Offset: ip(-2)}}:    "offset must be a non-negative integer",
		{Status: "success", Preview: ip(3)}: "",
	} {
		_, err := req.Query()
		checkRule(t, err, msg)
	}
	rq, _ := ResultsRequest{Since: "2026-05-20T00:00:00Z", Preview: ip(3)}.Query()
	if rq.Since == nil || !rq.Since.Equal(time.Date(2026, 5, 20, 0, 0, 0, 0, time.UTC)) || rq.Preview != 3 || rq.Limit != DefaultLimit {
		t.Errorf("results query %+v", rq)
	}
	_, err = AuditRequest{Since: "x"}.Query()
	checkRule(t, err, "since must be an RFC 3339 timestamp")
	_, err = ExecutionsRequest{Paging: Paging{Limit: ip(-1)}}.Query()
	checkRule(t, err, "limit must be a non-negative integer")
	if lim := (DetailRequest{ResultsLimit: ip(3)}).Limits(); lim.Results != 3 || lim.Inflight != store.FullDetail.Inflight {
		t.Errorf("detail limits %+v", lim)
	}
}

func TestRangeRules(t *testing.T) {
	for _, c := range []struct {
		n    *int
		want time.Duration
		err  string
	}{{nil, 45 * time.Second, ""}, {ip(600), 600 * time.Second, ""}, {ip(0), 0, "wait_secs must be 1-600"}, {ip(601), 0, "wait_secs must be 1-600"}, {ip(NotAnInteger), 0, "wait_secs must be 1-600"}} {
		got, err := PingWait(c.n)
		checkRule(t, err, c.err)
		if got != c.want {
			t.Errorf("PingWait(%v) = %v", c.n, got)
		}
	}
	for _, c := range []struct {
		n    *int
		want uint32
		err  string
	}{{nil, 500, ""}, {ip(1 << 32), 0, "tail must be a positive integer"}, {ip(1<<32 - 1), 1<<32 - 1, ""}, {ip(0), 0, "tail must be a positive integer"}, {ip(NotAnInteger), 0, "tail must be a positive integer"}} {
		got, err := LogTail(c.n)
		checkRule(t, err, c.err)
		if got != c.want {
			t.Errorf("LogTail(%v) = %v", c.n, got)
		}
	}
	for _, c := range []struct {
		n    *int
		want int
		err  string
	}{{nil, 5, ""}, {ip(100), 100, ""}, {ip(0), 0, "n must be 1-100"}, {ip(101), 0, "n must be 1-100"}} {
		got, err := CronCount(c.n)
		checkRule(t, err, c.err)
		if got != c.want {
			t.Errorf("CronCount(%v) = %v", c.n, got)
		}
	}
}

func TestBodyRules(t *testing.T) {
	var v struct {
		A int `json:"a"`
	}
	if err := DecodeJSON([]byte(`{"a":`), &v); svcerr.KindOf(err) != svcerr.KindInvalid || err.Error() != "malformed JSON body" {
		t.Errorf("malformed: %v", err)
	}
	if err := DecodeJSON([]byte(`{"a":"x"}`), &v); svcerr.KindOf(err) != svcerr.KindUnprocessable || !strings.HasPrefix(err.Error(), "invalid body: ") {
		t.Errorf("wrong shape: %v", err)
	}
	if err := DecodeJSON([]byte(`{"a":1}`), &v); err != nil || v.A != 1 {
		t.Errorf("good body: %v %+v", err, v)
	}
	if _, err := ManifestYAML([]byte("id: [unclosed")); svcerr.KindOf(err) != svcerr.KindUnprocessable || !strings.HasPrefix(err.Error(), "invalid manifest YAML: ") {
		t.Errorf("manifest YAML: %v", err)
	}
	if _, err := ScheduleYAML([]byte("cron: {")); svcerr.KindOf(err) != svcerr.KindUnprocessable || !strings.HasPrefix(err.Error(), "invalid schedule YAML: ") {
		t.Errorf("schedule YAML: %v", err)
	}
	if _, err := ManifestYAML(make([]byte, MaxBody+1)); svcerr.KindOf(err) != svcerr.KindTooLarge {
		t.Errorf("large YAML: %v", err)
	}
	exec := "E1"
	if r := (RunBody{JobID: &exec}).Request(); r.ExecID == nil || *r.ExecID != "E1" {
		t.Errorf("run body: job_id is not taken for exec_id: %+v", r)
	}
}

// checkRule: want "" is no error, else a 400 with exactly that message.
func checkRule(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("unexpected error %v", err)
	case want != "" && err == nil:
		t.Errorf("no error, want %q", want)
	case want != "" && (err.Error() != want || svcerr.KindOf(err) != svcerr.KindInvalid):
		t.Errorf("got kind %d %q, want invalid %q", svcerr.KindOf(err), err.Error(), want)
	}
}
