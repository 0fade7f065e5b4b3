// Pure helpers of the "Connect agents" guide: what a kanade 0.29 agent on a
// Windows PC needs (../shared/spec/kanade-0.29-protocol.md §1): its config
// file %ProgramData%\Kanade\config\agent.toml ([agent] id, nats_url) and the
// NATS token in HKLM\SOFTWARE\kanade\agent\NatsToken (REG_SZ), else the
// KANADE_NATS_TOKEN environment variable.
import type { AgentURL, ConnectInfo } from "../api/types";

export const AGENT_CONFIG_PATH = String.raw`C:\ProgramData\Kanade\config\agent.toml`;
export const TOKEN_KEY_PATH = String.raw`HKLM\SOFTWARE\kanade\agent`;
export const AGENT_SERVICE = "KanadeAgent";

/** The token with all but its last 4 characters hidden (all of a short one). */
export function maskToken(token: string): string {
  if (!token) return "";
  const shown = token.length > 12 ? token.slice(-4) : "";
  return "•".repeat(Math.min(token.length - shown.length, 24)) + shown;
}

/** A TOML literal string ('…'), or a basic one when the text holds a quote. */
function tomlString(s: string): string {
  return s.includes("'") ? JSON.stringify(s) : `'${s}'`;
}

/** agent.toml for a PC: its hostname as pc_id, this console's NATS URL. */
export function agentToml(natsUrl: string): string {
  return [
    "# kanade agent — " + AGENT_CONFIG_PATH,
    "[agent]",
    "id = '{{ system.host }}'   # pc_id: the PC's hostname",
    `nats_url = ${tomlString(natsUrl)}`,
    "",
    "[log]",
    String.raw`path = 'C:\ProgramData\Kanade\logs\agent.log'`,
    "level = 'info'",
    "",
  ].join("\n");
}

/** A PowerShell single-quoted string. */
function psQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * The PowerShell (as Administrator) that sets a PC up: the config file, the
 * token in the registry (when there is one) and a restart of the agent
 * service. mask replaces the token with maskToken for display.
 */
export function windowsSetup(natsUrl: string, token: string, opts: { mask?: boolean } = {}): string {
  const lines = [
    "# Run in PowerShell as Administrator on each PC",
    `New-Item -ItemType Directory -Force ${psQuote(String.raw`C:\ProgramData\Kanade\config`)} | Out-Null`,
    `Set-Content -Encoding UTF8 -Path ${psQuote(AGENT_CONFIG_PATH)} -Value @'`,
    agentToml(natsUrl).trimEnd(),
    "'@",
  ];
  if (token) {
    const shown = opts.mask ? maskToken(token) : token;
    lines.push(
      "# The NATS token (REG_SZ; KANADE_NATS_TOKEN works too)",
      `New-Item -Path ${psQuote("HKLM:" + TOKEN_KEY_PATH.slice(4))} -Force | Out-Null`,
      `Set-ItemProperty -Path ${psQuote("HKLM:" + TOKEN_KEY_PATH.slice(4))} -Name NatsToken -Type String -Value ${psQuote(shown)}`,
    );
  }
  lines.push(`Restart-Service ${AGENT_SERVICE}`);
  return lines.join("\n") + "\n";
}

/** The URL the guide puts in the config: the first one other PCs can reach, else the local one. */
export function preferredUrl(urls: AgentURL[]): string {
  return (urls.find((u) => u.scope === "network") ?? urls[0])?.url ?? "";
}

/** How to open a loopback-only listener, per front door. */
export function openListenHint(info: Pick<ConnectInfo, "open_listen">, desktop: boolean): string {
  const to = info.open_listen || "0.0.0.0:4222";
  return desktop
    ? `Settings → "Agents connect to (listen address)": ${to}, then apply`
    : `kanade-console serve --nats-listen ${to}   (or [nats] listen = "${to}" in backend.toml)`;
}

/** Whether pcId is one of the console's simulated demo agents (PREFIX-00001…). */
export function isSimulated(pcId: string, prefix: string): boolean {
  if (!prefix || !pcId.startsWith(prefix + "-")) return false;
  return /^[0-9]{5,}$/.test(pcId.slice(prefix.length + 1));
}
