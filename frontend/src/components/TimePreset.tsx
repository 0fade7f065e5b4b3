import { TIME_PRESETS } from "../format";

export function TimePresetSelect({ value, onChange, testId }: { value: string; onChange: (v: string) => void; testId?: string }) {
  return (
    <div className="field">
      <span className="small muted" style={{ fontWeight: 500 }} id={`${testId ?? "since"}-label`}>
        Since
      </span>
      <div className="seg" role="group" aria-labelledby={`${testId ?? "since"}-label`} data-testid={testId}>
        {TIME_PRESETS.map((p) => (
          <button key={p} type="button" aria-pressed={value === p} onClick={() => onChange(p)}>
            {p}
          </button>
        ))}
      </div>
    </div>
  );
}
