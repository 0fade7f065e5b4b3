#!/usr/bin/env node
// End-to-end suite entry point (scripts/e2e.sh starts the console and the
// simulated fleet, then runs this). Environment:
//   E2E_BASE_URL   console URL, e.g. http://127.0.0.1:18080 (required)
//   E2E_TOKEN      the console's static bearer token ("" when it runs open)
//   E2E_AGENTS     number of simulated agents (25)
//   E2E_ARTIFACTS  screenshots, page dumps, results.json (../../artifacts/e2e)
//   E2E_CHROMIUM   browser binary (/usr/bin/chromium)
//   E2E_GREP       only tests whose name matches this regular expression
// Writes "<N> passed, <M> failed" to $E2E_ARTIFACTS/summary.txt and exits 1
// when a test failed.
import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Api } from "./lib/api.mjs";
import { registeredTests, runTests } from "./lib/harness.mjs";
import { seed } from "./lib/seed.mjs";
import "./pages.spec.mjs";
import "./flows.spec.mjs";
import "./polish.spec.mjs";
import "./connect.spec.mjs";
import "./teams.spec.mjs";
import "./inventory.spec.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const baseURL = process.env.E2E_BASE_URL;
if (!baseURL) {
  console.error("e2e: set E2E_BASE_URL (scripts/e2e.sh does)");
  process.exit(2);
}
const artifacts = path.resolve(process.env.E2E_ARTIFACTS ?? path.join(here, "../../artifacts/e2e"));
const executablePath = process.env.E2E_CHROMIUM ?? "/usr/bin/chromium";
const agents = Number(process.env.E2E_AGENTS ?? 25);
const token = process.env.E2E_TOKEN ?? "";
const grep = process.env.E2E_GREP ? new RegExp(process.env.E2E_GREP, "i") : null;

await mkdir(artifacts, { recursive: true });
const summary = (passed, failed) => writeFile(path.join(artifacts, "summary.txt"), `${passed} passed, ${failed} failed\n`);

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    console.log(`e2e: ${sig}, stopping`);
    process.exit(130); // playwright-core kills the browser on exit
  });
}

const api = new Api(baseURL, token);
try {
  const s = await seed(api, { agents });
  console.log(`e2e: seeded the console through the API in ${(s.ms / 1000).toFixed(1)}s`);
} catch (e) {
  console.log(`e2e: seeding failed: ${e.message}`);
  await summary(0, 1);
  process.exit(1);
}

const total = grep ? registeredTests().filter((t) => grep.test(t.name)).length : registeredTests().length;
console.log(`e2e: ${total} browser tests against ${baseURL} (${executablePath})`);
const t0 = Date.now();
const { passed, failed } = await runTests({ baseURL, token, artifacts, executablePath, api, grep });
console.log(`e2e: browser tests took ${((Date.now() - t0) / 1000).toFixed(1)}s; screenshots in ${artifacts}`);
await summary(passed, failed);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
