// Every page renders with data from the seeded console and the simulated
// fleet, without console errors or uncaught exceptions.
import { assert, expectAttr, expectToast, expectCount, expectText, expectVisible, test, until } from "./lib/harness.mjs";
import { IDS } from "./lib/seed.mjs";

const AGENTS = Number(process.env.E2E_AGENTS ?? 25);
const tid = (page, id) => page.getByTestId(id);
const rows = (table) => table.locator("tbody tr");

test("dashboard: fleet ok, agents online, health badge, chart, recent results and audit", async ({ page }) => {
  await page.goto("/");
  await page.waitForURL("**/dashboard");
  await expectVisible(tid(page, "page-dashboard"));
  await expectAttr(tid(page, "fleet-health"), "data-status", "ok");
  await expectText(tid(page, "fleet-health"), "Fleet ok");
  await expectAttr(tid(page, "health-badge"), "data-status", "ok");
  await expectText(tid(page, "health-badge"), "ok");
  await expectText(tid(page, "stat-agents"), `${AGENTS} / ${AGENTS}`);
  await expectText(tid(page, "stat-agents"), "0 stale");
  await expectText(tid(page, "stat-results"), /Results \(24 h\)\s*[1-9][\d,]*/);
  await expectText(tid(page, "stat-lag"), /Projector lag\s*\d/);
  await expectCount(rows(tid(page, "table-recent-results")), 8);
  await expectCount(rows(tid(page, "table-recent-audit")), 1);
  await expectText(tid(page, "table-recent-audit"), "exec");
  // the chart draws at least one non-empty bar for this hour
  await expectVisible(tid(page, "results-chart"));
  await expectCount(tid(page, "results-chart").locator("rect"), 1);
  await expectText(tid(page, "last-updated"), /updated \d\d:\d\d:\d\d/);
});

test("agents: table, search, log tail, ping and group editor", async ({ page, api }) => {
  await page.goto("/agents");
  await expectVisible(tid(page, "page-agents"));
  await expectCount(rows(tid(page, "table-agents")), (n) => n === AGENTS);
  await expectText(tid(page, "page-agents"), `${AGENTS} agents match`);
  await expectText(tid(page, "agent-row-SIM-00001"), "canary");

  const pc = "SIM-00007";
  await tid(page, "agents-search").fill(pc);
  await expectCount(rows(tid(page, "table-agents")), (n) => n === 1);
  await page.waitForURL(`**/agents?q=${pc}*`);
  await expectText(tid(page, "page-agents"), "1 agent matches");
  const row = tid(page, `agent-row-${pc}`);
  await expectText(row, "online");
  await expectText(row, "0.29.0");

  await row.getByTestId("logs-button").click();
  await expectVisible(tid(page, "logs-dialog"));
  await expectText(tid(page, "logs-output"), /\S/);
  await page.keyboard.press("Escape");
  await tid(page, "logs-dialog").waitFor({ state: "detached" });

  await row.getByTestId("ping-button").click();
  await expectToast(page, `${pc} answered`);

  await row.getByTestId("edit-groups").click();
  await expectVisible(tid(page, "groups-dialog"));
  await tid(page, "group-input").fill("e2e-ui");
  await tid(page, "group-add").click();
  await expectText(tid(page, "groups-chips"), "e2e-ui");
  await until(async () => (await api.get(`/api/agents/${pc}/groups`)).groups.includes("e2e-ui"), "group e2e-ui stored");
  await page.keyboard.press("Escape");
  await expectText(row, "e2e-ui");
});

