import type { Database } from '../core/db/index.js';
import { badRequest } from '../core/errors.js';
import { ChainChecker, GENESIS_ANCHOR, type ChainBreak } from './model/chain.js';
import { GENESIS_HASH, OUTCOMES, type AuditEvent, type AuditOutcome } from './model/event.js';
import { EXPORT_FORMAT, type ExportFooter, type ExportHeader } from './model/export.js';
import { hashAt, readAfter, seqRange } from './storage/events.js';
import { listEvents } from './storage/list.js';

/** Page size of `list` when `limit` is absent. */
export const DEFAULT_LIST_LIMIT = 50;
/** Largest page `list` returns; larger limits are clamped. */
export const MAX_LIST_LIMIT = 500;
/** Events read per page by `verify` and `exportJsonl` when `batchSize` is absent. */
export const DEFAULT_READ_BATCH = 1000;

/** Query of `list`. Times are ISO 8601 strings or Dates; `after` is a cursor from a previous page's `nextCursor`. */
export interface ListQuery {
  actor?: string;
  /** Exact action, or a prefix ending in `.*` (`catalog.*`). */
  action?: string;
  resource?: string;
  outcome?: AuditOutcome;
  /** Events at or after this time. */
  from?: string | Date;
  /** Events before this time. */
  to?: string | Date;
  /** 1…500, default 50. */
  limit?: number;
  after?: string;
}

/**
 * A page of events, newest first. `nextCursor` is set when older matching events remain. `totalItems` (every
 * matching event) is on the first page only (no `after`); later pages leave it out.
 */
export interface ListPage {
  items: AuditEvent[];
  nextCursor?: string;
  totalItems?: number;
}

/** Result of `verify`: `last` is the last event that passed, to keep as an external anchor. */
export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken?: ChainBreak;
  last?: { seq: number; hash: string };
}

/**
 * Parses an optional time bound.
 * @throws TarmacError BAD_REQUEST naming the parameter when it is not a valid date
 */
export function parseTime(name: string, v: string | Date | undefined): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const d = v instanceof Date ? v : new Date(v);
  if (Number.isNaN(d.getTime())) throw badRequest(`${name} must be an ISO 8601 date or time, got "${String(v)}"`);
  return d;
}

/** Reads, verifies and exports the audit log (issue 4 "Audit log"). Appends go through `AuditWriter`. */
export class AuditService {
  constructor(private readonly db: Database) {}

  /**
   * Matching events, newest first, with cursor pagination by seq.
   * @throws TarmacError BAD_REQUEST for a bad time, outcome, limit or cursor
   */
  async list(q: ListQuery = {}): Promise<ListPage> {
    if (q.outcome !== undefined && !OUTCOMES.includes(q.outcome)) throw badRequest(`outcome must be one of ${OUTCOMES.join(', ')}`);
    if (q.after !== undefined && !/^[1-9]\d{0,15}$/.test(q.after)) throw badRequest(`after must be a cursor from nextCursor, got "${q.after}"`);
    const limit = q.limit ?? DEFAULT_LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1) throw badRequest(`limit must be a positive integer, got ${limit}`);
    const page = await listEvents(
      this.db,
      { actor: q.actor, action: q.action, resource: q.resource, outcome: q.outcome, from: parseTime('from', q.from), to: parseTime('to', q.to) },
      { limit: Math.min(limit, MAX_LIST_LIMIT), beforeSeq: q.after === undefined ? undefined : Number(q.after) },
    );
    const last = page.items.at(-1);
    return { items: page.items, totalItems: page.totalItems, ...(page.more && last ? { nextCursor: String(last.seq) } : {}) };
  }

  /**
   * Walks the chain from seq `from` (default 1) in pages of `batchSize`, checking every link; stops at the first
   * broken one. From seq 1 the first event must follow the genesis hash; from a later seq it must follow the
   * stored hash of seq `from - 1`.
   */
  async verify(opts: { from?: number; batchSize?: number } = {}): Promise<VerifyResult> {
    const from = Math.max(1, Math.floor(opts.from ?? 1));
    const batch = Math.max(1, Math.min(opts.batchSize ?? DEFAULT_READ_BATCH, 10_000));
    const checker = new ChainChecker(from === 1 ? GENESIS_ANCHOR : { seq: from, prevHash: await hashAt(this.db, from - 1) });
    let after = from - 1;
    for (;;) {
      const page = await readAfter(this.db, after, batch);
      for (const e of page) {
        const broken = checker.check(e);
        if (broken) return { ok: false, checked: checker.checked, firstBroken: broken, last: checker.last };
      }
      if (page.length < batch) break;
      after = page.at(-1)?.seq ?? after;
    }
    return { ok: true, checked: checker.checked, last: checker.last };
  }

  /**
   * The events with `from` ≤ time < `to` (both optional) as JSON Lines, without trailing newlines: a header with
   * the anchor, one line per event (the API's event shape) in seq order, a footer with the count and last hash.
   * Reads in pages of `batchSize`, so any range streams in constant memory. Format in docs/audit.md "Export".
   * @throws TarmacError BAD_REQUEST for a bad time — synchronously, before any line is produced
   */
  exportJsonl(opts: { from?: string | Date; to?: string | Date; batchSize?: number } = {}): AsyncIterable<string> {
    const from = parseTime('from', opts.from);
    const to = parseTime('to', opts.to);
    const batch = Math.max(1, Math.min(opts.batchSize ?? DEFAULT_READ_BATCH, 10_000));
    const db = this.db;
    return (async function* lines() {
      const range = await seqRange(db, from, to);
      const prevHash = range ? (range.first === 1 ? GENESIS_HASH : ((await hashAt(db, range.first - 1)) ?? null)) : null;
      const header: ExportHeader = {
        type: 'header',
        format: EXPORT_FORMAT,
        exportedAt: new Date().toISOString(),
        from: from?.toISOString() ?? null,
        to: to?.toISOString() ?? null,
        anchor: { prevHash, firstSeq: range?.first ?? null },
      };
      yield JSON.stringify(header);
      const footer: ExportFooter = { type: 'footer', count: 0, lastSeq: null, lastHash: null };
      let after = range ? range.first - 1 : 0;
      while (range && after < range.last) {
        const page = await readAfter(db, after, batch, range.last);
        if (page.length === 0) break;
        for (const e of page) {
          yield JSON.stringify(e);
          footer.count++;
          footer.lastSeq = e.seq;
          footer.lastHash = e.hash;
        }
        after = page.at(-1)?.seq ?? range.last;
      }
      yield JSON.stringify(footer);
    })();
  }
}
