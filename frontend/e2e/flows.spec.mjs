// Operator flows through the UI against the real console and the simulated
// fleet: run a script, create a job and a schedule, fan a job out to every
// agent, kill a running execution, publish and roll out a release, and the
// dashboard in the dark theme and in a narrow window; sign in on a 401.
import { assert, expectAttr, expectToast, expectCount, expectText, expectVisible, test, until } from "./lib/harness.mjs";
import { buildAgentBinary } from "./lib/pe.mjs";
import { IDS } from "./lib/seed.mjs";

const AGENTS = Number(process.env.E2E_AGENTS ?? 25);
const tid = (page, id) => page.getByTestId(id);
const rows = (table) => table.locator("tbody tr");

const UI_JOB = "e2e-ui-job";
const UI_JOB_YAML = `id: ${UI_JOB}
version: 1.0.0
description: Created in the YAML editor (e2e)
execute:
  shell: powershell
  script: |
    echo fan-out from the e2e suite
    sleep 30
    echo done
  timeout: 60s
  run_as: system
`;

test("run: a script on one simulated PC returns its stdout, stderr and exit code", async ({ page }) => {
  const pc = "SIM-00009";
  await page.goto("/run");
  await expectVisible(tid(page, "page-run"));
  await tid(page, "run-pc").fill(pc);
  await tid(page, "run-shell").selectOption("cmd");
  await tid(page, "run-timeout").fill("30");
  await tid(page, "run-script").fill("echo hello from the e2e suite\necho second line\nstderr a warning\nexit 3");
  await tid(page, "run-submit").click();
  const result = await expectVisible(tid(page, "run-result"), { timeout: 40_000 });
  await expectText(tid(page, "run-stdout"), "hello from the e2e suite second line");
  await expectText(tid(page, "run-stdout-count"), /\d+ chars?/);
  await expectText(tid(page, "run-stderr"), "a warning");
  await expectText(tid(result, "exit-badge"), "exit 3");
  await expectText(result, pc);

  // Ctrl+Enter runs again from the script box
  await tid(page, "run-script").fill("echo again");
  await tid(page, "run-script").press("Control+Enter");
  await expectText(tid(page, "run-stdout"), "again");
  await expectText(tid(result, "exit-badge"), "exit 0");

  await tid(page, "run-result-link").click();
  await expectVisible(tid(page, "page-result"));
  await expectText(tid(page, "result-stdout"), "again");
  await expectText(tid(page, "result-meta"), pc);
  await expectText(tid(page, "result-meta"), "ad-hoc");
});

test("jobs: create a job in the YAML editor with live validation", async ({ page, api }) => {
  await page.goto("/jobs");
  await tid(page, "new-job").click();
  await expectVisible(tid(page, "page-job-editor"));
  const editor = tid(page, "job-yaml");
  await expectText(tid(page, "yaml-valid"), "valid"); // the template is valid

  await editor.fill(UI_JOB_YAML.replace("  timeout: 60s\n", "").replace("shell: powershell", "shell: bash"));
  await expectText(tid(page, "yaml-issues"), "execute.shell must be powershell or cmd");
  await expectText(tid(page, "yaml-issues"), "execute.timeout is required");
  assert(await tid(page, "save-job").isDisabled(), "Save disabled with errors");
  await editor.fill("id: [unclosed");
  await expectText(tid(page, "yaml-issues"), /line 1/);

  await editor.fill(UI_JOB_YAML);
  await expectText(tid(page, "yaml-valid"), "valid");
  await until(async () => !(await tid(page, "save-job").isDisabled()), "Save enabled");
  await tid(page, "save-job").click();
  await page.waitForURL("**/jobs");
  await expectToast(page, `Saved ${UI_JOB} 1.0.0`);
  const row = tid(page, `job-row-${UI_JOB}`);
  await expectText(row, "Created in the YAML editor");
  await expectText(tid(row, "job-status"), "ACTIVE");
  const jobs = await api.get("/api/jobs?limit=1000");
  const j = jobs.find((x) => x.id === UI_JOB);
  assert(j && j.execute.script.includes("fan-out from the e2e suite"), `job stored with its script: ${JSON.stringify(j)}`);
});

