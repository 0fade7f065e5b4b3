import { describe, expect, it } from "vitest";
import { isHumantime, toYaml, validateManifestYaml, validateScheduleYaml } from "./validate";

const GOOD_JOB = `id: inventory-hw
version: 1.2.0
description: Hardware inventory probe
execute:
  shell: powershell
  script: |
    Get-CimInstance Win32_ComputerSystem | ConvertTo-Json
  timeout: 10m
  run_as: system
inventory:
  display:
    - { field: Name, label: Hostname }
    - { field: TotalPhysicalMemory, label: RAM, type: bytes }
staleness:
  mode: strict
  max_cache_age: 5m
`;

describe("isHumantime", () => {
  it("accepts humantime strings", () => {
    for (const s of ["30s", "10m", "1h 30m", "1d", "0s", "2h30m"]) expect(isHumantime(s)).toBe(true);
    for (const s of ["", "10", "abc", "1 x", 30]) expect(isHumantime(s)).toBe(false);
  });
});

describe("validateManifestYaml", () => {
  it("accepts the spec example", () => {
    const v = validateManifestYaml(GOOD_JOB);
    expect(v.issues).toEqual([]);
    expect(v.ok).toBe(true);
    expect((v.value as { id: string }).id).toBe("inventory-hw");
  });

  it("reports YAML syntax errors with a line", () => {
    const v = validateManifestYaml("id: a\nexecute: [\n");
    expect(v.ok).toBe(false);
    expect(v.issues[0].line).toBeGreaterThan(0);
  });

  it("requires id, version, execute.shell/script/timeout", () => {
    const v = validateManifestYaml("description: x\nexecute: {}\n");
    const msgs = v.issues.map((i) => i.message).join("\n");
    expect(msgs).toMatch(/id is required/);
    expect(msgs).toMatch(/version is required/);
    expect(msgs).toMatch(/execute.shell is required/);
    expect(msgs).toMatch(/execute.script is required/);
    expect(msgs).toMatch(/execute.timeout is required/);
  });

  it("rejects unknown top-level keys with a line and a hint for targets", () => {
    const v = validateManifestYaml(GOOD_JOB + "target:\n  all: true\nfoo: 1\n");
    const unknown = v.issues.filter((i) => i.message.startsWith("unknown top-level"));
    expect(unknown).toHaveLength(2);
    expect(unknown[0].message).toMatch(/belong to Exec/);
    expect(unknown[0].line).toBe(18);
    expect(v.ok).toBe(false);
  });

  it("checks shell, timeout and numeric versions", () => {
    const v = validateManifestYaml("id: a\nversion: 1\nexecute:\n  shell: bash\n  script: x\n  timeout: soon\n");
    const msgs = v.issues.map((i) => i.message).join("\n");
    expect(msgs).toMatch(/quote it: "1"/);
    expect(msgs).toMatch(/shell must be powershell or cmd/);
    expect(msgs).toMatch(/timeout must be a duration/);
    expect(v.issues.find((i) => /shell/.test(i.message))?.line).toBe(4);
  });

  it("requires max_cache_age for strict staleness", () => {
    const v = validateManifestYaml("id: a\nversion: '1'\nexecute: {shell: cmd, script: x, timeout: 1m}\nstaleness: {mode: strict}\n");
    expect(v.issues.map((i) => i.message)).toContain("staleness.max_cache_age is required with mode strict");
  });

  it("rejects a non-mapping document", () => {
    expect(validateManifestYaml("- a\n- b\n").ok).toBe(false);
    expect(validateManifestYaml("   ").ok).toBe(false);
  });
});

describe("validateScheduleYaml", () => {
  const GOOD = `id: hourly-inventory
cron: "0 0 * * * *"
job_id: inventory-hw
target: { groups: [canary, wave1] }
jitter: 5m
rollout:
  strategy: wave
  waves:
    - { group: canary, delay: 0s }
    - { group: wave1, delay: 30m }
mode: once_per_pc
cooldown: 1d
starting_deadline: 30m
`;
  it("accepts the spec example", () => {
    expect(validateScheduleYaml(GOOD).issues).toEqual([]);
  });
  it("requires id, cron, job_id and a target", () => {
    const v = validateScheduleYaml("enabled: true\n");
    const msgs = v.issues.map((i) => i.message).join("\n");
    expect(msgs).toMatch(/id is required/);
    expect(msgs).toMatch(/cron is required/);
    expect(msgs).toMatch(/job_id is required/);
    expect(msgs).toMatch(/nothing to target/);
  });
  it("warns on 5-field cron and unknown keys, errors on bad mode", () => {
    const v = validateScheduleYaml('id: a\ncron: "0 * * * *"\njob_id: j\ntarget: {all: true}\nmode: sometimes\ncolour: red\n');
    expect(v.issues.filter((i) => i.level === "warn").map((i) => i.message).join("\n")).toMatch(/expects 6[\s\S]*unknown top-level key "colour"/);
    expect(v.issues.find((i) => i.level === "error")?.message).toMatch(/mode must be/);
  });
  it("accepts the optional 7th (year) field and descriptors without a warning", () => {
    for (const cron of ["0 0 3 1 1 * 2099", "@hourly", "@every 10m"]) {
      const v = validateScheduleYaml(`id: a\ncron: "${cron}"\njob_id: j\ntarget: {all: true}\n`);
      expect(v.issues).toEqual([]);
    }
  });
});

describe("toYaml", () => {
  it("drops nulls and uses block scalars for multi-line scripts", () => {
    const y = toYaml({ id: "a", description: null, execute: { shell: "cmd", script: "echo 1\necho 2\n", timeout: "60s" } });
    expect(y).not.toMatch(/description/);
    expect(y).toMatch(/script: \|/);
    expect(validateManifestYaml(y.replace("id: a", "id: a\nversion: 1.0.0")).ok).toBe(true);
  });
});
