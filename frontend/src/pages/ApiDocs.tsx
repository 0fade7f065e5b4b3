import { useEffect, useMemo, useState } from "react";
import { constraints, operations, refName, section, typeText, type OpenAPIDocument, type Operation, type Schema } from "../lib/openapiDoc";

// The HTTP API for people: every operation with its parameters, body and
// answers, and every schema, rendered from docs/openapi.json (the document
// the console serves at /api/openapi.json, generated from its route table;
// bundled here so the page also works in the desktop app and offline).

function SchemaLink({ schema }: { schema?: Schema }) {
  const text = typeText(schema);
  const parts = text.split(/([A-Za-z][A-Za-z0-9]*)/);
  const names = new Set(collectRefs(schema));
  return (
    <code>
      {parts.map((p, i) =>
        names.has(p) ? (
          <a key={i} href={`#schema-${p}`}>
            {p}
          </a>
        ) : (
          p
        ),
      )}
    </code>
  );
}

function collectRefs(s: Schema | undefined): string[] {
  if (!s) return [];
  const out: string[] = [];
  if (s.$ref) out.push(refName(s.$ref));
  for (const sub of [s.items, ...(s.anyOf ?? []), ...(s.allOf ?? []), typeof s.additionalProperties === "object" ? s.additionalProperties : undefined]) {
    out.push(...collectRefs(sub));
  }
  return out;
}

function OperationCard({ op }: { op: Operation }) {
  return (
    <details className="card" style={{ marginBottom: 8 }} data-testid="api-operation">
      <summary className="card-head" style={{ cursor: "pointer" }}>
        <span className="badge mono">{op.method}</span>
        <code>{op.path}</code>
        <span className="muted">{op.summary}</span>
        {op.public && <span className="badge badge-ok">no token</span>}
      </summary>
      <div className="card-body">
        {op.parameters.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Parameter</th>
                  <th>In</th>
                  <th>Type</th>
                  <th>Bounds</th>
                  <th>Meaning</th>
                </tr>
              </thead>
              <tbody>
                {op.parameters.map((p) => (
                  <tr key={p.in + p.name}>
                    <td className="mono">{p.name}</td>
                    <td>{p.in}</td>
                    <td>
                      <SchemaLink schema={p.schema} />
                    </td>
                    <td>{constraints(p.schema)}</td>
                    <td>{p.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {op.body.map((b) => (
          <p key={b.mediaType}>
            Body <span className="mono">{b.mediaType}</span>: {b.schema ? <SchemaLink schema={b.schema} /> : "a file"}
          </p>
        ))}
        <ul>
          {op.responses.map((r) => (
            <li key={r.status}>
              <span className="mono">{r.status}</span> {r.schema ? <SchemaLink schema={r.schema} /> : r.mediaType ? <span className="mono">{r.mediaType}</span> : null}{" "}
              <span className="muted">{r.description}</span>
              {r.headers.length > 0 && <span className="muted"> (headers {r.headers.join(", ")})</span>}
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}

function SchemaCard({ name, schema }: { name: string; schema: Schema }) {
  const required = new Set(schema.required ?? []);
  return (
    <div className="card" id={`schema-${name}`} style={{ marginBottom: 8 }} data-testid="api-schema">
      <div className="card-head">
        <h2 className="mono">{name}</h2>
        {schema.additionalProperties === true && <span className="muted">keeps keys it does not know</span>}
      </div>
      <div className="card-body">
        {schema.properties ? (
          <div className="table-wrap">
            <table className="table">
              <tbody>
                {Object.entries(schema.properties).map(([field, s]) => (
                  <tr key={field}>
                    <td className="mono">
                      {field}
                      {required.has(field) ? "" : "?"}
                    </td>
                    <td>
                      <SchemaLink schema={s} />
                    </td>
                    <td className="muted">{s.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <SchemaLink schema={schema} />
        )}
      </div>
    </div>
  );
}

export default function ApiDocsPage() {
  const [doc, setDoc] = useState<OpenAPIDocument | null>(null);
  const [failed, setFailed] = useState("");
  useEffect(() => {
    import("../../../docs/openapi.json")
      .then((m) => setDoc(m.default as unknown as OpenAPIDocument))
      .catch((e: unknown) => setFailed(String(e)));
  }, []);
  const groups = useMemo(() => {
    const out = new Map<string, Operation[]>();
    for (const op of doc ? operations(doc) : []) {
      const key = section(op.path);
      out.set(key, [...(out.get(key) ?? []), op]);
    }
    return out;
  }, [doc]);
  if (failed) return <div className="page">The API description did not load: {failed}</div>;
  if (!doc) return <div className="page muted">Loading the API description…</div>;
  return (
    <div className="page" data-testid="page-api-docs">
      <h1>{doc.info.title}</h1>
      <p className="muted">{doc.info.description}</p>
      <p>
        The same document, for generators: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI {"3.1"}, needs the token like every <code>/api/</code>{" "}
        route).
      </p>
      {[...groups].map(([name, ops]) => (
        <section key={name}>
          <h2 style={{ margin: "16px 0 8px" }}>{name}</h2>
          {ops.map((op) => (
            <OperationCard key={op.method + op.path} op={op} />
          ))}
        </section>
      ))}
      <h2 style={{ margin: "16px 0 8px" }}>Schemas</h2>
      {Object.keys(doc.components.schemas)
        .sort((a, b) => a.localeCompare(b))
        .map((name) => (
          <SchemaCard key={name} name={name} schema={doc.components.schemas[name]} />
        ))}
    </div>
  );
}
