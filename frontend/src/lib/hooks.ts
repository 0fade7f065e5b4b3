import { useCallback, useEffect, useRef, useState } from "react";
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

/** Read/write URL query params as a flat string map (shareable filters). */
export function useUrlState<K extends string>(defaults: Record<K, string>) {
  const [params, setParams] = useSearchParams();
  const get = (k: K): string => params.get(k) ?? defaults[k];
  const values = Object.fromEntries(Object.keys(defaults).map((k) => [k, get(k as K)])) as Record<K, string>;
  const set = useCallback(
    (patch: Partial<Record<K, string>>, resetOffset = true) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(patch) as Array<[K, string | undefined]>) {
            if (v === undefined || v === "" || v === defaults[k]) next.delete(k);
            else next.set(k, v);
          }
          if (resetOffset && !("offset" in patch)) next.delete("offset");
          return next;
        },
        { replace: true },
      );
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [setParams],
  );
  return [values, set] as const;
}
