// Teams (issue 15): accounts signing in to a console of their own (static
// token for the seeding API client; accounts sign in with passwords, their
// JWTs signed with the console's session secret). Each role sees its
// navigation and buttons; TOTP is enrolled with a code computed here (RFC
// 6238, lib/totp.mjs) and then asked for at sign-in; an admin manages
// accounts and permission groups from the UI. Screenshots: teams-*.png.
import path from "node:path";
import { Api } from "./lib/api.mjs";
import { assert, expectAttr, expectCount, expectText, expectToast, expectVisible, test, until } from "./lib/harness.mjs";
import { startConsole } from "./lib/console.mjs";
import { selfTest, totp } from "./lib/totp.mjs";

const tid = (page, id) => page.getByTestId(id);
const JOB = "teams-hostname";
const PASSWORD = "correct horse battery";

/** A console of the test's own with one job and the given accounts. */
async function teamConsole({ name, token, artifacts }, accounts) {
  const c = await startConsole({ name, token, natsToken: `nats-${name}`, artifacts });
  try {
    const api = new Api(c.baseURL, token);
    await api.upsertJob({ id: JOB, version: "1.0.0", description: "teams e2e", execute: { shell: "powershell", script: "hostname", timeout: "60s" } });
    for (const [username, role] of accounts) await api.post("/api/accounts", { username, role, password: PASSWORD });
    return { ...c, api };
  } catch (e) {
    await c.stop();
    throw e;
  }
}

async function signIn(page, base, username, password = PASSWORD, { code } = {}) {
  await page.goto(`${base}/login`);
  await tid(page, "signin-username").fill(username);
  await tid(page, "signin-password").fill(password);
  await tid(page, "signin-submit").click();
  if (code) {
    await expectAttr(tid(page, "signin-form"), "data-step", "totp");
    await tid(page, "signin-totp").fill(typeof code === "function" ? code() : code);
    await tid(page, "signin-submit").click();
  }
  await expectText(tid(page, "user-name"), username);
}

async function signOut(page) {
  await tid(page, "signout").click();
  await page.waitForURL("**/login");
  assert((await page.evaluate(() => localStorage.getItem("kanade_token"))) === null, "the token is forgotten on sign-out");
}

async function navShown(page, ids) {
  await expectVisible(tid(page, "nav-dashboard").or(tid(page, "nav-agents")));
  const out = {};
  for (const id of ids) out[id] = (await tid(page, `nav-${id}`).count()) > 0;
  return out;
}

const NAV = ["dashboard", "jobs", "agents", "audit", "run", "exec", "connect", "accounts", "permission-groups"];
const EXPECT = {
  viewer: { dashboard: true, jobs: true, agents: true, audit: true, run: false, exec: false, connect: false, accounts: false, "permission-groups": false },
  operator: { dashboard: true, jobs: true, agents: true, audit: true, run: true, exec: true, connect: true, accounts: false, "permission-groups": false },
  admin: { dashboard: true, jobs: true, agents: true, audit: true, run: true, exec: true, connect: true, accounts: true, "permission-groups": true },
};

test(
  "teams: viewer, operator and admin each see their navigation and buttons",
  async ({ page, baseURL, token, artifacts }) => {
    const c = await teamConsole({ name: "teams-roles", token, artifacts }, [
      ["vera", "viewer"],
      ["otto", "operator"],
      ["ada", "admin"],
    ]);
    try {
      for (const [user, role] of [
        ["vera", "viewer"],
        ["otto", "operator"],
        ["ada", "admin"],
      ]) {
        await signIn(page, c.baseURL, user);
        await expectText(tid(page, "user-role"), role);
        const nav = await navShown(page, NAV);
        assert(JSON.stringify(nav) === JSON.stringify(EXPECT[role]), `${role} navigation: ${JSON.stringify(nav)}, want ${JSON.stringify(EXPECT[role])}`);

        // Buttons of the Jobs page: a viewer reads, an operator acts.
        await tid(page, "nav-jobs").click();
        const row = tid(page, `job-row-${JOB}`);
        await expectVisible(row);
        const acts = role !== "viewer";
        for (const b of ["exec-job", "revoke-job", "kill-job", "delete-job"]) {
          assert(((await tid(row, b).count()) > 0) === acts, `${role}: ${b} ${acts ? "missing" : "shown"}`);
        }
        assert(((await tid(page, "new-job").count()) > 0) === acts, `${role}: New job ${acts ? "missing" : "shown"}`);
        await page.screenshot({ path: path.join(artifacts, `teams-${role}-jobs.png`), fullPage: true });
        if (role === "viewer") {
          // The job opens read-only: the YAML, no Save.
          await row.getByRole("link", { name: JOB }).click();
          await expectVisible(tid(page, "editor-read-only"));
        }

        // A page outside the role is refused in the SPA, and the API refuses it too.
        await page.goto(`${c.baseURL}/${role === "viewer" ? "run" : role === "operator" ? "accounts" : "accounts"}`);
        if (role === "admin") {
          await expectVisible(tid(page, "account-row-vera"));
          await expectAttr(tid(page, "account-row-otto"), "data-role", "operator");
          await page.screenshot({ path: path.join(artifacts, "teams-admin-accounts.png"), fullPage: true });
        } else {
          await expectVisible(tid(page, "page-forbidden"));
          const jwt = await page.evaluate(() => localStorage.getItem("kanade_token"));
          const [method, route] = role === "viewer" ? ["POST", "/api/run"] : ["GET", "/api/accounts"];
          const r = await fetch(c.baseURL + route, { method, headers: { Authorization: `Bearer ${jwt}`, "Content-Type": "application/json" }, body: method === "POST" ? "{}" : undefined });
          assert(r.status === 403, `${role} ${method} ${route}: HTTP ${r.status}, want 403`);
        }
        await signOut(page);
      }
      // A wrong password is refused with a message, not a token prompt.
      await page.goto(`${c.baseURL}/login`);
      await tid(page, "signin-username").fill("vera");
      await tid(page, "signin-password").fill("not the password");
      await tid(page, "signin-submit").click();
      await expectText(tid(page, "signin-error"), "Wrong username or password");
      assert(!(await tid(page, "token-dialog").isVisible()), "no token prompt on a failed sign-in");
    } finally {
      await page.goto(`${baseURL}/status`).catch(() => {});
      await c.stop();
    }
  },
  { timeout: 120_000, signedOut: true, allowConsole: [/status of 40[13]/] },
);

