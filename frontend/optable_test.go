package frontend

import (
	"strings"
	"testing"
)

// The embedded op tables parse, and the parser reads what they say (a
// parser that found nothing would leave every binding refused).
func TestOpTablesParse(t *testing.T) {
	ops, err := Ops()
	if err != nil {
		t.Fatal(err)
	}
	if len(ops) < 75 {
		t.Fatalf("only %d ops parsed", len(ops))
	}
	for name, want := range map[string]Op{
		"ListAgents":       {Name: "ListAgents", Method: "GET", Path: "/api/agents"},
		"ListResults":      {Name: "ListResults", Method: "GET", Path: "/api/results"}, // a literal over several lines
		"RemoveAgentGroup": {Name: "RemoveAgentGroup", Method: "DELETE", Path: "/api/agents/{pc_id}/groups/{group}"},
		"UpsertJobYaml":    {Name: "UpsertJobYaml", Method: "POST", Path: "/api/jobs"},
		"AuthLogin":        {Name: "AuthLogin", Method: "POST", Path: "/api/auth/login"},
		"UpdateAccount":    {Name: "UpdateAccount", Method: "PATCH", Path: "/api/accounts/{username}"},
	} {
		if got, ok := OpRoute(name); !ok || got != want {
			t.Errorf("%s: %+v %v, want %+v", name, got, ok, want)
		}
	}
	if _, ok := OpRoute("NoSuchOp"); ok {
		t.Error("an unknown op has a route")
	}
}

// Tables that do not have the expected shape are an error, never a guess.
func TestParseOpsRefusesOtherShapes(t *testing.T) {
	opsTS := "export const ops = {\n  Alpha: { method: \"GET\", path: \"/a\", result: \"json\" },\n} as const satisfies X;"
	authTS := "  Beta: spec(\"POST\", \"/b\", true, \"none\", \"b\"),\n"
	if got, err := parseOps(opsTS, authTS); err != nil || len(got) != 2 || got["Beta"].Path != "/b" {
		t.Fatalf("minimal tables: %v %v", got, err)
	}
	for name, c := range map[string][2]string{
		"no table":      {"const ops = {}", authTS},
		"no auth ops":   {opsTS, ""},
		"no method":     {strings.Replace(opsTS, `method: "GET", `, "", 1), authTS},
		"duplicate op":  {opsTS, strings.Replace(authTS, "Beta:", "Alpha:", 1)},
		"end before it": {"} as const satisfies export const ops = {", authTS},
	} {
		if got, err := parseOps(c[0], c[1]); err == nil {
			t.Errorf("%s: parsed %v", name, got)
		}
	}
}

func FuzzParseOps(f *testing.F) {
	f.Add("export const ops = {\n  Alpha: { method: \"GET\", path: \"/a\" },\n} as const satisfies X;", "  Beta: spec(\"POST\", \"/b\", true")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, opsTS, authTS string) {
		got, err := parseOps(opsTS, authTS)
		if err == nil {
			for name, op := range got {
				if name != op.Name || op.Method == "" || op.Path == "" {
					t.Fatalf("op %q parsed as %+v", name, op)
				}
			}
		}
	})
}
