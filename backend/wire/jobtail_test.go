package wire

import (
	"encoding/json"
	"testing"
)

func TestJobTail(t *testing.T) {
	if got := SubjectJobTail("PC-01"); got != "job.tail.PC-01" {
		t.Fatalf("subject %q", got)
	}
	roundTrip[JobTailRequest](t, `{"result_id":"r1"}`)
	decodeErr[JobTailRequest](t, `{}`, ErrMissingField)

	full := `{"found":true,"running":true,"stdout":"a\n","stderr":"b","stdout_truncated":true,"stderr_truncated":false}`
	r := roundTrip[JobTailReply](t, full)
	if !r.Found || !r.Running || r.Stdout != "a\n" || !r.StdoutTruncated {
		t.Fatalf("decoded %+v", r)
	}
	// Every field has a serde default: {} is "not found".
	if r, err := DecodeJobTailReply([]byte(`{}`)); err != nil || r != (JobTailReply{}) {
		t.Fatalf("{} decoded as %+v, %v", r, err)
	}
	// Later keys are ignored.
	if r, err := DecodeJobTailReply([]byte(`{"found":true,"exit_code":3}`)); err != nil || !r.Found {
		t.Fatalf("unknown key: %+v, %v", r, err)
	}
	for _, bad := range []string{`{"found":null}`, `{"stdout":1}`, `{"running":"yes"}`, `[]`, `null`, ``, `{"found":true,"found":false}`, `{"stdout":"x"`} {
		if _, err := DecodeJobTailReply([]byte(bad)); err == nil {
			t.Errorf("%q decoded without error", bad)
		}
	}
}

func TestEventStartedResultID(t *testing.T) {
	const in = `{"result_id":"r","request_id":"q","exec_id":"e","pc_id":"p","started_at":"2026-05-20T03:15:00.100Z","manifest_id":"m","version":"1.2.0"}`
	e := roundTrip[EventStarted](t, in)
	if e.ResultID != "r" || e.RequestID != "q" {
		t.Fatalf("decoded %+v", e)
	}
	decodeErr[EventStarted](t, with(t, in, "result_id", "null"), ErrInvalidType)
}

func TestExecResultSkipped(t *testing.T) {
	in := with(t, goldenResult, "skipped", "true")
	var r ExecResult
	if err := json.Unmarshal([]byte(in), &r); err != nil || !r.Skipped {
		t.Fatalf("skipped:true decoded as %+v, %v", r, err)
	}
	b, _ := Marshal(r)
	var back ExecResult
	if err := json.Unmarshal(b, &back); err != nil || !back.Skipped {
		t.Fatalf("re-encoded %s: %+v %v", b, back, err)
	}
	// 0.29 agents omit it: false, and false is not written.
	if err := json.Unmarshal([]byte(goldenResult), &r); err != nil || r.Skipped {
		t.Fatalf("0.29 result: %+v, %v", r, err)
	}
	decodeErr[ExecResult](t, with(t, goldenResult, "skipped", "null"), ErrInvalidType)
	decodeErr[ExecResult](t, with(t, goldenResult, "skipped", `"yes"`), nil)
}