test("schedules: create a schedule, cron description and next 5 fire times", async ({ page, api }) => {
  await page.goto("/schedules");
  await tid(page, "new-schedule").click();
  await expectVisible(tid(page, "page-schedule-editor"));
  await tid(page, "schedule-yaml").fill(`id: e2e-weekdays
cron: "0 30 2 * * 1-5"
job_id: ${IDS.job}
target:
  groups: [canary, wave1]
jitter: 5m
mode: once_per_pc
cooldown: 1d
enabled: true
`);
  await expectText(tid(page, "cron-text"), /At 02:30, Monday through Friday/);
  const next = tid(page, "cron-next").locator("li");
  await expectCount(next, (n) => n === 5);
  const times = await tid(page, "cron-next").locator("time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
  assert(times.length === 5, `5 fire times: ${times}`);
  let prev = 0;
  for (const t of times) {
    const d = new Date(t);
    assert(d.getUTCHours() === 2 && d.getUTCMinutes() === 30 && d.getUTCSeconds() === 0, `fires at 02:30:00 UTC: ${t}`);
    assert(d.getUTCDay() >= 1 && d.getUTCDay() <= 5, `fires on a weekday: ${t}`);
    assert(d.getTime() > prev && d.getTime() > Date.now(), `ascending, in the future: ${t}`);
    prev = d.getTime();
  }
  await expectText(tid(page, "yaml-valid"), "valid");
  await until(async () => !(await tid(page, "save-schedule").isDisabled()), "Save enabled");
  await tid(page, "save-schedule").click();
  await page.waitForURL("**/schedules");
  const row = tid(page, "schedule-row-e2e-weekdays");
  await expectText(row, /Monday through Friday/);
  await expectText(row, "groups: canary, wave1");
  await expectText(row, "once_per_pc");
  await expectText(row, "enabled");
  const s = (await api.get("/api/schedules?limit=1000")).find((x) => x.id === "e2e-weekdays");
  assert(s && s.cron === "0 30 2 * * 1-5" && s.enabled !== false, `schedule stored: ${JSON.stringify(s)}`);

  // toggle it off from the table (re-POST with enabled: false)
  await tid(row, "schedule-toggle").click();
  await expectText(row, "disabled");
  await until(async () => (await api.get("/api/schedules?limit=1000")).find((x) => x.id === "e2e-weekdays")?.enabled === false, "schedule disabled");
});

test("exec: fan a job out to all agents and watch the execution complete", async ({ page, api, shot }) => {
  if (!(await api.get("/api/jobs?limit=1000")).some((j) => j.id === UI_JOB)) await api.upsertJobYaml(UI_JOB_YAML);
  await page.goto("/jobs");
  await tid(tid(page, `job-row-${UI_JOB}`), "exec-job").click();
  await expectVisible(tid(page, "page-exec"));
  await until(async () => (await tid(page, "exec-job").inputValue()) === UI_JOB, "job preselected");
  await tid(page, "target-mode-all").click();
  await expectAttr(tid(page, "target-mode-all"), "aria-pressed", "true");
  await tid(page, "exec-fire").click();
  await expectVisible(tid(page, "confirm-dialog"));
  await tid(page, "confirm-ok").click();
  await expectVisible(tid(page, "exec-result"));
  await expectText(tid(page, "exec-target-count"), String(AGENTS));
  await expectText(tid(page, "exec-result"), "commands.all");
  await tid(page, "exec-result-link").click();
  await expectVisible(tid(page, "page-execution"));
  await expectText(tid(page, "execution-status"), "completed", { timeout: 30_000 });
  await expectCount(rows(tid(page, "table-execution-results")), (n) => n === AGENTS, { timeout: 10_000 });
  await expectText(tid(page, "execution-progress"), `${AGENTS} succeeded`);
  await expectText(tid(page, "execution-progress"), "0 pending");
  const exits = await tid(tid(page, "table-execution-results"), "exit-badge").allTextContents();
  assert(exits.every((e) => e.trim() === "exit 0"), `every PC exit 0: ${exits}`);
  const pcs = await rows(tid(page, "table-execution-results")).locator("td:nth-child(2)").allTextContents();
  assert(new Set(pcs).size === AGENTS, `one result per PC: ${pcs.length} rows, ${new Set(pcs).size} PCs`);
  await shot("completed");
  // the outcome filter pages the results through /api/results?exec_id=&status=
  await tid(page, "execution-results-status").getByRole("button", { name: "Failed" }).click();
  await expectText(tid(page, "page-execution"), "No failed results.");
  await tid(page, "execution-results-status").getByRole("button", { name: "All" }).click();
  await expectCount(rows(tid(page, "table-execution-results")), (n) => n === AGENTS);
  // a per-PC result opens with its output
  await rows(tid(page, "table-execution-results")).first().locator("td").first().getByRole("link").click();
  await expectText(tid(page, "result-stdout"), "fan-out from the e2e suite done");
});

test("executions: kill a running execution, results arrive with exit -1", async ({ page, api, shot }) => {
  await api.upsertJob({ id: "e2e-sleep", version: "1.0.0", description: "Sleeps for ten minutes (e2e)", execute: { shell: "powershell", script: "sleep 10m", timeout: "30m" } });
  const ex = await api.exec("e2e-sleep");
  await page.goto(`/executions/${ex.exec_id}`);
  await expectVisible(tid(page, "page-execution"));
  // the sim publishes started events: every PC shows up in flight
  await expectCount(rows(tid(page, "table-inflight")), (n) => n === AGENTS);
  await expectText(tid(page, "execution-status"), /pending|running/);
  await expectText(tid(page, "execution-progress"), `${AGENTS} pending`);
  await shot("running");
  await tid(page, "kill-execution").click();
  await expectVisible(tid(page, "confirm-dialog"));
  await expectText(tid(page, "confirm-dialog"), `kill.${ex.exec_id}`);
  await tid(page, "confirm-ok").click();
  await expectToast(page, "Kill sent");
  await expectCount(rows(tid(page, "table-execution-results")), (n) => n === AGENTS, { timeout: 20_000 });
  await expectText(tid(page, "execution-status"), "completed");
  await expectText(tid(page, "execution-progress"), `${AGENTS} failed`);
  await until(async () => (await tid(page, "table-inflight").count()) === 0, "in-flight table gone");
  const exits = await tid(tid(page, "table-execution-results"), "exit-badge").allTextContents();
  assert(exits.length === AGENTS && exits.every((e) => e.trim() === "exit -1"), `every PC exit -1: ${exits}`);
  const r = (await api.get(`/api/results?exec_id=${ex.exec_id}&limit=1`))[0];
  assert(/killed by remote signal/.test(r.stderr), `stderr says killed: ${r.stderr}`);
});

test("rollout: upload an agent binary, roll it out to a group, delete conflict explained", async ({ page, api }) => {
  const version = "0.30.1";
  await page.goto("/rollout");
  await expectVisible(tid(page, "page-rollout"));
  await tid(page, "publish-file").setInputFiles({ name: `kanade-agent-${version}.exe`, mimeType: "application/octet-stream", buffer: buildAgentBinary(version) });
  await tid(page, "publish-submit").click();
  await expectText(tid(page, "publish-result"), `Published ${version}`);
  const table = tid(page, "table-releases");
  const row = table.locator("tbody tr", { hasText: version });
  await expectCount(row, (n) => n === 1);
  await tid(row, "rollout-button").click();
  await expectVisible(tid(page, "rollout-dialog"));
  await tid(page, "rollout-scope-group").click();
  await tid(page, "scope-value").fill("canary");
  await tid(page, "rollout-jitter").fill("10m");
  await tid(page, "rollout-submit").click();
  await expectToast(page, `now targets ${version}`);
  await until(async () => (await api.get("/api/groups/canary/config")).target_version === version, "canary targets the release");
  const eff = await api.get("/api/agents/SIM-00001/effective_config");
  assert(eff.effective.target_version === version, `SIM-00001 effective target ${JSON.stringify(eff)}`);

  await tid(row, "delete-release").click();
  await tid(page, "confirm-ok").click();
  await expectText(tid(page, "release-delete-conflict"), "canary");
  await expectCount(row, (n) => n === 1);
}, { allowConsole: [/status of 409/] });

test("theme: the dashboard in the dark theme", async ({ page }) => {
  await page.goto("/dashboard");
  await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
  await until(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === "light", "light theme first");
  const bgLight = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await tid(page, "theme-toggle").click();
  await until(async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "dark theme applied");
  await page.reload(); // the choice is remembered
  await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
  await expectCount(rows(tid(page, "table-recent-results")), 1);
  assert((await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "dark theme after reload");
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const lum = (c) => {
    const [r, g, b] = c.match(/\d+(\.\d+)?/g).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  };
  assert(lum(bg) < 0.25 && lum(bgLight) > 0.75, `dark background ${bg} (light was ${bgLight})`);
  const fg = await page.evaluate(() => getComputedStyle(document.querySelector("[data-testid=page-dashboard] h1") ?? document.body).color);
  assert(lum(fg) > 0.6, `light text on dark: ${fg}`);
});

test("theme: follows a dark system preference", async ({ page }) => {
  await page.goto("/dashboard");
  await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
  assert((await page.evaluate(() => document.documentElement.dataset.theme)) === "dark", "dark from prefers-color-scheme");
}, { colorScheme: "dark" });

test("narrow window (600 px): dashboard fits, navigation drawer works", async ({ page }) => {
  await page.goto("/dashboard");
  await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
  await expectText(tid(page, "stat-agents"), `${AGENTS} / ${AGENTS}`);
  await expectCount(rows(tid(page, "table-recent-results")), 1);
  await expectVisible(tid(page, "nav-toggle"));
  assert(!(await tid(page, "nav-agents").isVisible()) || !(await inViewport(page, "nav-agents")), "sidebar hidden behind the menu button");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `no horizontal page scroll (overflow ${overflow}px)`);
  await tid(page, "nav-toggle").click();
  await until(() => inViewport(page, "nav-agents"), "drawer open");
  await tid(page, "nav-agents").click();
  await expectVisible(tid(page, "page-agents"));
  await until(async () => !(await inViewport(page, "nav-agents")), "drawer closed after navigating");
  await expectCount(rows(tid(page, "table-agents")), AGENTS);
  await page.goto("/dashboard");
  await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
}, { viewport: { width: 600, height: 900 } });

test("keyboard: skip link, dialog focus, Escape cancels", async ({ page, api }) => {
  await page.goto("/dashboard");
  await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
  await page.keyboard.press("Tab");
  const focused = () => page.evaluate(() => ({ text: document.activeElement?.textContent?.trim(), id: document.activeElement?.id, testid: document.activeElement?.getAttribute("data-testid") }));
  assert((await focused()).text === "Skip to content", `first Tab lands on the skip link: ${JSON.stringify(await focused())}`);
  await page.keyboard.press("Enter");
  await until(async () => (await focused()).id === "main", "focus moved to the main content");

  const before = (await api.req("GET", "/api/executions?limit=1")).total;
  await page.goto(`/exec?job=${IDS.job}`);
  await until(async () => (await tid(page, "exec-job").inputValue()) === IDS.job, "job preselected");
  await tid(page, "target-mode-all").press("Enter");
  await expectAttr(tid(page, "target-mode-all"), "aria-pressed", "true");
  await tid(page, "exec-fire").focus();
  await page.keyboard.press("Enter");
  await expectVisible(tid(page, "confirm-dialog"));
  await until(async () => (await focused()).testid === "confirm-ok", "the dialog's confirm button has focus");
  await page.keyboard.press("Escape");
  await tid(page, "confirm-dialog").waitFor({ state: "hidden" });
  assert((await tid(page, "exec-result").count()) === 0, "nothing fired");
  assert((await api.req("GET", "/api/executions?limit=1")).total === before, "no execution created");
});

async function inViewport(page, testId) {
  return page.getByTestId(testId).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > 0 && r.left < window.innerWidth && getComputedStyle(el).visibility !== "hidden";
  });
}

