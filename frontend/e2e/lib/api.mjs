// The console's public HTTP API, for seeding data and checking what the UI
// did (the tests drive the flows they are about through the UI).
import { until } from "./harness.mjs";

export class Api {
  constructor(baseURL, token = "") {
    this.base = baseURL.replace(/\/$/, "");
    this.token = token;
  }

  async req(method, path, { json, yaml, form, ok = [200, 201, 204] } = {}) {
    const headers = { "X-Kanade-Source": "cli" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let body;
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    } else if (yaml !== undefined) {
      headers["Content-Type"] = "application/yaml";
      body = yaml;
    } else if (form !== undefined) {
      body = form;
    }
    const res = await fetch(this.base + path, { method, headers, body, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    if (!ok.includes(res.status)) throw new Error(`${method} ${path}: HTTP ${res.status} ${text.slice(0, 300)}`);
    const type = res.headers.get("content-type") ?? "";
    const data = type.includes("json") && text ? JSON.parse(text) : text;
    return { status: res.status, data, total: Number(res.headers.get("x-total-count") ?? NaN) };
  }

  get = async (path) => (await this.req("GET", path)).data;
  post = async (path, json) => (await this.req("POST", path, { json })).data;
  put = async (path, json) => (await this.req("PUT", path, { json })).data;

  agents = (q = "") => this.get(`/api/agents?limit=1000${q}`);
  upsertJobYaml = async (yaml) => (await this.req("POST", "/api/jobs", { yaml })).data;
  upsertJob = (manifest) => this.post("/api/jobs", manifest);
  upsertSchedule = (s) => this.post("/api/schedules", s);
  exec = (jobId, plan = { target: { all: true } }) => this.post(`/api/exec/${encodeURIComponent(jobId)}`, plan);
  execution = (id) => this.get(`/api/executions/${id}`);
  addGroup = (pc, group) => this.post(`/api/agents/${encodeURIComponent(pc)}/groups`, { group });

  async publish(filename, bytes) {
    const form = new FormData();
    form.append("file", new Blob([bytes], { type: "application/octet-stream" }), filename);
    return (await this.req("POST", "/api/agents/publish", { form })).data;
  }

  /** Waits until the execution is completed with every PC reported; returns its detail. */
  async waitExecution(id, { results, timeout = 30_000 } = {}) {
    return until(
      async () => {
        const d = await this.execution(id);
        const done = d.execution.status === "completed" && (results === undefined || d.results.length >= results);
        return done ? d : false;
      },
      `execution ${id} to complete`,
      { timeout, interval: 250 },
    );
  }
}
