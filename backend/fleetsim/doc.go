// Package fleetsim runs simulated kanade 0.29 agents that speak the real
// agent protocol over NATS (spec/kanade-0.29-protocol.md §2–§5,
// behaviors §4.5), for tests, the demo and load runs against the console.
//
// Each online agent heartbeats on heartbeat.<pc>, runs Commands addressed to
// commands.all, commands.group.<g> (membership from the agent_groups KV
// bucket, both value forms, applied live) and commands.pc.<pc>, replays the
// newest Command per subject from EXEC on connect, de-duplicates by
// request_id (FIFO of 1024 per agent), applies the version pin
// (script_current), revoke (script_status) and deadline checks in the
// agent's order, sleeps its jitter, "runs" the script and publishes an
// ExecResult on results.<request_id> through JetStream, retrying until the
// PubAck arrives. kill.<exec_id> ends a running script with exit -1;
// logs.fetch.<pc> answers with a log tail. With PublishStartedEvents the
// agents act as kanade v0.30+ ones: the events.started.<exec_id>.<pc> event
// (with the run's result_id) is published before running, job.tail.<pc>
// answers with the run's output so far (a ring buffer of TailBytes), and
// deadline skips carry ExecResult.skipped.
//
// Scripts are not executed. A script written in the tiny simulator language
// (echo, stderr, sleep, exit, fail, progress — see parseDSL) is interpreted, so tests
// and demos can ask for exact output, exit codes and durations; any other
// script takes a random time in [RunTimeMin, RunTimeMax], fails at
// FailureRate and prints one plausible line — or, when its job in the jobs
// bucket has an inventory hint, a JSON object with a plausible fact per
// display/summary field. TimeScale scales all simulated script time.
//
// Scale: the agents share a few NATS connections (one per 5,000 agents by
// default), each with one wildcard subscription per subject family, one
// scheduler goroutine whose min-heap holds every heartbeat, jitter and
// script deadline of its agents, and one outbox goroutine with bounded
// asynchronous JetStream publishes. The KV buckets are mirrored once per
// fleet by watches. An idle agent owns no goroutine and no timer.
//
// Memory, measured with runtime.MemStats (HeapAlloc after GC, nats-server in
// the same process) for 50,000 agents on 10 connections: about 160 B per
// agent after New, about 220 B per agent started and heartbeating, and about
// 470 B per agent after one fleet-wide command (dedup caches allocated,
// scheduler heaps grown; RESULTS purged so the server's caches are not
// counted). The whole fleet ran with ~150 goroutines; the 50,000 results of
// that broadcast were acknowledged in under a second on 2 cores.
package fleetsim
