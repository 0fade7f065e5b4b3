import { useState, type KeyboardEvent } from "react";

/** Free-text chips (PC ids): Enter, comma or space adds; Backspace on empty removes the last. */
export function ChipsInput({
  values,
  onChange,
  suggestions = [],
  placeholder,
  label,
  testId,
  listId,
}: {
  values: string[];
  onChange: (v: string[]) => void;
  suggestions?: string[];
  placeholder?: string;
  label: string;
  testId?: string;
  listId: string;
}) {
  const [text, setText] = useState("");
  const add = (raw: string) => {
    const parts = raw.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
    if (parts.length === 0) return;
    const next = [...values];
    for (const p of parts) if (!next.includes(p)) next.push(p);
    onChange(next);
    setText("");
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "Enter" || e.key === "," || (e.key === " " && text.trim())) {
      e.preventDefault();
      add(text);
    } else if (e.key === "Backspace" && text === "" && values.length) {
      onChange(values.slice(0, -1));
    }
  };
  return (
    <div className="col" style={{ gap: 6 }}>
      <div className="chips">
        {values.map((v) => (
          <span key={v} className="chip">
            {v}
            <button type="button" aria-label={`Remove ${v}`} onClick={() => onChange(values.filter((x) => x !== v))}>
              ×
            </button>
          </span>
        ))}
      </div>
      <div className="row">
        <input
          list={listId}
          value={text}
          onChange={(e) => {
            const v = e.target.value;
            // picking from the datalist fills the whole value at once
            if (suggestions.includes(v) && !values.includes(v)) {
              onChange([...values, v]);
              setText("");
            } else setText(v);
          }}
          onKeyDown={onKey}
          onBlur={() => text.trim() && add(text)}
          placeholder={placeholder}
          aria-label={label}
          className="grow"
          data-testid={testId}
        />
        <datalist id={listId}>
          {suggestions.filter((s) => !values.includes(s)).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <button type="button" className="btn-sm" onClick={() => add(text)} disabled={!text.trim()}>
          Add
        </button>
      </div>
    </div>
  );
}
