// The small defects a new user saw (issue 14 item 5) and the /logs page
// (issue 11 item 6): each test shows one of them fixed in the browser.
import { assert, expectAttr, expectCount, expectText, expectVisible, test, until } from "./lib/harness.mjs";

const AGENTS = Number(process.env.E2E_AGENTS ?? 25);
const tid = (page, id) => page.getByTestId(id);
const rows = (table) => table.locator("tbody tr");
const json = (body, total) => ({ status: 200, contentType: "application/json", headers: { "X-Total-Count": String(total ?? body.length) }, body: JSON.stringify(body) });
const apiPath = (p) => (url) => url.pathname === p;

test("favicon: /favicon.ico is an icon, not the app, and the page links it", async ({ page }) => {
  const res = await page.request.get("/favicon.ico");
  assert(res.status() === 200, `GET /favicon.ico = ${res.status()}`);
  assert(res.headers()["content-type"] === "image/x-icon", `content-type ${res.headers()["content-type"]}`);
  const body = await res.body();
  assert(body.length > 1000 && body.readUInt32LE(0) === 0x00010000, `not an ICO (${body.length} bytes, ${body.subarray(0, 8).toString("hex")})`);
  await page.goto("/dashboard");
  await expectVisible(tid(page, "page-dashboard"));
  const icon = await page.evaluate(async () => {
    const link = document.querySelector('link[rel="icon"]');
    if (!link) return null;
    const img = new Image();
    img.src = link.href;
    await img.decode();
    return { href: link.getAttribute("href"), w: img.naturalWidth, h: img.naturalHeight };
  });
  assert(icon && icon.href === "/favicon.ico" && icon.w >= 16 && icon.h >= 16, `icon link ${JSON.stringify(icon)}`);
});

test("agents: a status the API does not know (?status=offline) is explained and reset, no HTTP 400", async ({ page, shot }) => {
  const bad = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/agents") && r.status() === 400) bad.push(r.url());
  });
  await page.goto("/agents?status=offline");
  await expectText(tid(page, "agents-status-invalid"), "“offline” is not an agent status");
  await expectCount(rows(tid(page, "table-agents")), (n) => n === AGENTS);
  assert((await tid(page, "agents-status").inputValue()) === "offline", "the dropdown names the unknown value");
  await shot("explained");
  await tid(page, "agents-status-set-stale").click();
  await page.waitForURL((u) => u.searchParams.get("status") === "stale");
  await tid(page, "agents-status-invalid").waitFor({ state: "detached" });
  await expectText(tid(page, "page-agents"), "No agents match these filters.");

  await page.goto("/agents?status=offline");
  await tid(page, "agents-status-reset").click();
  await page.waitForURL((u) => !u.searchParams.has("status"));
  await tid(page, "agents-status-invalid").waitFor({ state: "detached" });
  assert((await tid(page, "agents-status").inputValue()) === "", "the dropdown says any");
  await expectCount(rows(tid(page, "table-agents")), (n) => n === AGENTS);
  assert(bad.length === 0, `HTTP 400 from ${bad.join(", ")}`);
});

test("exec: with no groups the target defaults to All agents (with the count); with groups to Groups", async ({ page, shot }) => {
  await page.goto("/exec");
  await expectAttr(tid(page, "target-mode-groups"), "aria-pressed", "true");
  await page.route(apiPath("/api/groups"), (route) => route.fulfill(json([])));
  await page.goto("/exec");
  await expectAttr(tid(page, "target-mode-all"), "aria-pressed", "true");
  await expectText(tid(page, "target-mode-all"), `All agents (${AGENTS})`);
  await expectAttr(tid(page, "target-mode-groups"), "aria-pressed", "false");
  await shot("no-groups");
  // the operator's own pick still wins
  await tid(page, "target-mode-pcs").click();
  await expectAttr(tid(page, "target-mode-pcs"), "aria-pressed", "true");
});

