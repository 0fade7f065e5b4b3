package wire

import (
	"errors"
	"reflect"
	"testing"
)

func TestAgentGroupsDecode(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{`{"groups":["canary","dept-eng"]}`, []string{"canary", "dept-eng"}},
		{`{"groups":[]}`, []string{}},
		{`{}`, []string{}},
		{`{"groups":["b","a"],"extra":1}`, []string{"b", "a"}},
		{`["canary","wave1"]`, []string{"canary", "wave1"}},
		{` [] `, []string{}},
	} {
		g, err := DecodeAgentGroups([]byte(tc.in))
		if err != nil {
			t.Errorf("DecodeAgentGroups(%s): %v", tc.in, err)
			continue
		}
		if !reflect.DeepEqual(g.Groups, tc.want) {
			t.Errorf("DecodeAgentGroups(%s) = %#v", tc.in, g.Groups)
		}
	}
	for _, in := range []string{`{"groups":null}`, `{"groups":"a"}`, `{"groups":[1]}`, `["a",null]`, `"a"`, `null`, `{"groups":["a"]`} {
		if _, err := DecodeAgentGroups([]byte(in)); err == nil {
			t.Errorf("DecodeAgentGroups(%s) accepted", in)
		}
	}
	// The bare array re-encodes in the wrapper form.
	if got := encodeT(t, decodeT[AgentGroups](t, `["a"]`)); got != `{"groups":["a"]}` {
		t.Fatalf("got %s", got)
	}
	if got := encodeT(t, AgentGroups{}); got != `{"groups":[]}` {
		t.Fatalf("empty %s", got)
	}
}

func TestAgentGroupsNormalize(t *testing.T) {
	g := AgentGroups{Groups: []string{"wave1", " canary ", "", "canary", "  ", "dept-eng", "wave1"}}
	g.Normalize()
	if !reflect.DeepEqual(g.Groups, []string{"canary", "dept-eng", "wave1"}) {
		t.Fatalf("normalized %#v", g.Groups)
	}
	var empty AgentGroups
	empty.Normalize()
	if empty.Groups == nil || encodeT(t, empty) != `{"groups":[]}` {
		t.Fatal("normalized empty membership")
	}

	changed, err := g.Add(" new ")
	if err != nil || !changed || !g.Has("new") {
		t.Fatalf("Add: %v %v %v", changed, err, g.Groups)
	}
	if changed, _ := g.Add("canary"); changed {
		t.Fatal("Add of an existing group must report no change")
	}
	if _, err := g.Add("  "); !errors.Is(err, ErrInvalidValue) {
		t.Fatal("Add of a blank name must fail")
	}
	if !g.Remove("canary") || g.Has("canary") || g.Remove("canary") {
		t.Fatalf("Remove: %v", g.Groups)
	}
	if got := encodeT(t, g); got != `{"groups":["dept-eng","new","wave1"]}` {
		t.Fatalf("got %s", got)
	}
}
