// Monospace YAML textarea with a line-number gutter and an issue list.
import { useMemo, useRef } from "react";
import type { Issue } from "../lib/validate";

export function YamlEditor({
  value,
  onChange,
  issues,
  label,
  testId,
  rows = 22,
}: {
  value: string;
  onChange: (v: string) => void;
  issues: Issue[];
  label: string;
  testId?: string;
  rows?: number;
}) {
  const gutter = useRef<HTMLPreElement>(null);
  const lines = useMemo(() => Math.max(1, value.split("\n").length), [value]);
  const errLines = useMemo(() => new Set(issues.filter((i) => i.level === "error" && i.line).map((i) => i.line!)), [issues]);
  return (
    <div className="col" style={{ gap: 6 }}>
      <div className="editor">
        <pre className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lines }, (_, i) => (
            <div key={i} className={errLines.has(i + 1) ? "err" : undefined}>
              {i + 1}
            </div>
          ))}
        </pre>
        <textarea
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          wrap="off"
          rows={rows}
          aria-label={label}
          aria-invalid={errLines.size > 0 || issues.some((i) => i.level === "error")}
          data-testid={testId}
        />
      </div>
      <IssueList issues={issues} />
    </div>
  );
}

export function IssueList({ issues }: { issues: Issue[] }) {
  if (issues.length === 0)
    return (
      <div className="small" style={{ color: "var(--ok)" }} data-testid="yaml-valid">
        ✓ valid
      </div>
    );
  return (
    <ul className="issues" aria-live="polite" data-testid="yaml-issues">
      {issues.map((i, n) => (
        <li key={n} className={i.level}>
          {i.line ? `line ${i.line}: ` : ""}
          {i.message}
        </li>
      ))}
    </ul>
  );
}
