package wire

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestManifestYAMLScalarsStayText(t *testing.T) {
	// serde_yaml puts a scalar's text into a String field: version 1.0 is
	// "1.0", not the number 1; "yes" and "null"-looking scripts stay text.
	const yml = `
id: 123
version: 1.0
description: ~
execute:
  shell: cmd
  script: yes
  timeout: 30s
  cwd: 'C:\Temp'
require_approval: true
`
	m, err := ParseManifestYAML([]byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"123","version":"1.0","description":null,"execute":{"shell":"cmd","script":"yes","timeout":"30s","run_as":"system","cwd":"C:\\Temp"},"require_approval":true,"inventory":null,"staleness":{"mode":"cached"}}`
	if got := encodeT(t, m); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

func TestManifestYAMLErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yml string
		err       error
	}{
		{"missing execute", "id: a\nversion: 1\n", ErrMissingField},
		{"missing timeout", "id: a\nversion: 1\nexecute: { shell: cmd, script: x }\n", ErrMissingField},
		{"bad shell", "id: a\nversion: 1\nexecute: { shell: bash, script: x, timeout: 1m }\n", ErrInvalidValue},
		{"bad staleness", strings.Replace(goldenManifestYAML, "mode: strict", "mode: lenient", 1), ErrInvalidValue},
		{"duplicate key", "id: a\nid: b\nversion: 1\nexecute: { shell: cmd, script: x, timeout: 1m }\n", ErrDuplicateField},
		{"two documents", "id: a\n---\nid: b\n", ErrInvalidType},
		{"empty", "", ErrInvalidType},
		{"not a mapping", "- a\n- b\n", ErrInvalidType},
		{"bool as string", "id: a\nversion: 1\nexecute: { shell: cmd, script: x, timeout: 1m }\nrequire_approval: maybe\n", nil},
		{"syntax", "id: [unclosed\n", nil},
	} {
		_, err := ParseManifestYAML([]byte(tc.yml))
		if err == nil {
			t.Errorf("%s: accepted", tc.name)
			continue
		}
		if tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.err)
		}
	}
	// Nested unknown keys are fine, as in JSON.
	if _, err := ParseManifestYAML([]byte(strings.Replace(goldenManifestYAML, "  run_as: system\n", "  run_as: system\n  future: 1\n", 1))); err != nil {
		t.Fatal(err)
	}
}

func TestScheduleYAML(t *testing.T) {
	const yml = `
id: nightly
cron: 0 0 3 * * *
job_id: cleanup
target:
  all: true
enabled: false
auto_disable_when_done: true
runs_on: agent
anchors: &w { group: canary, delay: 0s }
rollout:
  waves: [ *w ]
`
	s, err := ParseScheduleYAML([]byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"nightly","cron":"0 0 3 * * *","job_id":"cleanup","target":{"groups":[],"pcs":[],"all":true},"rollout":{"strategy":"wave","waves":[{"group":"canary","delay":"0s"}]},"mode":"every_tick","auto_disable_when_done":true,"runs_on":"agent","enabled":false,"anchors":{"delay":"0s","group":"canary"}}`
	// anchors is not a Schedule key: kept, like any key a newer kanade adds.
	if got := encodeT(t, s); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	for _, bad := range []string{
		"id: a\ncron: x\n",
		"id: a\ncron: x\njob_id: j\nmode: sometimes\n",
		"id: a\ncron: x\njob_id: j\nenabled: yes\n",
		"id: a\ncron: x\njob_id: j\ntarget: { all: 1 }\n",
	} {
		if _, err := ParseScheduleYAML([]byte(bad)); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}

func TestYAMLAliasBomb(t *testing.T) {
	// Nine levels of ten aliases each expand to 10^9 nodes.
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	_, err := ParseScheduleYAML([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "too large") {
		t.Fatalf("alias bomb: %v", err)
	}
}
