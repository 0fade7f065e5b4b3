// Issue 17 in the browser: inventory search over an explode table (filters,
// paging totals, CSV export), a PC's change timeline,
// and "Running now" with the live output tail of a long simulated run.
//
// The simulator reports plausible scalar facts for the seeded probe, but no
// arrays. The apps probe below is a simulator script (`echo` lines, see
// backend/fleetsim/script.go) that prints a fixed inventory document; it is
// collected from the whole fleet, then changed and collected again from the
// canary group, so the explode table holds two versions and the history of a
// canary PC has added, changed and removed elements. Screenshots:
// inventory-search.png, inventory-history.png, inventory-running.png.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { assert, expectAttr, expectCount, expectText, expectVisible, test, until } from "./lib/harness.mjs";
import { IDS } from "./lib/seed.mjs";

const AGENTS = Number(process.env.E2E_AGENTS ?? 25);
const tid = (page, id) => page.getByTestId(id);
const rows = (table) => table.locator("tbody tr");

export const INV = {
  probe: "e2e-apps",
  table: "e2e_apps",
  canary: IDS.groups.canary, // SIM-00001..3: collected twice
  long: "e2e-long-run",
  longPc: "SIM-00010",
};

function appsDoc(osBuild, apps) {
  return JSON.stringify({ os_build: osBuild, apps });
}

function appsProbe(version, doc) {
  return `id: ${INV.probe}
version: ${version}
description: Installed apps (e2e; a simulator script printing a fixed document)
execute:
  shell: powershell
  script: |
    echo ${doc}
  timeout: 60s
inventory:
  display:
    - { field: os_build, label: OS build }
    - { field: apps, label: Apps, type: table }
  history_scalars: [os_build]
  explode:
    - field: apps
      table: ${INV.table}
      primary_key: [name]
      track_history: true
      columns:
        - { field: name, index: true }
        - { field: version }
        - { field: publisher }
`;
}

const V1 = appsDoc("22631", [
  { name: "Google Chrome", version: "119.0", publisher: "Google LLC" },
  { name: "7-Zip", version: "23.01", publisher: "Igor Pavlov" },
  { name: "Microsoft Edge", version: "120.0", publisher: "Microsoft Corporation" },
]);
const V2 = appsDoc("26100", [
  { name: "Google Chrome", version: "120.0", publisher: "Google LLC" },
  { name: "Microsoft Edge", version: "120.0", publisher: "Microsoft Corporation" },
  { name: "Notepad++", version: "8.6", publisher: "Don Ho" },
]);

/**
 * Execs a job and waits for every target's result. Agents drop a command of
 * a version other than the one their jobs-KV watch has (the version pin), so
 * right after a job changed the first exec may reach agents that have not
 * seen the change yet: exec again until one completes.
 */
async function execDone(api, jobId, plan, results) {
  let last;
  await until(
    async () => {
      last = await api.exec(jobId, plan);
      try {
        await api.waitExecution(last.exec_id, { results, timeout: 5_000 });
        return true;
      } catch {
        return false;
      }
    },
    `an execution of ${jobId} to complete`,
    { timeout: 45_000, interval: 250 },
  );
  return last;
}

let ready = null;
/** Collects the apps probe twice (whole fleet, then canary with a changed list); once per run. */
function setupApps(api) {
  ready ??= (async () => {
    await api.upsertJobYaml(appsProbe("1.0.0", V1));
    await execDone(api, INV.probe, { target: { all: true } }, AGENTS);
    const path1 = `/api/inventory/${INV.probe}/search/apps?name=${encodeURIComponent("Google Chrome")}`;
    await until(async () => (await api.get(path1)).length >= AGENTS, "the fleet's apps rows", { timeout: 15_000, interval: 250 });
    await api.upsertJobYaml(appsProbe("1.0.1", V2));
    await execDone(api, INV.probe, { target: { groups: ["canary"] } }, INV.canary.length);
    const path2 = `/api/inventory/${INV.probe}/search/apps?version=120.0&name=${encodeURIComponent("Google Chrome")}`;
    await until(async () => (await api.get(path2)).length >= INV.canary.length, "the canary's new apps rows", { timeout: 15_000, interval: 250 });
  })();
  return ready;
}

