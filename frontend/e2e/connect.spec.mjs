// The first ten minutes (issue 14): a console of its own with no agents,
// the "Connect agents" guide reached from the empty dashboard, the demo fleet
// started and stopped from the UI, and one simulated 0.29 agent process
// started with the URL and token copied from the guide turning the check
// green. Screenshots of the guide: connect-light.png, connect-dark.png,
// connect-connected.png.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { assert, expectAttr, expectCount, expectText, expectToast, expectVisible, test, until } from "./lib/harness.mjs";
import { startConsole } from "./lib/console.mjs";

const tid = (page, id) => page.getByTestId(id);
const natsToken = () => "nats-" + randomBytes(12).toString("hex");

test(
  "connect guide: empty console → guide → demo fleet from the UI → agents and a first result → stop",
  async ({ page, baseURL, token, artifacts, shot }) => {
    const nt = natsToken();
    const c = await startConsole({ name: "connect-demo", token, natsToken: nt, artifacts });
    try {
      await page.goto(`${c.baseURL}/dashboard`);
      await expectAttr(tid(page, "fleet-health"), "data-status", "unknown");
      await expectText(tid(page, "fleet-health"), "No agents have reported yet");
      await tid(page, "get-started-connect").click();
      await page.waitForURL("**/connect");

      // Address, token (masked until revealed), config, live check.
      const url = `nats://127.0.0.1:${c.natsPort}`;
      await expectText(tid(page, "connect-url"), url);
      await expectVisible(tid(page, "connect-loopback"));
      await expectText(tid(page, "connect-loopback"), "--nats-listen 0.0.0.0:");
      await expectAttr(tid(page, "connect-token-value"), "data-revealed", "false");
      const masked = await tid(page, "connect-token-value").textContent();
      assert(!masked.includes(nt.slice(0, 8)) && masked.endsWith(nt.slice(-4)), `token shown unmasked: ${masked}`);
      assert(!(await tid(page, "connect-setup").textContent()).includes(nt), "the setup script shows the token while masked");
      await expectText(tid(page, "connect-toml"), `nats_url = '${url}'`);
      await expectText(tid(page, "connect-setup"), String.raw`HKLM:\SOFTWARE\kanade\agent`);
      await expectAttr(tid(page, "connect-check"), "data-state", "waiting");
      await expectText(tid(page, "connect-check"), "Waiting for the first heartbeat");
      await page.screenshot({ path: path.join(artifacts, "connect-light.png"), fullPage: true });
      await tid(page, "theme-toggle").click();
      await expectAttr(page.locator("html"), "data-theme", "dark");
      await page.screenshot({ path: path.join(artifacts, "connect-dark.png"), fullPage: true });
      await tid(page, "theme-toggle").click();

      // The demo fleet, started from the guide.
      await tid(page, "demo-count").fill("5");
      await tid(page, "demo-start").click();
      await expectToast(page, "5 simulated agents started");
      await expectAttr(tid(page, "demo-status"), "data-running", "true");
      // Simulated agents are never the real agent the check waits for.
      await expectAttr(tid(page, "connect-check"), "data-state", "waiting");

      await tid(page, "nav-agents").click();
      await expectVisible(tid(page, "agent-row-DEMO-00005"));
      await expectCount(page.locator("[data-testid^=agent-row-]"), (n) => n === 5);
      await expectCount(page.locator("[data-testid^=agent-row-] [data-testid=sim-badge]"), (n) => n === 5);
      await shot("agents");

      // The first run (demo-hello) lands in Activity, marked simulated.
      await page.goto(`${c.baseURL}/activity`);
      await until(async () => (await page.locator("tbody tr [data-testid=sim-badge]").count()) >= 1, "a first result of a simulated agent", { timeout: 30_000 });
      await expectText(page.locator("tbody tr").first(), "demo-hello");
      await shot("activity");

      // Stop: the simulated agents leave the agent list.
      await page.goto(`${c.baseURL}/connect`);
      await tid(page, "demo-stop").click();
      await expectToast(page, "Simulated agents stopped");
      await expectAttr(tid(page, "demo-status"), "data-running", "false");
      await tid(page, "nav-agents").click();
      await until(async () => (await page.locator("[data-testid^=agent-row-]").count()) === 0, "no agents after the demo stopped");
    } finally {
      // Leave this console's pages first (for the suite's own console, which
      // keeps running): a page still polling a stopped console logs
      // connection errors, which fail the test.
      await page.goto(`${baseURL}/status`).catch(() => {});
      await c.stop();
    }
  },
  { timeout: 120_000 },
);

test(
  "connect guide: one sim agent with the copied URL and token turns the check green",
  async ({ page, context, baseURL, token, artifacts }) => {
    const nt = natsToken();
    const c = await startConsole({ name: "connect-agent", token, natsToken: nt, artifacts });
    try {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: c.baseURL });
      await page.goto(`${c.baseURL}/dashboard`);
      await tid(page, "nav-connect").click();
      await expectAttr(tid(page, "connect-check"), "data-state", "waiting");

      const clip = () => page.evaluate(() => navigator.clipboard.readText());
      await tid(page, "copy-url-local").click();
      const url = await until(async () => (await clip()).startsWith("nats://") && clip(), "the URL on the clipboard");
      await tid(page, "copy-token").click();
      const copied = await until(async () => ((await clip()) !== url ? clip() : ""), "the token on the clipboard");
      assert(copied === nt, `copied token ${copied}, the console's is ${nt}`);
      assert(url === `nats://127.0.0.1:${c.natsPort}`, `copied URL ${url}`);

      // A wrong token is refused: the check stays waiting.
      const wrong = c.sim(["--nats-url", url, "--agents", "1", "--prefix", "WRONG", "--heartbeat", "1s"], "not-the-token");
      await until(() => wrong.exitCode !== null, "sim with a wrong token to give up", { timeout: 20_000 });
      await expectAttr(tid(page, "connect-check"), "data-state", "waiting");

      c.sim(["--nats-url", url, "--agents", "1", "--prefix", "WS", "--heartbeat", "2s"], copied);
      await expectAttr(tid(page, "connect-check"), "data-state", "ok", { timeout: 30_000 });
      await expectText(tid(page, "connect-check"), "WS-00001 sent a heartbeat");
      await expectText(tid(page, "connect-check"), "1 of 1 real agent online");
      await page.screenshot({ path: path.join(artifacts, "connect-connected.png"), fullPage: true });
      // A real agent has no simulated badge.
      await tid(page, "nav-agents").click();
      await expectVisible(tid(page, "agent-row-WS-00001"));
      assert((await page.locator("[data-testid=sim-badge]").count()) === 0, "a real agent is marked simulated");
    } finally {
      // Leave this console's pages first (for the suite's own console, which
      // keeps running): a page still polling a stopped console logs
      // connection errors, which fail the test.
      await page.goto(`${baseURL}/status`).catch(() => {});
      await c.stop();
    }
  },
  { timeout: 120_000 },
);