test("settings in a browser: names as code, no Markdown backticks", async ({ page }) => {
  await page.goto("/settings");
  const note = tid(page, "settings-browser-note");
  await expectText(note, "kanade-console serve");
  const text = await note.textContent();
  assert(!text.includes("`"), `backticks shown: ${text}`);
  await expectText(note.locator("code").first(), "kanade-console serve");
});

test("dashboard chart: whole-number ticks when one result is the maximum", async ({ page }) => {
  const now = new Date().toISOString();
  const one = { result_id: "00000000-0000-4000-8000-000000000001", request_id: "r1", pc_id: "SIM-00001", job_id: "e2e-hostname", exit_code: 0, stdout: "", stderr: "", started_at: now, finished_at: now, recorded_at: now };
  await page.route((u) => u.pathname === "/api/results" && u.searchParams.has("since"), (route) => route.fulfill(json([one])));
  await page.goto("/dashboard");
  await expectVisible(tid(page, "results-chart"));
  await expectCount(tid(page, "chart-tick"), (n) => n === 2);
  const ticks = (await tid(page, "chart-tick").allTextContents()).map((t) => t.trim());
  assert(ticks.join(",") === "0,1", `ticks ${ticks}`);
});

test("jobs: a long description is shown in full (wraps, not cut)", async ({ page, api }) => {
  const id = "e2e-long-description";
  const description = "Collects the installed printer drivers, the spooler state and the last twenty print errors of every PC so the helpdesk can see which machines need the new driver package before the rollout on Friday";
  await api.upsertJobYaml(`id: ${id}\nversion: 1.0.0\ndescription: ${description}\nexecute:\n  shell: powershell\n  script: Get-PrinterDriver\n  timeout: 60s\n`);
  try {
    await page.goto("/jobs");
    const cell = tid(page, `job-row-${id}`).getByTestId("job-description");
    await expectText(cell, description);
    const box = await cell.evaluate((el) => ({ sw: el.scrollWidth, cw: el.clientWidth, text: el.innerText }));
    assert(box.sw <= box.cw + 1 && box.text.replace(/\s+/g, " ").trim() === description, `cut: ${JSON.stringify(box)}`);
    await cell.scrollIntoViewIfNeeded();
  } finally {
    await api.req("DELETE", `/api/jobs/${id}`).catch(() => {});
  }
});

test("inventory: the empty states sit in a card", async ({ page, shot }) => {
  await page.route(apiPath("/api/inventory/jobs"), (route) => route.fulfill(json([])));
  await page.goto("/inventory");
  await expectText(page.locator("section.card[data-testid=inventory-empty]"), "No inventory probes");
  await expectVisible(page.locator("section.card[data-testid=inventory-empty] [data-testid=state-empty]"));
  await shot("no-probes");
  await page.goto("/inventory/pc/NO-SUCH-PC");
  await expectText(page.locator("section.card[data-testid=inventory-empty]"), "No inventory facts for NO-SUCH-PC");
}, { allowConsole: [/404/] });

test("run: the PC autocomplete closes on a pick, on Escape and on blur", async ({ page, shot }) => {
  await page.goto("/run");
  const input = tid(page, "run-pc");
  const list = tid(page, "run-pc-options");
  await input.fill("SIM-0000");
  await expectVisible(list);
  await expectCount(list.locator("li"), (n) => n >= 2);
  await shot("open");
  await list.locator("li", { hasText: "SIM-00003" }).click();
  await list.waitFor({ state: "detached" });
  assert((await input.inputValue()) === "SIM-00003", `picked ${await input.inputValue()}`);

  await input.fill("SIM-0001");
  await expectVisible(list);
  await tid(page, "run-script").click(); // blur
  await list.waitFor({ state: "detached" });

  await input.fill("");
  await input.pressSequentially("SIM-0001");
  await expectVisible(list);
  await input.press("Escape");
  await list.waitFor({ state: "detached" });
  await input.press("ArrowDown"); // reopens
  await expectVisible(list);
  await input.press("ArrowDown");
  await input.press("Enter"); // picks the highlighted one, does not submit
  await list.waitFor({ state: "detached" });
  assert(/^SIM-0001\d$/.test(await input.inputValue()), `keyboard pick ${await input.inputValue()}`);
  await tid(page, "run-script").fill("hostname");
  await expectVisible(tid(page, "run-submit"));
  assert(!(await tid(page, "run-result").isVisible()), "Enter in the list submitted the form");
});

