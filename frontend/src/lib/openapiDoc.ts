// Reading the console's OpenAPI document (docs/openapi.json) for the API
// page: operations grouped by path, and JSON Schemas as short type text.

export type Schema = {
  $ref?: string;
  type?: string | string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  format?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
};

export interface Parameter {
  name: string;
  in: "path" | "query";
  required?: boolean;
  description?: string;
  schema: Schema;
}

interface Media {
  schema?: Schema;
}

interface Response {
  description: string;
  headers?: Record<string, { description?: string; schema: Schema }>;
  content?: Record<string, Media>;
}

interface OperationObject {
  summary: string;
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, Response>;
  security?: unknown[];
}

export interface OpenAPIDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, Schema>; securitySchemes?: Record<string, { description?: string }> };
}

export interface Operation {
  method: string;
  path: string;
  summary: string;
  id: string;
  public: boolean;
  parameters: Parameter[];
  body: Array<{ mediaType: string; schema?: Schema }>;
  responses: Array<{ status: string; description: string; mediaType?: string; schema?: Schema; headers: string[] }>;
}

const METHOD_ORDER = ["get", "post", "put", "delete"];

/** Every operation, by path and then method. */
export function operations(doc: OpenAPIDocument): Operation[] {
  const out: Operation[] = [];
  for (const path of Object.keys(doc.paths).sort()) {
    const item = doc.paths[path];
    const methods = Object.keys(item).sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
    for (const method of methods) {
      const op = item[method];
      out.push({
        method: method.toUpperCase(),
        path,
        summary: op.summary,
        id: op.operationId,
        public: Array.isArray(op.security) && op.security.length === 0,
        parameters: op.parameters ?? [],
        body: Object.entries(op.requestBody?.content ?? {}).map(([mediaType, m]) => ({ mediaType, schema: m.schema })),
        responses: Object.keys(op.responses)
          .sort()
          .map((status) => {
            const r = op.responses[status];
            const [mediaType, media] = Object.entries(r.content ?? {})[0] ?? [];
            return { status, description: r.description, mediaType, schema: media?.schema, headers: Object.keys(r.headers ?? {}) };
          }),
      });
    }
  }
  return out;
}

/** The section an operation is listed under: /api/agents/{pc_id} -> agents. */
export function section(path: string): string {
  const parts = path.split("/").filter(Boolean);
  return parts[0] === "api" ? (parts[1] ?? "api") : "probes and metrics";
}

/** The name a $ref points at. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

/** A schema as short type text: "AgentRow[]", "string | null", "enum(a, b)". */
export function typeText(s: Schema | undefined): string {
  if (!s || Object.keys(s).length === 0) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.anyOf) return s.anyOf.map(typeText).join(" | ");
  if (s.allOf) return s.allOf.map(typeText).join(" & ");
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return types
    .map((t) => {
      if (t === "array") return `${wrap(typeText(s.items))}[]`;
      if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object") return `map of ${typeText(s.additionalProperties)}`;
      if (t === "string" && s.format) return `string (${s.format})`;
      return t;
    })
    .join(" | ");
}

function wrap(t: string): string {
  return t.includes(" ") ? `(${t})` : t;
}

/** Bounds and default of a parameter, as text. */
export function constraints(s: Schema): string {
  const parts: string[] = [];
  if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`${s.minimum}–${s.maximum}`);
  else if (s.minimum !== undefined) parts.push(`≥ ${s.minimum}`);
  if (s.default !== undefined) parts.push(`default ${JSON.stringify(s.default)}`);
  return parts.join(", ");
}
