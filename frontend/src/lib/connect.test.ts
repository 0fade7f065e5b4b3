import { describe, expect, it } from "vitest";
import { agentToml, isSimulated, maskToken, openListenHint, preferredUrl, windowsSetup } from "./connect";

describe("maskToken", () => {
  it("hides short tokens entirely and keeps the last 4 of long ones", () => {
    expect(maskToken("")).toBe("");
    expect(maskToken("abc")).toBe("•••");
    expect(maskToken("e2e-0123456789abcdef")).toBe("•".repeat(16) + "cdef");
    expect(maskToken("x".repeat(100)).length).toBe(28);
  });
});

describe("agentToml", () => {
  it("names the PC by its hostname and points at the URL", () => {
    const t = agentToml("nats://192.168.1.20:4222");
    expect(t).toContain("[agent]\nid = '{{ system.host }}'");
    expect(t).toContain("nats_url = 'nats://192.168.1.20:4222'");
    expect(t).toContain("[log]");
  });
  it("quotes a URL with a quote as a basic string", () => {
    expect(agentToml("nats://h:1/'x")).toContain(`nats_url = "nats://h:1/'x"`);
  });
});

describe("windowsSetup", () => {
  it("writes the config, the registry token and restarts the service", () => {
    const s = windowsSetup("nats://10.0.0.5:4222", "tok'en-1234567890");
    expect(s).toContain(String.raw`Set-Content -Encoding UTF8 -Path 'C:\ProgramData\Kanade\config\agent.toml' -Value @'`);
    expect(s).toContain("nats_url = 'nats://10.0.0.5:4222'");
    expect(s).toContain(String.raw`Set-ItemProperty -Path 'HKLM:\SOFTWARE\kanade\agent' -Name NatsToken -Type String -Value 'tok''en-1234567890'`);
    expect(s.trimEnd().endsWith("Restart-Service KanadeAgent")).toBe(true);
  });
  it("masks the token for display and leaves it out when there is none", () => {
    expect(windowsSetup("nats://h:4222", "secret-token-abcd", { mask: true })).not.toContain("secret-token");
    expect(windowsSetup("nats://h:4222", "")).not.toContain("NatsToken");
  });
});

describe("preferredUrl", () => {
  it("prefers an address other PCs can reach", () => {
    expect(preferredUrl([{ url: "nats://127.0.0.1:4222", scope: "local" }])).toBe("nats://127.0.0.1:4222");
    expect(
      preferredUrl([
        { url: "nats://10.0.0.5:4222", scope: "network" },
        { url: "nats://127.0.0.1:4222", scope: "local" },
      ]),
    ).toBe("nats://10.0.0.5:4222");
    expect(preferredUrl([])).toBe("");
  });
});

describe("openListenHint", () => {
  it("names the flag in the browser and the setting in the desktop app", () => {
    expect(openListenHint({ open_listen: "0.0.0.0:4300" }, false)).toContain("--nats-listen 0.0.0.0:4300");
    expect(openListenHint({ open_listen: "0.0.0.0:4300" }, true)).toContain("Settings");
    expect(openListenHint({}, false)).toContain("0.0.0.0:4222");
  });
});

describe("isSimulated", () => {
  it.each([
    ["DEMO-00001", true],
    ["DEMO-123456", true],
    ["DEMO-1", false],
    ["demo-00001", false],
    ["DEMO-0001x", false],
    ["PC-DEMO-00001", false],
    ["SIM-00001", false],
  ])("%s → %s", (id, want) => {
    expect(isSimulated(id, "DEMO")).toBe(want);
  });
  it("is false without a prefix", () => {
    expect(isSimulated("DEMO-00001", "")).toBe(false);
  });
});
