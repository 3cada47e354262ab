import { randomUUID } from 'node:crypto';
import type { AuditInput, AuditRecorder } from '../core/auth.js';
import type { Database } from '../core/db/index.js';
import type { Logger } from '../core/logger.js';
import { GENESIS_HASH, hashEvent, type AuditEvent } from './model/event.js';
import { cleanInput, type CleanInput } from './model/input.js';
import { insertEvents, lockHead } from './storage/events.js';

/** Most events appended in one transaction (one multi-row INSERT). */
export const MAX_BATCH = 500;

interface Pending {
  input: CleanInput;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Counters the writer reports after each batch (metrics). */
export interface BatchObserver {
  (batch: { events: number; seconds: number; ok: boolean }): void;
}

/**
 * The audit recorder: group commit onto the hash chain. `record()` queues the event; one flush at a time takes up
 * to `MAX_BATCH` queued events and, in one transaction, takes the append advisory lock (serialising every Tarmac
 * process on the database), reads the chain head, hashes the events in order and inserts them with one INSERT.
 * Each caller's promise resolves when its batch commits and rejects with the batch's error if it fails.
 * Event `time` is the database clock when the batch is appended (ms), never earlier than the previous event's, so
 * time order and chain order agree.
 */
export class AuditWriter implements AuditRecorder {
  private queue: Pending[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly observe: BatchObserver = () => undefined,
  ) {}

  /**
   * Appends one event; resolves once it is committed.
   * @throws TarmacError BAD_REQUEST for an invalid event (it is not queued), or the database error of the batch
   *   the event was in
   */
  record(event: AuditInput): Promise<void> {
    let input: CleanInput;
    try {
      input = cleanInput(event);
    } catch (err) {
      return Promise.reject(err);
    }
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      // Calls made in the same tick join one batch: the flush starts after them.
      this.flushing ??= new Promise<void>((r) => queueMicrotask(r)).then(() => this.drain());
    });
  }

  /**
   * Waits until every queued event is committed or failed. Later `record()` calls still work while the database
   * is open: requests finishing during shutdown keep their audit trail.
   */
  async stop(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        const started = performance.now();
        try {
          await this.append(batch.map((p) => p.input));
          this.observe({ events: batch.length, seconds: (performance.now() - started) / 1000, ok: true });
          for (const p of batch) p.resolve();
        } catch (err) {
          this.observe({ events: batch.length, seconds: (performance.now() - started) / 1000, ok: false });
          this.logger.error('audit append failed', { events: batch.length, error: err instanceof Error ? err.message : String(err) });
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.flushing = undefined;
    }
  }

  private async append(inputs: readonly CleanInput[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const head = await lockHead(tx);
      const timeMs = Math.max(head.now.getTime(), head.time?.getTime() ?? 0);
      const time = new Date(timeMs).toISOString();
      let seq = head.seq;
      let prevHash = head.hash ?? GENESIS_HASH;
      const events: AuditEvent[] = inputs.map((input) => {
        seq++;
        const unhashed = { seq, id: randomUUID(), time, ...input, prevHash };
        const event = { ...unhashed, hash: hashEvent(unhashed) };
        prevHash = event.hash;
        return event;
      });
      await insertEvents(tx, events);
    });
  }
}
