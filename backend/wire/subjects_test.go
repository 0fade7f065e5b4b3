package wire

import "testing"

func TestSubjects(t *testing.T) {
	for got, want := range map[string]string{
		SubjectCommandsAll:                                 "commands.all",
		SubjectCommandsGroup("canary"):                     "commands.group.canary",
		SubjectCommandsPC("MINIPC-01"):                     "commands.pc.MINIPC-01",
		SubjectResults("0b8e6a52"):                         "results.0b8e6a52",
		SubjectHeartbeat("MINIPC-01"):                      "heartbeat.MINIPC-01",
		SubjectKill("9d3c1b7a"):                            "kill.9d3c1b7a",
		SubjectLogsFetch("MINIPC-01"):                      "logs.fetch.MINIPC-01",
		SubjectInventory("MINIPC-01", InventoryCategoryHW): "inventory.MINIPC-01.hw",
		SubjectAudit("operator", "exec", "inventory-hw"):   "audit.operator.exec.inventory-hw",
		SubjectAudit("operator", "agent_publish", ""):      "audit.operator.agent_publish",
		SubjectEventStarted("e1", "MINIPC-01"):             "events.started.e1.MINIPC-01",
	} {
		if got != want {
			t.Errorf("subject %q, want %q", got, want)
		}
	}
	names := []string{StreamInventory, StreamResults, StreamExec, StreamEvents, StreamAudit,
		BucketScriptCurrent, BucketScriptStatus, BucketAgentsState, BucketAgentConfig,
		BucketAgentGroups, BucketSchedules, BucketJobs, ObjectStoreAgentReleases}
	want := []string{"INVENTORY", "RESULTS", "EXEC", "EVENTS", "AUDIT", "script_current",
		"script_status", "agents_state", "agent_config", "agent_groups", "schedules", "jobs", "agent_releases"}
	for i := range names {
		if names[i] != want[i] {
			t.Errorf("name %q, want %q", names[i], want[i])
		}
	}
	if StreamExecSubjects != "commands.>" || StreamResultsSubjects != "results.>" {
		t.Error("stream subjects")
	}
}

func TestReplayConsumerName(t *testing.T) {
	for in, want := range map[string]string{
		"MINIPC-01":         "agent_replay_MINIPC-01",
		"pc_1":              "agent_replay_pc_1",
		"host.corp.example": "agent_replay_host_corp_example",
		"a b*c>d":           "agent_replay_a_b_c_d",
		"日本":                "agent_replay___",
		"":                  "agent_replay_",
	} {
		if got := ReplayConsumerName(in); got != want {
			t.Errorf("ReplayConsumerName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValidSubjectToken(t *testing.T) {
	for _, ok := range []string{"MINIPC-01", "canary", "dept_eng", "日本", "a-b_c"} {
		if !ValidSubjectToken(ok) {
			t.Errorf("ValidSubjectToken(%q) = false", ok)
		}
	}
	for _, bad := range []string{"", "a.b", "*", ">", "a b", "a\tb", "line\n", "x\x00", "a*"} {
		if ValidSubjectToken(bad) {
			t.Errorf("ValidSubjectToken(%q) = true", bad)
		}
	}
}