test("activity: results, filters, result detail deep link survives a reload", async ({ page }) => {
  await page.goto("/activity");
  await expectVisible(tid(page, "page-activity"));
  const table = tid(page, "table-results");
  await expectCount(rows(table), 2 * AGENTS);

  await tid(page, "filter-job").fill(IDS.probe);
  await page.waitForURL(`**/activity?*job_id=${IDS.probe}*`);
  await tid(page, "filter-status").selectOption("success");
  await page.waitForURL("**/activity?*status=success*");
  await until(async () => {
    const jobs = await table.locator("tbody tr td:nth-child(3)").allTextContents();
    const exits = await tid(table, "exit-badge").allTextContents();
    return jobs.length > 0 && jobs.every((j) => j.trim() === IDS.probe) && exits.every((e) => e.trim() === "exit 0");
  }, "only successful probe results listed");
  // inventory output is a JSON object
  await expectText(rows(table).first(), /\{"Name":"SIM-\d+"/);

  const link = rows(table).first().locator("td").first().getByRole("link");
  const resultId = await link.getAttribute("title");
  assert(resultId && /^[0-9a-f-]{36}$/.test(resultId), `result id in the link title: ${resultId}`);
  await link.click();
  await page.waitForURL(`**/activity/${resultId}`);
  await expectText(tid(page, "result-id"), resultId);
  await page.reload();
  await expectVisible(tid(page, "page-result"));
  await expectText(tid(page, "result-id"), resultId);
  await expectText(tid(page, "result-meta"), IDS.probe);
  await expectText(tid(page, "result-meta"), "success");
  await expectText(tid(page, "result-stdout"), /"TotalPhysicalMemory":\d+/);
  await expectText(tid(page, "result-stdout-count"), /\d+ chars?/);
  await tid(page, "back-to-activity").click();
  await expectVisible(tid(page, "page-activity"));
});

test("activity: unknown result id shows not found", async ({ page }) => {
  await page.goto("/activity/00000000-0000-0000-0000-000000000000");
  await expectVisible(tid(page, "state-not-found"));
}, { allowConsole: [/status of 404/] });

test("executions: list with progress, detail with per-PC results", async ({ page }) => {
  await page.goto("/executions");
  await expectVisible(tid(page, "page-executions"));
  const table = tid(page, "table-executions");
  await expectCount(rows(table), 2);
  await expectCount(tid(table, "progress"), 2);
  await tid(page, "executions-job").selectOption(IDS.job);
  await page.waitForURL(`**/executions?job_id=${IDS.job}*`);
  await expectCount(rows(table), (n) => n === 1);
  const row = rows(table).first();
  await expectText(tid(row, "execution-status"), "completed");
  await expectText(row, `/ ${AGENTS}`);
  await row.locator("td").first().getByRole("link").click();
  await expectVisible(tid(page, "page-execution"));
  await expectText(tid(page, "execution-status"), "completed");
  await expectText(tid(page, "execution-progress"), `target ${AGENTS}`);
  await expectCount(rows(tid(page, "table-execution-results")), (n) => n === AGENTS);
  await expectText(tid(page, "execution-progress"), IDS.job);
});

test("jobs: catalog, revoke and unrevoke, delete conflict explained", async ({ page, api }) => {
  await page.goto("/jobs");
  await expectVisible(tid(page, "page-jobs"));
  const row = tid(page, `job-row-${IDS.job}`);
  await expectText(row, "1.0.0");
  await expectText(tid(page, `job-row-${IDS.probe}`), "inventory");
  await expectText(tid(row, "job-status"), "ACTIVE");

  await tid(row, "revoke-job").click();
  await expectText(tid(row, "job-status"), "REVOKED");
  assert((await api.get("/api/scripts/status"))[IDS.job] === "REVOKED", "script_status says REVOKED");
  await tid(row, "unrevoke-job").click();
  await expectText(tid(row, "job-status"), "ACTIVE");

  // the job is referenced by the seeded schedule: 409, explained with a link
  await tid(row, "delete-job").click();
  await tid(page, "confirm-ok").click();
  const conflict = await expectVisible(tid(page, "job-delete-conflict"));
  await expectText(conflict, IDS.schedule);
  assert((await conflict.getByRole("link", { name: IDS.schedule }).count()) === 1, "conflict links to the schedule");
  // nothing happened to the job: still listed and not revoked
  await expectText(tid(row, "job-status"), "ACTIVE");
  assert((await api.get("/api/scripts/status"))[IDS.job] !== "REVOKED", "a refused delete leaves the job active");
  assert((await api.get("/api/jobs?limit=1000")).some((j) => j.id === IDS.job), "a refused delete leaves the job in the catalog");
}, { allowConsole: [/status of 409/] });

test("exec page: jobs, target modes, groups with member counts", async ({ page }) => {
  await page.goto(`/exec?job=${IDS.job}`);
  await expectVisible(tid(page, "page-exec"));
  await expectAttr(tid(page, "exec-job"), "data-testid", "exec-job");
  await until(async () => (await tid(page, "exec-job").inputValue()) === IDS.job, "job preselected from ?job=");
  await expectText(tid(page, "target-groups"), "canary (3)");
  await expectText(tid(page, "target-groups"), "wave1 (4)");
  await tid(page, "target-mode-pcs").click();
  await tid(page, "target-pcs").fill("SIM-00002");
  await tid(page, "target-pcs").press("Enter");
  await expectText(tid(page, "exec-form"), '"pcs": [');
  await tid(page, "use-waves").check();
  await expectVisible(tid(page, "waves-editor"));
  await tid(page, "exec-jitter").fill("bogus");
  await expectText(tid(page, "exec-form"), "jitter must be a duration");
  assert(await tid(page, "exec-fire").isDisabled(), "Fire disabled while the form is invalid");
});

test("schedules: table with readable cron", async ({ page }) => {
  await page.goto("/schedules");
  await expectVisible(tid(page, "page-schedules"));
  const row = tid(page, `schedule-row-${IDS.schedule}`);
  await expectText(row, "0 0 3 * * *");
  await expectText(row, /At 03:00/);
  await expectText(row, "groups: canary");
  await expectText(row, "disabled");
});

test("inventory: probe fleet table with formatted facts, per-PC view", async ({ page }) => {
  await page.goto("/inventory");
  await expectVisible(tid(page, "page-inventory"));
  await expectText(tid(page, "inventory-probes"), IDS.probe);
  const table = tid(page, "table-inventory");
  const n = await expectCount(rows(table), 10);
  await expectText(table.locator("thead"), /PC\W*Hostname\s*RAM\s*Last boot\s*Collected/);
  await expectText(rows(table).first(), /\d+(\.\d+)? (GiB|GB)/); // bytes formatting
  await expectText(rows(table).first(), /\d{4}-\d\d-\d\d \d\d:\d\d/); // timestamp formatting
  await tid(page, "inventory-filter").fill("SIM-0001");
  await expectCount(rows(table), (k) => k > 0 && k < n);

  const link = rows(table).first().locator("td").first().getByRole("link");
  const pc = (await link.textContent()).trim();
  await link.click();
  await page.waitForURL(`**/inventory/pc/${pc}`);
  await expectVisible(tid(page, "page-pc-inventory"));
  const card = tid(page, `pc-probe-${IDS.probe}`);
  await expectText(card, `Hostname${pc}`);
  await expectText(card, /RAM\s*\d+(\.\d+)? (GiB|GB)/);
  await expectText(card, /Cores\s*\d+/);
  await expectText(tid(page, "page-pc-inventory"), "online");
});

test("audit: events and action filter", async ({ page }) => {
  await page.goto("/audit");
  await expectVisible(tid(page, "page-audit"));
  const table = tid(page, "table-audit");
  await expectCount(rows(table), 5);
  await tid(page, "audit-action").fill("exec");
  await page.waitForURL("**/audit?*action=exec*");
  await until(async () => {
    const actions = await table.locator("tbody tr td:nth-child(3)").allTextContents();
    return actions.length >= 2 && actions.every((a) => a.trim() === "exec");
  }, "only exec events");
  await expectText(table, IDS.probe);
});

test("rollout: releases table", async ({ page }) => {
  await page.goto("/rollout");
  await expectVisible(tid(page, "page-rollout"));
  const table = tid(page, "table-releases");
  await expectText(table, IDS.release);
  await expectText(table, "SHA-256=");
  await expectText(table, /1(\.0)? (KiB|kB)/);
});

test("config: scopes, effective config with conflict warnings, edit a PC scope", async ({ page, api }) => {
  await page.goto("/config");
  await expectVisible(tid(page, "page-config"));
  await until(async () => (await tid(page, "global-target_version_jitter").inputValue()) === "1h", "global jitter 1h loaded");
  await tid(page, "config-group").fill("canary");
  await tid(page, "config-group").press("Enter");
  await until(async () => (await tid(page, "group-heartbeat_interval").inputValue()) === "1m", "canary heartbeat 1m loaded");
  await tid(page, "effective-pc").fill(IDS.conflictPc);
  await tid(page, "effective-pc").press("Enter");
  await expectText(tid(page, "effective-config"), "heartbeat_interval");
  await expectText(tid(page, "effective-warnings"), /heartbeat_interval/);

  // the PC's own scope wins over its groups
  await tid(page, "config-pc").fill(IDS.conflictPc);
  await tid(page, "config-pc").press("Enter");
  await expectVisible(tid(page, "config-scope-pc"));
  await tid(page, "pc-heartbeat_interval").fill("2m");
  await tid(page, "save-pc-config").click();
  await expectToast(page, `Saved pc ${IDS.conflictPc} config`);
  await expectText(tid(page, "effective-config"), /heartbeat_interval\s*2m/);
  assert((await api.get(`/api/pcs/${IDS.conflictPc}/config`)).heartbeat_interval === "2m", "PC scope stored");
});

test("status: NATS, scheduler leader, projectors, JetStream, retention", async ({ page }) => {
  await page.goto("/status");
  await expectVisible(tid(page, "page-status"));
  await expectText(tid(page, "status-nats"), /connected/i);
  await expectText(tid(page, "status-scheduler"), /this instance/);
  await expectText(tid(page, "status-agents"), `${AGENTS} / ${AGENTS}`);
  await expectCount(rows(tid(page, "table-projectors")), 3);
  await expectText(tid(page, "table-projectors"), "running");
  await expectText(tid(page, "jetstream-status"), "RESULTS");
  await expectVisible(tid(page, "card-dead-letters"));
  // the retention sweep ran at start with the defaults
  await expectCount(rows(tid(page, "table-retention")), 5);
  await expectText(tid(page, "table-retention"), "execution_results90 days");
  await expectText(tid(page, "card-retention"), /last .*ago|just now/);
});

test("navigation: every sidebar entry renders its page without a full reload", async ({ page }) => {
  await page.goto("/dashboard");
  await expectVisible(tid(page, "page-dashboard"));
  await page.evaluate(() => {
    window.__e2eMarker = "same-document";
  });
  const nav = {
    status: "page-status",
    run: "page-run",
    exec: "page-exec",
    executions: "page-executions",
    activity: "page-activity",
    jobs: "page-jobs",
    schedules: "page-schedules",
    agents: "page-agents",
    inventory: "page-inventory",
    config: "page-config",
    rollout: "page-rollout",
    audit: "page-audit",
    dashboard: "page-dashboard",
  };
  for (const [label, root] of Object.entries(nav)) {
    await tid(page, `nav-${label}`).click();
    await expectVisible(tid(page, root));
    await expectAttr(tid(page, `nav-${label}`), "class", /active/);
    assert((await tid(page, "state-error").count()) === 0, `${label}: no error state`);
  }
  assert((await page.evaluate(() => window.__e2eMarker)) === "same-document", "no full page reload while navigating");
  await page.goto("/no-such-page");
  await expectVisible(tid(page, "page-not-found"));
});

test("api docs: operations with parameters and schemas, from the bundled description", async ({ page }) => {
  await page.goto("/api-docs");
  await expectVisible(tid(page, "page-api-docs"));
  await expectCount(tid(page, "api-operation"), (n) => n >= 58);
  await expectCount(tid(page, "api-schema"), (n) => n >= 40);
  const agents = tid(page, "api-operation").filter({ hasText: "List agents" });
  await agents.locator("summary").click();
  await expectText(agents, "X-Total-Count");
  await expectText(agents, "AgentRow[]");
  await agents.getByRole("link", { name: "AgentRow" }).first().click();
  await expectVisible(page.locator("#schema-AgentRow"));
  await expectText(page.locator("#schema-AgentRow"), "last_heartbeat");
});