/** Waits until a form control's current value (not its attribute) is want. */
async function expectValue(locator, want) {
  await until(async () => (await locator.inputValue({ timeout: 1000 })) === want, `value ${want} of ${locator}`);
}

/** Sets filter row i (adding rows as needed). */
async function setFilter(page, i, column, op, value) {
  while ((await tid(page, "filter-row").count()) <= i) await tid(page, "filter-add").click();
  const row = tid(page, "filter-row").nth(i);
  await row.getByTestId("filter-column").selectOption(column);
  await row.getByTestId("filter-op").selectOption(op);
  await row.getByTestId("filter-value").fill(value);
}

test(
  "inventory search: explode table with exact, prefix and comparison filters, totals, paging, CSV export",
  async ({ page, api, artifacts }) => {
    await setupApps(api);
    await page.goto("/inventory");
    await expectVisible(tid(page, "page-inventory"));
    await tid(page, "inventory-search-link").click();
    await expectVisible(tid(page, "page-inventory-search"));
    await tid(page, "search-probe").selectOption(INV.probe);
    await expectValue(tid(page, "search-field"), "apps");
    // no filter: one row per app per PC
    await expectText(tid(page, "page-inventory-search"), `${AGENTS * 3} rows found`);

    // exact + comparison: Chrome older than 120 is on every PC but the canary's
    await setFilter(page, 0, "name", "eq", "Google Chrome");
    await setFilter(page, 1, "version", "lt", "120");
    await tid(page, "search-run").click();
    await expectText(tid(page, "page-inventory-search"), `${AGENTS - INV.canary.length} rows found`);
    await expectCount(rows(tid(page, "table-inventory-search")), (n) => n === AGENTS - INV.canary.length);
    assert((await rows(tid(page, "table-inventory-search")).filter({ hasText: INV.canary[0] }).count()) === 0, "a canary PC is not listed");
    await expectText(tid(page, "pager"), `1–${AGENTS - INV.canary.length} of ${AGENTS - INV.canary.length}`);

    // the search is in the URL: reload keeps it; change to the new version
    await page.reload();
    await expectText(tid(page, "page-inventory-search"), `${AGENTS - INV.canary.length} rows found`);
    await setFilter(page, 1, "version", "ge", "120");
    await tid(page, "search-run").click();
    await expectText(tid(page, "page-inventory-search"), `${INV.canary.length} rows found`);
    for (const pc of INV.canary) await expectText(tid(page, "table-inventory-search"), pc);
    await page.screenshot({ path: path.join(artifacts, "inventory-search.png"), fullPage: true });

    // CSV of the filtered set
    const [download] = await Promise.all([page.waitForEvent("download"), tid(page, "search-export").click()]);
    assert(/^e2e-apps-apps-\d{8}-\d{6}\.csv$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
    const csv = await readFile(await download.path(), "utf8");
    const lines = csv.trim().split(/\r\n/);
    assert(lines[0].startsWith("pc_id,name,version,publisher,collected_at"), `CSV header: ${lines[0]}`);
    assert(lines.length === INV.canary.length + 1, `CSV has ${lines.length} lines`);
    assert(lines.slice(1).every((l) => /^SIM-0000[123],Google Chrome,120\.0,Google LLC,/.test(l)), `CSV rows: ${lines.slice(1).join(" | ")}`);

    // prefix, with paging: one Microsoft app on every PC
    await page.goto(`/inventory/search?probe=${INV.probe}&field=apps&f=${encodeURIComponent("publisher__prefix=Micro")}&limit=10`);
    await expectText(tid(page, "page-inventory-search"), `${AGENTS} rows found`);
    await expectCount(rows(tid(page, "table-inventory-search")), (n) => n === 10);
    await expectText(tid(page, "pager"), `1–10 of ${AGENTS}`);
    await tid(page, "pager-next").click();
    await expectText(tid(page, "pager"), `11–20 of ${AGENTS}`);

    // the total agrees with the API's
    const { total } = await api.req("GET", `/api/inventory/${INV.probe}/search/apps?publisher__prefix=Micro&limit=1`);
    assert(total === AGENTS, `API total ${total}`);

    // the display fields (search-scalars): one row per PC; only the canary has the new build
    await page.goto(`/inventory/search?probe=${INV.probe}&field=${encodeURIComponent("@scalars")}&f=${encodeURIComponent("os_build=26100")}`);
    await expectValue(tid(page, "search-field"), "@scalars");
    await expectText(tid(page, "page-inventory-search"), `${INV.canary.length} rows found`);
    for (const pc of INV.canary) await expectText(tid(page, "table-inventory-search"), pc);
    const older = await api.req("GET", `/api/inventory/${INV.probe}/search-scalars?os_build__ne=26100&limit=1`);
    assert(older.total === AGENTS - INV.canary.length, `search-scalars total ${older.total}`);
  },
  { timeout: 90_000 },
);

test("inventory history: a PC's change timeline from its inventory page and from a search", async ({ page, api, artifacts }) => {
  await setupApps(api);
  const pc = INV.canary[0];
  await page.goto(`/inventory/pc/${pc}`);
  await expectVisible(tid(page, "page-pc-inventory"));
  // the apps fact is a table of its elements
  const card = tid(page, `pc-probe-${INV.probe}`);
  await card.getByText("3 items").click();
  await expectText(card.getByTestId("fact-table-apps"), "Notepad++");
  await card.getByTestId("pc-probe-history").click();
  await expectVisible(tid(page, "page-pc-history"));
  await expectValue(tid(page, "history-probe"), INV.probe);
  // first collection: 3 apps + os_build added; second: Chrome and os_build changed, 7-Zip removed, Notepad++ added
  await expectCount(tid(page, "history-event"), (n) => n === 8);
  await expectText(tid(page, "history-counts"), "5 added · 2 changed · 1 removed");
  await expectText(tid(page, "history-timeline"), "version: 119.0 → 120.0");
  await expectText(tid(page, "history-timeline"), "22631 → 26100");
  await expectCount(page.locator('[data-testid="history-event"][data-kind="removed"]').filter({ hasText: "name=7-Zip" }), (n) => n === 1);
  // one field, with when the PC was first seen in it
  await tid(page, "history-field").selectOption("apps");
  await expectCount(tid(page, "history-event"), (n) => n === 6);
  await expectText(tid(page, "history-first-seen"), /First seen in apps: \w/);
  await page.screenshot({ path: path.join(artifacts, "inventory-history.png"), fullPage: true });

  // a PC collected once has only additions
  await page.goto(`/inventory/search?probe=${INV.probe}&field=apps&f=${encodeURIComponent("name=7-Zip")}`);
  await expectText(tid(page, "page-inventory-search"), `${AGENTS - INV.canary.length} rows found`);
  // the same key filter over the changes across the fleet: added everywhere, removed on the canary
  await tid(page, "search-view-changes").click();
  await expectText(tid(page, "page-inventory-search"), "Changes of apps (name=7-Zip)");
  await expectText(tid(page, "pager"), `of ${AGENTS + INV.canary.length}`);
  await tid(page, "changes-kind").getByRole("button", { name: "removed" }).click();
  await expectCount(tid(page, "change-row"), (n) => n === INV.canary.length);
  for (const pc of INV.canary) await expectText(tid(page, "table-fleet-changes"), pc);
  await page.getByRole("tab", { name: "Rows found" }).click();
  await tid(page, "search-history").first().click();
  await expectVisible(tid(page, "page-pc-history"));
  await expectValue(tid(page, "history-field"), "apps");
  await expectCount(tid(page, "history-event"), (n) => n === 3);
  await expectText(tid(page, "history-counts"), "3 added · 0 changed · 0 removed");
});

// 8 lines, 60 s apart in script time (7 min: the timeout is above that), 3 s
// apart at the e2e time scale (0.05): about 21 s.
const LONG_SCRIPT = Array.from({ length: 8 }, (_, i) => `echo step ${i + 1} of 8\n${i < 7 ? "sleep 60\n" : ""}`).join("");

test(
  "inventory running now: counters, a running job's live output tail, then its stored output",
  async ({ page, api, artifacts }) => {
    await api.upsertJob({ id: INV.long, version: "1.0.0", description: "A long run printing a line every few seconds (e2e)", execute: { shell: "powershell", script: LONG_SCRIPT, timeout: "30m" } });
    await api.exec(INV.long, { target: { pcs: [INV.longPc] } });
    await page.goto("/running");
    await expectVisible(tid(page, "page-running"));
    const row = tid(page, "running-row").filter({ hasText: INV.longPc });
    await expectVisible(row);
    await expectText(tid(page, "stat-inflight"), /Runs in flight\s*[1-9]/);
    await expectText(tid(page, "live-jobs"), INV.long);
    await row.getByTestId("watch-run").click();
    await expectVisible(tid(page, "run-tail"));
    await expectAttr(tid(page, "tail-state"), "data-state", "live", { timeout: 20_000 });
    await expectText(tid(page, "tail-stdout"), "step 1 of 8");
    // the tail follows the run: later lines arrive without a reload
    await expectText(tid(page, "tail-stdout"), "step 3 of 8", { timeout: 20_000 });
    await page.screenshot({ path: path.join(artifacts, "inventory-running.png"), fullPage: true });
    // it finishes: the stored output, polling stops, the run leaves the list
    await expectAttr(tid(page, "tail-state"), "data-state", "finished", { timeout: 40_000 });
    await expectText(tid(page, "tail-finished"), "exit 0");
    await expectText(tid(page, "tail-stdout"), "step 8 of 8");
    await expectCount(tid(page, "running-row").filter({ hasText: INV.longPc }), (n) => n === 0);
  },
  { timeout: 100_000 },
);

test("inventory running now: the waiting state while the agent does not answer the tail (an older agent; mocked)", async ({ page }) => {
  // An in-flight run whose agent never answers job.tail (a 0.29 agent):
  // the route answers the waiting shape; the page says so and keeps asking.
  const id = "inflight:e2e-exec:SIM-09999";
  const run = { result_id: id, request_id: "r", exec_id: "e2e-exec", pc_id: "SIM-09999", exit_code: null, skipped: false, stdout: "", stderr: "", started_at: new Date().toISOString(), finished_at: null, job_id: "legacy-job" };
  let asked = 0;
  const json = (body) => ({ status: 200, contentType: "application/json", headers: { "X-Total-Count": "1" }, body: JSON.stringify(body) });
  await page.route((u) => u.pathname === "/api/results" && u.searchParams.get("status") === "running", (route) => route.fulfill(json([run])));
  await page.route((u) => u.pathname === `/api/results/${encodeURIComponent(id)}/tail`, (route) => {
    asked++;
    return route.fulfill(json({ running: true, live: false, stdout: "", stderr: "", stdout_truncated: false, stderr_truncated: false, exit_code: null }));
  });
  await page.goto("/running");
  await tid(page, "running-row").filter({ hasText: "SIM-09999" }).getByTestId("watch-run").click();
  await expectAttr(tid(page, "tail-state"), "data-state", "waiting");
  await expectText(tid(page, "tail-waiting"), "did not answer");
  await until(() => asked >= 2, "the tail asked again", { timeout: 10_000 });
  await expectText(tid(page, "page-running"), "Refreshes every 3 s");
});
