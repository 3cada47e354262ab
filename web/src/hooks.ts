import { useCallback, useEffect, useState } from 'react';

/** The state of one API call made by a page. `data` keeps the previous result while a new one loads. */
export interface Loaded<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Runs the call again (e.g. after a refresh button). */
  reload: () => void;
}

/**
 * Runs `load` when `deps` change, aborting the previous call; stale answers are dropped.
 * Usage: `const { data, error, loading } = useApi((signal) => api.summary(signal), [])`.
 */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const ctrl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ data, loading: false });
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setState({ error: err instanceof Error ? err : new Error(String(err)), loading: false });
      },
    );
    return () => ctrl.abort();
    // Callers pass the inputs of `load` as deps (like useEffect).
  }, [...deps, tick]);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** `value`, updated only after it stopped changing for `ms` milliseconds (for type-ahead inputs). */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}