test("logs page: nav entry, PC picker and tail, bookmarks to /logs and /logs?pc=X", async ({ page }) => {
  await page.goto("/dashboard");
  await tid(page, "nav-logs").click();
  await page.waitForURL("**/logs");
  await expectVisible(tid(page, "logs-hint"));

  await tid(page, "logs-pc").fill("SIM-0000");
  await tid(page, "logs-pc-options").locator("li", { hasText: "SIM-00004" }).click();
  await page.waitForURL((u) => u.pathname === "/logs" && u.searchParams.get("pc") === "SIM-00004");
  await expectText(tid(page, "logs-card"), "Log of SIM-00004");
  await expectText(tid(page, "logs-output"), /\S/);

  await tid(page, "logs-tail").selectOption("100");
  await page.waitForURL((u) => u.searchParams.get("tail") === "100");
  await expectText(tid(page, "logs-output"), /\S/);

  // the bookmark survives a reload
  await page.reload();
  await expectText(tid(page, "logs-card"), "Log of SIM-00004");
  assert((await tid(page, "logs-tail").inputValue()) === "100", "tail kept");
  await expectText(tid(page, "logs-output"), /\S/);

  // a bookmark to another PC, and the agents dialog's link to the page
  await page.goto("/logs?pc=SIM-00009");
  await expectText(tid(page, "logs-card"), "Log of SIM-00009");
  await expectText(tid(page, "logs-output"), /\S/);
  await page.goto("/agents?q=SIM-00011");
  await tid(page, "agent-row-SIM-00011").getByTestId("logs-button").click();
  await expectText(tid(page, "logs-output"), /\S/);
  await tid(page, "logs-dialog").getByRole("link", { name: "Open on Logs page" }).click();
  await page.waitForURL((u) => u.pathname === "/logs" && u.searchParams.get("pc") === "SIM-00011");
  await expectText(tid(page, "logs-output"), /\S/);
});

// Filter boxes (issue 13 item 6: one useFilterInput instead of effects with
// disabled dependency checks): typing reaches the URL after a pause, each box
// commits without undoing another, and a filter set elsewhere fills its box.
test("filters: typed text reaches the URL, boxes keep each other, a filter set by a row fills its box", async ({ page }) => {
  await page.goto("/audit");
  await expectVisible(tid(page, "page-audit"));
  await tid(page, "audit-actor").fill("operator");
  await page.waitForURL((u) => u.searchParams.get("actor") === "operator");
  await tid(page, "audit-action").fill("exec");
  await page.waitForURL((u) => u.searchParams.get("actor") === "operator" && u.searchParams.get("action") === "exec");
  await tid(page, "audit-actor").fill("");
  await page.waitForURL((u) => !u.searchParams.has("actor") && u.searchParams.get("action") === "exec");
  assert((await tid(page, "audit-action").inputValue()) === "exec", "the action box kept its text");

  await page.goto("/activity");
  const pcButton = rows(tid(page, "table-results")).first().locator("td:nth-child(2) button");
  const pc = (await pcButton.textContent()).trim();
  await pcButton.click();
  await page.waitForURL((u) => u.searchParams.get("pc_id") === pc);
  await until(async () => (await tid(page, "filter-pc").inputValue()) === pc, "the PC box shows the filter the row set");
});
