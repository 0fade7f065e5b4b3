import type { Wave } from "../api";
import { isHumantime } from "../lib/validate";

export function WavesEditor({ waves, onChange, groups }: { waves: Wave[]; onChange: (w: Wave[]) => void; groups: string[] }) {
  const set = (i: number, patch: Partial<Wave>) => onChange(waves.map((w, n) => (n === i ? { ...w, ...patch } : w)));
  return (
    <div className="col" data-testid="waves-editor">
      <datalist id="wave-groups">
        {groups.map((g) => (
          <option key={g} value={g} />
        ))}
      </datalist>
      {waves.length === 0 && <span className="muted small">No waves.</span>}
      {waves.map((w, i) => (
        <div key={i} className="row">
          <span className="muted small" style={{ width: 52 }}>
            wave {i + 1}
          </span>
          <input list="wave-groups" value={w.group} onChange={(e) => set(i, { group: e.target.value })} placeholder="group" aria-label={`Wave ${i + 1} group`} />
          <input
            value={w.delay}
            onChange={(e) => set(i, { delay: e.target.value })}
            placeholder="0s"
            aria-label={`Wave ${i + 1} delay`}
            aria-invalid={w.delay !== "" && !isHumantime(w.delay)}
            style={{ width: 90 }}
          />
          <button type="button" className="btn-sm btn-ghost" onClick={() => onChange(waves.filter((_, n) => n !== i))} aria-label={`Remove wave ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="btn-sm" onClick={() => onChange([...waves, { group: "", delay: waves.length === 0 ? "0s" : "30m" }])} data-testid="add-wave">
          + Add wave
        </button>
      </div>
      <span className="muted small">Each wave goes to its group after its delay (measured from the exec). Delayed waves live in backend memory until they fire.</span>
    </div>
  );
}
