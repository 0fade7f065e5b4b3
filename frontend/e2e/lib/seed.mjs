// Seeds the console through its public HTTP API so every page has data
// before the browser tests start: groups, an ordinary job and an inventory
// probe fanned out to the whole fleet, a (disabled) schedule, layered config
// with a conflict, and one agent release.
import { until } from "./harness.mjs";
import { buildAgentBinary } from "./pe.mjs";

export const IDS = {
  job: "e2e-hostname",
  probe: "e2e-inventory",
  schedule: "e2e-nightly",
  release: "0.30.0",
  groups: { canary: ["SIM-00001", "SIM-00002", "SIM-00003"], wave1: ["SIM-00003", "SIM-00004", "SIM-00005", "SIM-00006"] },
  conflictPc: "SIM-00003", // in canary and wave1, whose heartbeat_interval differ
};

const PROBE_YAML = `id: ${IDS.probe}
version: 1.0.0
description: Hardware facts (e2e)
execute:
  shell: powershell
  script: |
    Get-CimInstance Win32_ComputerSystem | ConvertTo-Json
  timeout: 60s
inventory:
  display:
    - { field: Name, label: Hostname }
    - { field: Manufacturer, label: Manufacturer }
    - { field: TotalPhysicalMemory, label: RAM, type: bytes }
    - { field: NumberOfCores, label: Cores, type: number }
    - { field: LastBootUpTime, label: Last boot, type: timestamp }
  summary:
    - { field: Name, label: Hostname }
    - { field: TotalPhysicalMemory, label: RAM, type: bytes }
    - { field: LastBootUpTime, label: Last boot, type: timestamp }
`;

export async function seed(api, { agents }) {
  const t0 = Date.now();
  await until(async () => (await api.agents("&status=online")).length >= agents, `${agents} agents online`, { timeout: 30_000, interval: 250 });

  for (const [g, pcs] of Object.entries(IDS.groups)) for (const pc of pcs) await api.addGroup(pc, g);

  await api.upsertJob({
    id: IDS.job,
    version: "1.0.0",
    description: "Print the host name (e2e)",
    execute: { shell: "powershell", script: "hostname", timeout: "60s" },
  });
  await api.upsertJobYaml(PROBE_YAML);
  const e1 = await api.exec(IDS.job);
  const e2 = await api.exec(IDS.probe);
  await api.waitExecution(e1.exec_id, { results: agents });
  await api.waitExecution(e2.exec_id, { results: agents });

  await api.upsertSchedule({ id: IDS.schedule, cron: "0 0 3 * * *", job_id: IDS.job, target: { groups: ["canary"] }, enabled: false });

  await api.put("/api/config", { target_version_jitter: "1h" });
  await api.put("/api/groups/canary/config", { heartbeat_interval: "1m" });
  await api.put("/api/groups/wave1/config", { heartbeat_interval: "5m" });

  await api.publish(`kanade-agent-${IDS.release}.exe`, buildAgentBinary(IDS.release));

  // the projector must have landed the results and inventory rows
  await until(async () => (await api.get(`/api/inventory/by-job/${IDS.probe}`)).rows.length > 0, "inventory rows", { timeout: 15_000, interval: 250 });
  return { ms: Date.now() - t0, execs: [e1.exec_id, e2.exec_id] };
}
