/**
 * An in-memory cache of values computed from the catalog (match counts, facets, summary), keyed by a string and
 * valid for one `catalog_state.generation`: every write bumps the generation, so an entry can never be served
 * for data it was not computed on. Entries of other generations are dropped; at most `max` entries are kept
 * (least recently used first out). Each process has its own; the generation lives in the database, so writes by
 * other processes invalidate it too.
 */
export class GenerationCache<T> {
  private generation = -1;
  private readonly entries = new Map<string, T>();

  constructor(private readonly max = 500) {}

  /** The newest generation seen (−1 before any). */
  get lastGeneration(): number {
    return this.generation;
  }

  /** The value for `key` at `generation`, if cached. */
  get(key: string, generation: number): T | undefined {
    if (generation !== this.generation) return undefined;
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v);
    }
    return v;
  }

  /** Stores `value` for `key` at `generation`; a newer generation clears the older entries, an older one is ignored. */
  set(key: string, generation: number, value: T): void {
    if (generation < this.generation) return;
    if (generation > this.generation) {
      this.entries.clear();
      this.generation = generation;
    }
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
