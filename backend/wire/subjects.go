package wire

import (
	"strings"
	"unicode"
)

// NATS subjects (§2). Builders take already-validated tokens; use
// ValidSubjectToken on anything user-supplied (pc ids, group names) first.
const (
	SubjectCommandsAll    = "commands.all"
	SubjectHeartbeatAll   = "heartbeat.>" // heartbeat projector subscription
	SubjectResultsAll     = "results.>"
	SubjectAuditAll       = "audit.>"
	SubjectEventsAll      = "events.>"
	SubjectCommandsPrefix = "commands."
)

// Inventory categories of the legacy inventory.{pc_id}.{cat} subjects.
const (
	InventoryCategoryHW  = "hw"
	InventoryCategorySW  = "sw"
	InventoryCategoryNet = "net"
)

// SubjectCommandsGroup is commands.group.{g}: agents that are members of g.
func SubjectCommandsGroup(group string) string { return "commands.group." + group }

// SubjectCommandsPC is commands.pc.{pc_id}: one agent.
func SubjectCommandsPC(pcID string) string { return "commands.pc." + pcID }

// SubjectResults is results.{request_id}, where agents publish an ExecResult.
func SubjectResults(requestID string) string { return "results." + requestID }

// SubjectHeartbeat is heartbeat.{pc_id}.
func SubjectHeartbeat(pcID string) string { return "heartbeat." + pcID }

// SubjectKill is kill.{exec_id} (empty payload).
func SubjectKill(execID string) string { return "kill." + execID }

// SubjectLogsFetch is logs.fetch.{pc_id} (request/reply).
func SubjectLogsFetch(pcID string) string { return "logs.fetch." + pcID }

// SubjectInventory is the legacy inventory.{pc_id}.{category}.
func SubjectInventory(pcID, category string) string { return "inventory." + pcID + "." + category }

// SubjectAudit is audit.{actor}.{action}, plus .{target} when target is
// non-empty.
func SubjectAudit(actor, action, target string) string {
	s := "audit." + actor + "." + action
	if target != "" {
		s += "." + target
	}
	return s
}

// SubjectEventStarted is events.started.{exec_id}.{pc_id} (v0.30).
func SubjectEventStarted(execID, pcID string) string {
	return "events.started." + execID + "." + pcID
}

// JetStream streams created at startup (§3.1) and the subjects they capture.
const (
	StreamInventory = "INVENTORY"
	StreamResults   = "RESULTS"
	StreamExec      = "EXEC" // max_msgs_per_subject=1: replay only the newest Command per subject
	StreamEvents    = "EVENTS"
	StreamAudit     = "AUDIT"

	StreamInventorySubjects = "inventory.>"
	StreamResultsSubjects   = "results.>"
	StreamExecSubjects      = "commands.>"
	StreamEventsSubjects    = "events.>"
	StreamAuditSubjects     = "audit.>"
)

// KV buckets (§4). Names use underscores because NATS KV forbids dots.
const (
	BucketScriptCurrent = "script_current" // manifest id -> raw version string
	BucketScriptStatus  = "script_status"  // manifest id -> raw ACTIVE | REVOKED
	BucketAgentsState   = "agents_state"
	BucketAgentConfig   = "agent_config" // ConfigScope per global / groups.{g} / pcs.{pc}
	BucketAgentGroups   = "agent_groups" // pc_id -> AgentGroups
	BucketSchedules     = "schedules"    // schedule id -> Schedule
	BucketJobs          = "jobs"         // manifest id -> Manifest

	// ObjectStoreAgentReleases holds agent binaries named by bare version.
	ObjectStoreAgentReleases = "agent_releases"
)

// Values of script_status (raw bytes, not JSON).
const (
	ScriptStatusActive  = "ACTIVE"
	ScriptStatusRevoked = "REVOKED"
)

// ReplayConsumerName is the durable name each agent uses on EXEC:
// "agent_replay_" + pc_id with every rune outside [A-Za-z0-9_-] replaced by
// '_' (durable names cannot contain '.', '*', '>' or spaces).
func ReplayConsumerName(pcID string) string {
	var b strings.Builder
	b.WriteString("agent_replay_")
	for _, r := range pcID {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String()
}

// ValidSubjectToken reports whether s can be used as one NATS subject token
// (a pc id, group name, exec id, ...): non-empty, no '.', '*' or '>' (which
// would change the subject's shape or make it a wildcard) and no whitespace
// or control characters (which NATS rejects).
func ValidSubjectToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r == '.' || r == '*' || r == '>' || unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}