// The console runs with a static token (scripts/e2e.sh). A browser without
// one meets the 401 and gets the sign-in dialog with the server's reason; a
// wrong token is refused with the next reason; the right one is kept and the
// page loads without a reload.
test(
  "auth: a 401 asks for a token, a wrong one is refused, the right one signs in",
  async ({ page, token }) => {
    assert(token, "scripts/e2e.sh starts the console with a token (E2E_TOKEN)");
    await page.goto("/dashboard");
    const dialog = tid(page, "token-dialog");
    await expectVisible(dialog);
    await expectText(dialog, "missing bearer token");
    await tid(page, "token-input").fill("not-the-token");
    await tid(page, "token-submit").click();
    // "invalid static token" without accounts; with them a token that is not
    // the static one is tried as a sign-in JWT (kanade v0.4x): "invalid token: …".
    await expectText(dialog, /invalid static token|invalid token/);
    await tid(page, "token-input").fill(token);
    await tid(page, "token-submit").click();
    await dialog.waitFor({ state: "hidden" });
    await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
    assert((await page.evaluate(() => localStorage.getItem("kanade_token"))) === token, "the token is kept for the next visit");
    await page.reload();
    await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
    assert(!(await dialog.isVisible()), "no dialog once signed in");
  },
  { signedOut: true, allowConsole: [/status of 401/] },
);
