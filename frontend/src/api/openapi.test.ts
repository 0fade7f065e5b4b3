// docs/openapi.json (generated from the Go route table and types, checked
// by the Go tests) seen from the frontend: a second, independent OpenAPI
// validator accepts it, src/api/openapi.d.ts is what openapi-typescript
// makes of it today, and types.ts has the fields its schemas have
// (openapi-check.ts, compiled here with the TypeScript compiler).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Validator } from "@seriousme/openapi-schema-validator";
import ts from "typescript";

const root = resolve(__dirname, "../..");
const documentPath = resolve(root, "../docs/openapi.json");

// Running the generator and the type checker takes seconds alone but over a
// minute on two loaded cores beside the other test files: the limit is a
// hang guard, not a speed check.
const slowStep = 300_000;

describe("docs/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document for @seriousme/openapi-schema-validator", async () => {
    const validator = new Validator();
    const res = await validator.validate(JSON.parse(readFileSync(documentPath, "utf8")));
    expect(res.errors ?? []).toEqual([]);
    expect(res.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("matches the committed openapi.d.ts (npm run openapi regenerates it)", () => {
    const dir = mkdtempSync(join(tmpdir(), "openapi-ts-"));
    try {
      const out = join(dir, "openapi.d.ts");
      execFileSync(process.execPath, [resolve(root, "node_modules/openapi-typescript/bin/cli.js"), documentPath, "-o", out], { stdio: "pipe" });
      const committed = readFileSync(resolve(root, "src/api/openapi.d.ts"), "utf8");
      expect(committed === readFileSync(out, "utf8"), "src/api/openapi.d.ts is stale: run `npm run openapi` in frontend/ and commit it").toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, slowStep);

  it("has the fields types.ts declares, and types.ts has its fields", () => {
    const file = resolve(root, "src/api/openapi-check.ts");
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);
  }, slowStep);
});
