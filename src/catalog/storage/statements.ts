import type { Queryable } from '../../core/db/index.js';

/** One SQL statement with its parameters. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/**
 * A PostgreSQL array literal (`{"a","b",NULL}`) of strings, cheaper to build than the driver's generic
 * conversion. `null` items become NULL.
 */
export function textArrayLiteral(items: ReadonlyArray<string | null>): string {
  let out = '{';
  for (let i = 0; i < items.length; i++) {
    const s = items[i];
    const item = s === null || s === undefined ? 'NULL' : `"${/["\\]/.test(s) ? s.replace(/["\\]/g, '\\$&') : s}"`;
    out += i ? `,${item}` : item;
  }
  return `${out}}`;
}

/**
 * Runs statements on one transaction with up to `depth` of them queued at the server, so that the next batch's
 * parameters are built while the server executes the previous one (the drivers run a connection's statements in
 * order). `run` waits only when the window is full; `drain` waits for all and throws the first failure.
 */
export class StatementPipeline {
  private inflight: Array<Promise<unknown>> = [];

  constructor(
    private readonly tx: Queryable,
    private readonly depth = 2,
  ) {}

  /**
   * Queues `st`; resolves once queued, to `{ rows }`: the promise of the statement's rows. `verify`, when given,
   * sees the rows when they arrive; what it throws fails the pipeline like a failed statement (later `run`/`drain`).
   */
  async run<T = Record<string, unknown>>(st: Statement, verify?: (rows: T[]) => void): Promise<{ rows: Promise<T[]> }> {
    while (this.inflight.length >= this.depth) await this.inflight.shift();
    const sent = this.tx.query<T>(st.sql, st.params);
    const rows = verify
      ? sent.then((r) => {
          verify(r);
          return r;
        })
      : sent;
    rows.catch(() => undefined); // surfaced by drain() / the awaits above, in order
    this.inflight.push(rows);
    return { rows };
  }

  /** Waits for every queued statement; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inflight.length > 0) await this.inflight.shift();
  }
}
