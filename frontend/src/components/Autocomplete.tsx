// A text input with a suggestion list that closes when a suggestion is
// picked, on Escape and when the input loses focus. (A native <datalist>
// popup stays open in WebKitGTK, the desktop window's engine, covering the
// fields below it.)
import { useId, useMemo, useState, type KeyboardEvent } from "react";

export interface Suggestion {
  value: string;
  hint?: string;
}

const MAX_SHOWN = 8;

const byValue = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** The suggestions containing text (case-insensitive), those starting with it first, each group sorted. */
export function filterSuggestions(options: Suggestion[], text: string, max = MAX_SHOWN): Suggestion[] {
  const q = text.trim().toLowerCase();
  const hits = (q ? options.filter((o) => o.value.toLowerCase().includes(q)) : [...options]).sort(
    (a, b) => Number(!a.value.toLowerCase().startsWith(q)) - Number(!b.value.toLowerCase().startsWith(q)) || byValue.compare(a.value, b.value),
  );
  // the exact match alone is nothing left to pick
  if (hits.length === 1 && hits[0].value === text) return [];
  return hits.slice(0, max);
}

/** PC suggestions from agents: the hostname (when it says more than the id) and online/stale. */
export function agentSuggestions(agents: { pc_id: string; hostname?: string | null; online: boolean }[]): Suggestion[] {
  return agents.map((a) => ({
    value: a.pc_id,
    hint: [a.hostname && a.hostname !== a.pc_id ? a.hostname : "", a.online ? "online" : "stale"].filter(Boolean).join(" · "),
  }));
}

export function Autocomplete({
  value,
  onChange,
  options,
  placeholder,
  required,
  label,
  testId,
}: {
  value: string;
  onChange: (v: string) => void;
  options: Suggestion[];
  placeholder?: string;
  required?: boolean;
  label?: string;
  testId?: string;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const shown = useMemo(() => (open ? filterSuggestions(options, value) : []), [open, options, value]);
  const close = () => {
    setOpen(false);
    setActive(-1);
  };
  const pick = (v: string) => {
    onChange(v);
    close();
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) {
        setOpen(true);
        return;
      }
      const n = shown.length;
      if (n) setActive((a) => (e.key === "ArrowDown" ? (a + 1) % n : (a - 1 + n) % n));
    } else if (e.key === "Enter" && shown.length && active >= 0) {
      e.preventDefault(); // pick, don't submit
      pick(shown[active].value);
    } else if (e.key === "Escape" && shown.length) {
      e.preventDefault();
      e.stopPropagation(); // close the list, not the dialog around it
      close();
    }
  };
  return (
    <div className="combo">
      <input
        role="combobox"
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 && shown[active] ? `${listId}-${active}` : undefined}
        aria-label={label}
        autoComplete="off"
        value={value}
        onChange={(e) => {
          onChange(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKey}
        onBlur={close}
        placeholder={placeholder}
        required={required}
        data-testid={testId}
      />
      {shown.length > 0 && (
        <ul role="listbox" id={listId} className="combo-list" data-testid={testId ? `${testId}-options` : undefined}>
          {shown.map((o, i) => (
            <li
              key={o.value}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: a click would blur the input first and close the list
              onMouseDown={(e) => {
                e.preventDefault();
                pick(o.value);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span>{o.value}</span>
              {o.hint && <span className="muted small">{o.hint}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
