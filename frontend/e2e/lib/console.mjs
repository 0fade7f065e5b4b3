// A console of a test's own: `kanade-console serve` on free loopback ports
// with a fresh data dir and no agents (the suite's shared console already
// has its simulated fleet), and `kanade-console sim` processes against it.
// Everything is stopped by stop(); logs land in the artifacts directory.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { until } from "./harness.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BIN = process.env.E2E_BIN ?? path.resolve(here, "../../../bin/kanade-console");

/** n distinct free loopback ports, held open together while chosen. */
export async function freePorts(n) {
  const servers = [];
  for (let i = 0; i < n; i++) {
    servers.push(await new Promise((resolve, reject) => {
      const s = net.createServer();
      s.on("error", reject);
      s.listen(0, "127.0.0.1", () => resolve(s));
    }));
  }
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

function run(args, env, logPath) {
  const full = { ...process.env, ...env };
  // KANADE_AUTH_DISABLE works by its presence alone: never pass it on.
  for (const k of ["KANADE_AUTH_DISABLE", "KANADE_JWT_SECRET"]) delete full[k];
  const child = spawn(BIN, args, { env: full, stdio: ["ignore", "pipe", "pipe"] });
  const log = createWriteStream(logPath);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  child.exited = new Promise((resolve) => child.on("exit", (code, sig) => resolve(code ?? sig)));
  return child;
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const t = setTimeout(() => child.kill("SIGKILL"), 12_000);
  await child.exited;
  clearTimeout(t);
}

/**
 * Starts serve with a static API token and a NATS token; resolves when
 * /readyz answers 200. Returns { baseURL, natsPort, natsToken, sim(args), stop() }.
 */
export async function startConsole({ name, token, natsToken, artifacts }) {
  const [httpPort, natsPort] = await freePorts(2);
  const data = await mkdtemp(path.join(os.tmpdir(), `kanade-e2e-${name}-`));
  const env = { KANADE_AUTH_STATIC_TOKEN: token, KANADE_NATS_TOKEN: natsToken };
  const serve = run(["serve", "--data", data, "--addr", `127.0.0.1:${httpPort}`, "--nats-listen", `127.0.0.1:${natsPort}`], env, path.join(artifacts, `${name}-serve.log`));
  const children = [serve];
  const baseURL = `http://127.0.0.1:${httpPort}`;
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    await rm(data, { recursive: true, force: true });
  };
  try {
    await until(async () => {
      if (serve.exitCode !== null) throw new Error(`serve exited with ${serve.exitCode}; see ${name}-serve.log`);
      const r = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2000) });
      return r.ok;
    }, `${name}: serve ready`, { timeout: 30_000, interval: 200 });
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    baseURL,
    natsPort,
    natsToken,
    /** Starts `kanade-console sim` with the given flags and NATS token. */
    sim(args, simToken) {
      const c = run(["sim", ...args], { KANADE_NATS_TOKEN: simToken }, path.join(artifacts, `${name}-sim.log`));
      children.push(c);
      return c;
    },
    stop,
  };
}