test(
  "teams: TOTP enrolment with a QR code drawn locally, then sign-in asks for the code",
  async ({ page, baseURL, token, artifacts }) => {
    selfTest();
    const c = await teamConsole({ name: "teams-mfa", token, artifacts }, [["mia", "operator"]]);
    const external = [];
    page.on("request", (req) => {
      const u = new URL(req.url());
      if (u.hostname !== "127.0.0.1" && u.protocol !== "data:") external.push(req.url());
    });
    try {
      await signIn(page, c.baseURL, "mia");
      await tid(page, "user-profile").click();
      await expectAttr(tid(page, "mfa-status"), "data-enabled", "false");
      await tid(page, "mfa-setup").click();
      const qr = await expectVisible(tid(page, "mfa-qr"));
      assert((await qr.getAttribute("src")).startsWith("data:image/svg+xml"), "the QR code is an inline SVG");
      await until(() => qr.evaluate((img) => img.complete && img.naturalWidth > 0), "the QR code to render");
      const secret = await tid(page, "mfa-secret").getAttribute("data-secret");
      assert(/^[A-Z2-7]{16,}$/.test(secret), `secret ${secret}`);
      await page.screenshot({ path: path.join(artifacts, "teams-mfa-enrol.png"), fullPage: true });

      // A wrong code is refused; the right one turns MFA on.
      await tid(page, "mfa-code").fill(totp(secret, { step: 3 }));
      await tid(page, "mfa-verify").click();
      await expectVisible(tid(page, "mfa-error"));
      await tid(page, "mfa-code").fill(totp(secret));
      await tid(page, "mfa-verify").click();
      await expectToast(page, "Two-factor authentication is on");
      await expectAttr(tid(page, "mfa-status"), "data-enabled", "true");
      await signOut(page);

      // Password, then the code (the next step's, within the ±1 window, so a
      // console that refuses a replayed code still takes it).
      await tid(page, "signin-username").fill("mia");
      await tid(page, "signin-password").fill(PASSWORD);
      await tid(page, "signin-submit").click();
      await expectAttr(tid(page, "signin-form"), "data-step", "totp");
      await page.screenshot({ path: path.join(artifacts, "teams-mfa-signin.png"), fullPage: true });
      await tid(page, "signin-totp").fill(totp(secret, { step: -3 }));
      await tid(page, "signin-submit").click();
      await expectText(tid(page, "signin-error"), "Wrong or expired code");
      await tid(page, "signin-totp").fill(totp(secret, { step: 1 }));
      await tid(page, "signin-submit").click();
      await expectText(tid(page, "user-name"), "mia");

      // Turn it off again with a code.
      await page.goto(`${c.baseURL}/profile`);
      await tid(page, "mfa-disable-code").fill(totp(secret, { step: 1 }));
      await tid(page, "mfa-disable").click();
      await expectAttr(tid(page, "mfa-status"), "data-enabled", "false");
      assert(external.length === 0, `requests left the console: ${external.join(", ")}`);
    } finally {
      await page.goto(`${baseURL}/status`).catch(() => {});
      await c.stop();
    }
  },
  { timeout: 120_000, signedOut: true, allowConsole: [/status of 40[013]/] },
);

