import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router-dom";

export function useDebounced<T>(value: T, ms = 300): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * Per-row pending state: concurrent actions on different rows don't block
 * each other. `run(key, fn)` marks the key busy until fn settles.
 */
export function useRowPending() {
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  const run = useCallback(async <T,>(key: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy((b) => ({ ...b, [key]: true }));
    try {
      return await fn();
    } finally {
      if (mounted.current) {
        setBusy((b) => {
          const n = { ...b };
          delete n[key];
          return n;
        });
      }
    }
  }, []);
  const isBusy = useCallback((key: string) => Boolean(busy[key]), [busy]);
  return { run, isBusy };
}

/**
 * The query string a page's filters are written into. React Router's
 * setSearchParams(fn) hands fn the params of the hook's last render, not
 * the URL: a second filter set before the page re-rendered (a status picked
 * right after a typed filter was committed) started from the stale params
 * and dropped the first one (an e2e run lost `job_id` that way). The writer
 * keeps what the page last wrote until the router shows it, so writes chain;
 * a navigation it did not write (back button, a link) replaces it.
 */
export class SearchWriter {
  private pending: string[] = [];
  private seen: string;
  live: string;

  constructor(current: string) {
    this.seen = current;
    this.live = current;
  }

  /** The router rendered `current`. */
  observe(current: string) {
    if (current === this.seen) return;
    this.seen = current;
    const i = this.pending.indexOf(current);
    if (i >= 0) {
      this.pending = this.pending.slice(i + 1);
      if (this.pending.length === 0) this.live = current;
      return;
    }
    this.pending = [];
    this.live = current;
  }

  /** The next query string after a patch, or null when nothing changes. */
  write(patch: Record<string, string | undefined>, defaults: Record<string, string>, resetOffset: boolean): string | null {
    const next = new URLSearchParams(this.live);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === "" || v === defaults[k]) next.delete(k);
      else next.set(k, v);
    }
    if (resetOffset && !("offset" in patch)) next.delete("offset");
    const s = next.toString();
    if (s === this.live) return null;
    this.live = s;
    this.pending.push(s);
    return s;
  }
}

/** Read/write URL query params as a flat string map (shareable filters). */
export function useUrlState<K extends string>(initialDefaults: Record<K, string>) {
  const [params, setParams] = useSearchParams();
  // Callers pass a fresh literal on every render: the first one is kept, so
  // `set` stays the same function for the page's lifetime.
  const [defaults] = useState(initialDefaults);
  const [writer] = useState(() => new SearchWriter(params.toString()));
  const current = params.toString();
  useLayoutEffect(() => writer.observe(current), [writer, current]);
  const get = (k: K): string => params.get(k) ?? defaults[k];
  const values = Object.fromEntries(Object.keys(defaults).map((k) => [k, get(k as K)])) as Record<K, string>;
  const set = useCallback(
    (patch: Partial<Record<K, string>>, resetOffset = true) => {
      const next = writer.write(patch, defaults, resetOffset);
      if (next !== null) setParams(new URLSearchParams(next), { replace: true });
    },
    [setParams, defaults, writer],
  );
  return [values, set] as const;
}

/**
 * A text input bound to a URL filter: the text shows every keystroke, the
 * filter follows after `ms` of quiet, and a change of the filter from
 * elsewhere (back button, a link, a reset) replaces the text.
 */
export function useFilterInput(value: string, commit: (v: string) => void, ms = 350) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    // Render-time adjustment (not an effect): the text follows the URL.
    setShown(value);
    setText(value);
  }
  const latest = useRef({ value, commit });
  useEffect(() => {
    latest.current = { value, commit };
  });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const type = useCallback(
    (v: string) => {
      setText(v);
      clearTimeout(timer.current);
      timer.current = setTimeout(() => {
        if (v !== latest.current.value) latest.current.commit(v);
      }, ms);
    },
    [ms],
  );
  return [text, type] as const;
}
