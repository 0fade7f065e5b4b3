// A small sequential test runner on top of playwright-core: one headless
// Debian Chromium for the whole run, a fresh browser context per test
// (1280×800 unless the test asks otherwise), console errors and uncaught
// page exceptions fail the test, and every test leaves a screenshot in the
// artifacts directory whether it passed or not.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { chromium } from "playwright-core";

// Launch flags known to work for Debian Chromium as root on a closed
// network: without the background-networking ones Chromium keeps dialling
// Google services that this machine refuses. playwright-core gives every
// launch a fresh temporary --user-data-dir of its own.
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

export const DEFAULT_VIEWPORT = { width: 1280, height: 800 };
const DEFAULT_TEST_TIMEOUT = 60_000;
export const WAIT = 15_000; // default patience for one UI condition

const tests = [];

/** Registers a test. opts: { timeout, viewport, colorScheme, allowConsole: [RegExp] } */
export function test(name, fn, opts = {}) {
  tests.push({ name, fn, opts });
}

export function registeredTests() {
  return tests;
}

export class AssertionError extends Error {}

export function assert(cond, msg) {
  if (!cond) throw new AssertionError(msg);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls fn until it returns a truthy value (returned) or timeout; fn may throw
 * while the condition is not met yet. describe() explains the last state.
 */
export async function until(fn, what, { timeout = WAIT, interval = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  let lastErr;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
      lastErr = undefined;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      const why = lastErr ? `: ${firstLine(lastErr.message)}` : last !== undefined ? ` (last: ${JSON.stringify(last)})` : "";
      throw new AssertionError(`timed out after ${timeout} ms waiting for ${what}${why}`);
    }
    await sleep(interval);
  }
}

function firstLine(s) {
  return String(s ?? "").split("\n")[0];
}

const clean = (s) => (s ?? "").replace(/\s+/g, " ").trim();

/** Waits until the locator's text matches (RegExp) or contains (string); returns the text. */
export async function expectText(locator, want, opts = {}) {
  let text = "";
  try {
    await until(
      async () => {
        text = clean(await locator.first().textContent({ timeout: 1000 }));
        return typeof want === "string" ? text.includes(want) : want.test(text);
      },
      `text ${want} in ${locator}`,
      opts,
    );
  } catch (e) {
    throw new AssertionError(`${e.message}; text was ${JSON.stringify(text.slice(0, 300))}`);
  }
  return text;
}

/** Waits until locator.count() satisfies pred (a number means "at least"). Returns the count. */
export async function expectCount(locator, pred, opts = {}) {
  const ok = typeof pred === "number" ? (n) => n >= pred : pred;
  let n = -1;
  try {
    await until(async () => ok((n = await locator.count())), `count of ${locator}`, opts);
  } catch (e) {
    throw new AssertionError(`${e.message}; count was ${n}`);
  }
  return n;
}

/** Waits for an ok/error/info toast containing text (several toasts may be stacked). */
export async function expectToast(page, text, kind = "ok", opts = {}) {
  return expectVisible(page.getByTestId(`toast-${kind}`).filter({ hasText: text }), opts);
}

export async function expectVisible(locator, opts = {}) {
  await locator.first().waitFor({ state: "visible", timeout: opts.timeout ?? WAIT });
  return locator.first();
}

export async function expectAttr(locator, name, want, opts = {}) {
  let v = null;
  try {
    await until(async () => {
      v = await locator.first().getAttribute(name, { timeout: 1000 });
      return typeof want === "string" ? v === want : want.test(v ?? "");
    }, `${name}=${want} on ${locator}`, opts);
  } catch (e) {
    throw new AssertionError(`${e.message}; ${name} was ${JSON.stringify(v)}`);
  }
  return v;
}