test(
  "teams: an admin creates an account, changes its role, disables it, hands out a reset link and restricts its pages",
  async ({ page, baseURL, token, artifacts }) => {
    const c = await teamConsole({ name: "teams-admin", token, artifacts }, [["root", "admin"]]);
    try {
      await signIn(page, c.baseURL, "root");
      await tid(page, "nav-accounts").click();
      await tid(page, "account-new-username").fill("hal");
      await tid(page, "account-new-role").selectOption("operator");
      await tid(page, "account-new-password").fill("first password");
      await tid(page, "account-new-submit").click();
      await expectToast(page, "Created hal");
      const row = tid(page, "account-row-hal");
      await expectAttr(row, "data-role", "operator");
      await tid(row, "account-role").selectOption("viewer");
      await expectAttr(row, "data-role", "viewer");
      await tid(row, "account-toggle").click();
      await expectAttr(row, "data-disabled", "true");
      await tid(row, "account-toggle").click();
      await expectAttr(row, "data-disabled", "false");

      // A permission group with two pages, given to hal.
      await tid(page, "to-permission-groups").click();
      await tid(page, "group-new-name").fill("helpdesk");
      await tid(tid(page, "group-new-features"), "feature-agents").check();
      await tid(page, "group-new-submit").click();
      await expectVisible(tid(page, "pgroup-row-helpdesk"));
      await page.screenshot({ path: path.join(artifacts, "teams-permission-groups.png"), fullPage: true });
      await tid(page, "to-accounts").click();
      await tid(row, "account-pages-edit").click();
      await tid(page, "pages-mode-group").check();
      await tid(page, "pages-group").selectOption("helpdesk");
      await tid(page, "pages-save").click();
      await expectText(tid(row, "account-pages"), "group helpdesk");

      // The reset link, opened as hal would.
      await tid(row, "account-reset-link").click();
      const link = await expectText(tid(page, "link-url"), "/password-setup/");
      await page.screenshot({ path: path.join(artifacts, "teams-admin-reset-link.png"), fullPage: true });
      await page.keyboard.press("Escape");
      await tid(page, "link-dialog").waitFor({ state: "hidden" });
      await signOut(page);
      await page.goto(link);
      await expectText(tid(page, "setup-username"), "hal");
      await tid(page, "setup-password").fill("hal's own password");
      await tid(page, "setup-again").fill("hal's own password");
      await tid(page, "setup-submit").click();
      await expectVisible(tid(page, "setup-done"));
      await page.goto(link);
      await expectText(tid(page, "setup-error"), /not valid|expired or was already used/); // single use

      // hal sees the group's pages only.
      await signIn(page, c.baseURL, "hal", "hal's own password");
      const nav = await navShown(page, NAV);
      assert(nav.dashboard && nav.agents && !nav.jobs && !nav.audit && !nav.run && !nav.accounts, `restricted navigation: ${JSON.stringify(nav)}`);
      await page.screenshot({ path: path.join(artifacts, "teams-restricted.png"), fullPage: true });
      await signOut(page);

      // A password set by an admin must be changed at the next sign-in.
      await c.api.req("PATCH", "/api/accounts/hal", { json: { password: "temporary pass" } });
      await signIn(page, c.baseURL, "hal", "temporary pass");
      await expectVisible(tid(page, "page-force-password"));
      await tid(page, "pw-old").fill("temporary pass");
      await tid(page, "pw-new").fill("hal's newest password");
      await tid(page, "pw-again").fill("hal's newest password");
      await tid(page, "pw-submit").click();
      await expectVisible(tid(page, "nav-agents"));
      await expectCount(tid(page, "page-force-password"), (n) => n === 0);
    } finally {
      await page.goto(`${baseURL}/status`).catch(() => {});
      await c.stop();
    }
  },
  { timeout: 120_000, signedOut: true, allowConsole: [/status of 40[134]/] },
);

test(
  "teams: the open loopback mode (nothing configured) needs no sign-in and offers every page, accounts included",
  async ({ page, artifacts }) => {
    const c = await startConsole({ name: "teams-open", token: "", natsToken: "nats-teams-open", artifacts });
    try {
      await page.goto(`${c.baseURL}/dashboard`);
      const nav = await navShown(page, NAV);
      assert(Object.values(nav).every(Boolean), `open mode navigation: ${JSON.stringify(nav)}`);
      assert((await tid(page, "user-menu").count()) === 0, "no account menu without accounts");
      assert(!(await tid(page, "token-dialog").isVisible()), "no sign-in prompt");
      await tid(page, "nav-accounts").click();
      await tid(page, "account-new-username").fill("first");
      await tid(page, "account-new-role").selectOption("admin");
      await tid(page, "account-new-password").fill(PASSWORD);
      await tid(page, "account-new-submit").click();
      await expectAttr(tid(page, "account-row-first"), "data-role", "admin");
      await page.goto(`${c.baseURL}/profile`);
      await expectVisible(tid(page, "profile-open"));
    } finally {
      await page.goto("about:blank").catch(() => {}); // the suite's console wants a token this context lacks
      await c.stop();
    }
  },
  { timeout: 90_000, signedOut: true },
);
