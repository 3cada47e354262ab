/**
 * A small seeded pseudo-random generator for the benchmark's synthetic catalog, so that the same `--entities` and
 * `--seed` always produce the same files (and the same expected query results). Not for anything security-related.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** `k` distinct integers in [0, n), in draw order (k is clamped to n). */
  distinct(n: number, k: number): number[];
}

/**
 * Mulberry32 (Tommy Ettinger, public domain): a 32-bit state generator, good enough to spread synthetic
 * relations evenly and fast enough to draw millions of numbers per second.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(items.length)] as T,
    distinct: (n: number, k: number): number[] => {
      const out = new Set<number>();
      const want = Math.min(k, n);
      while (out.size < want) out.add(int(n));
      return [...out];
    },
  };
}