function slug(s) {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

async function withTimeout(p, ms, what) {
  let timer;
  const t = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new AssertionError(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the registered tests (those whose name matches grep) in order.
 * env: { baseURL, artifacts, executablePath, api, grep }
 * Returns { passed, failed, results }.
 */
export async function runTests(env) {
  const { baseURL, token, artifacts, executablePath, grep } = env;
  await mkdir(artifacts, { recursive: true });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: 30_000 });
  const results = [];
  const log = [];
  const selected = tests.filter((t) => !grep || grep.test(t.name));
  try {
    let i = 0;
    for (const t of selected) {
      if (!browser.isConnected()) {
        console.log("  the browser is gone; stopping");
        break;
      }
      i++;
      const id = `${String(i).padStart(2, "0")}-${slug(t.name)}`;
      const started = Date.now();
      const context = await browser.newContext({
        baseURL,
        viewport: t.opts.viewport ?? DEFAULT_VIEWPORT,
        colorScheme: t.opts.colorScheme ?? "light",
        locale: "en-US",
        timezoneId: "UTC",
        reducedMotion: "reduce",
      });
      context.setDefaultTimeout(WAIT);
      // Signed in as an operator who pasted the token earlier, unless the
      // test is about signing in.
      if (token && !t.opts.signedOut) {
        await context.addInitScript((tok) => {
          if (!localStorage.getItem("kanade_token")) localStorage.setItem("kanade_token", tok);
        }, token);
      }
      const page = await context.newPage();
      const problems = [];
      const apiErrors = [];
      const allowed = t.opts.allowConsole ?? [];
      const note = (kind, text, url) => {
        if (allowed.some((re) => re.test(text) || (url && re.test(url)))) return;
        problems.push(`${kind}: ${text}${url ? ` (${url})` : ""}`);
      };
      page.on("console", (msg) => {
        if (msg.type() === "error") note("console.error", msg.text(), msg.location()?.url);
      });
      page.on("pageerror", (err) => note("uncaught exception", `${err.name}: ${err.message}`));
      page.on("response", (res) => {
        const u = res.url();
        if (res.status() >= 400 && (u.includes("/api/") || u.includes("/readyz"))) apiErrors.push(`${res.status()} ${res.request().method()} ${u}`);
      });
      page.on("crash", () => problems.push("page crashed"));

      const ctx = { page, context, api: env.api, baseURL, token, artifacts, id, shot: (suffix) => page.screenshot({ path: path.join(artifacts, `${id}-${suffix}.png`) }) };
      let error = null;
      try {
        await withTimeout(Promise.resolve().then(() => t.fn(ctx)), t.opts.timeout ?? DEFAULT_TEST_TIMEOUT, "test");
        await sleep(150); // let late console errors of the last render arrive
        if (problems.length) throw new AssertionError(`browser reported ${problems.length} problem(s):\n    ${problems.join("\n    ")}`);
      } catch (e) {
        error = e;
      }
      try {
        await withTimeout(page.screenshot({ path: path.join(artifacts, `${id}.png`), fullPage: true }), 10_000, "screenshot");
      } catch (e) {
        log.push(`${id}: screenshot failed: ${e.message}`);
      }
      if (error) {
        try {
          await writeFile(path.join(artifacts, `${id}.html`), await withTimeout(page.content(), 5000, "page.content"));
        } catch {
          // the page may be gone
        }
      }
      await context.close().catch(() => {});
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      const r = { name: t.name, id, ok: !error, secs, error: error ? String(error.stack ?? error) : null, problems, apiErrors, url: page.url() };
      results.push(r);
      if (r.ok) {
        console.log(`  ok    ${secs.padStart(5)}s  ${t.name}`);
      } else {
        console.log(`  FAIL  ${secs.padStart(5)}s  ${t.name}`);
        console.log(`        ${String(error.message ?? error).split("\n").join("\n        ")}`);
        if (!(error instanceof AssertionError)) console.log(`        ${String(error.stack ?? "").split("\n").slice(1, 4).join("\n        ")}`);
        console.log(`        at ${r.url}; screenshot ${path.join(artifacts, `${id}.png`)}`);
        if (apiErrors.length) console.log(`        API errors seen: ${apiErrors.slice(-5).join("; ")}`);
      }
    }
  } finally {
    await browser.close().catch(() => {});
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  await writeFile(path.join(artifacts, "results.json"), JSON.stringify({ passed, failed, results, log }, null, 2));
  return { passed, failed, results };
}
