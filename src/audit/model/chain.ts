import { GENESIS_HASH, hashEvent, type AuditEvent } from './event.js';

/**
 * Why a link of the chain is broken:
 * - `hash-mismatch`: the event's content no longer hashes to its stored `hash` (the event was edited);
 * - `prev-hash-mismatch`: its `prevHash` is not the previous event's `hash` (an event before it was deleted,
 *   replaced or reordered, or the previous event was edited and re-hashed);
 * - `seq-gap`: its `seq` is not the previous one + 1 (events were deleted, or seqs rewritten).
 */
export type BreakReason = 'hash-mismatch' | 'prev-hash-mismatch' | 'seq-gap';

/** The first event where the chain does not hold. */
export interface ChainBreak {
  seq: number;
  id: string;
  reason: BreakReason;
  /** One sentence for people, e.g. `seq 7 follows seq 5 (seq 6 missing)`. */
  message: string;
}

/** Where checking starts: the expected first seq and the hash its `prevHash` must equal (undefined: accept any). */
export interface ChainAnchor {
  seq: number;
  prevHash: string | undefined;
}

/** The anchor of a whole chain: seq 1 after the genesis hash. */
export const GENESIS_ANCHOR: ChainAnchor = { seq: 1, prevHash: GENESIS_HASH };

/**
 * Checks events one at a time, in seq order, against the previous one (so a chain of any length is checked in
 * constant memory). Rules in docs/audit.md "Verifying": seq = previous seq + 1, prevHash = previous hash,
 * hash = SHA-256 of the canonical form; the first failing rule of the first failing event is reported.
 */
export class ChainChecker {
  private expectedSeq: number;
  private expectedPrev: string | undefined;
  /** Events checked so far (including a broken one). */
  checked = 0;
  /** The last event that passed every rule. */
  last: { seq: number; hash: string } | undefined;

  constructor(anchor: ChainAnchor = GENESIS_ANCHOR) {
    this.expectedSeq = anchor.seq;
    this.expectedPrev = anchor.prevHash;
  }

  /** Checks the next event; returns the break, or undefined when the link holds. */
  check(e: AuditEvent): ChainBreak | undefined {
    this.checked++;
    const broken = (reason: BreakReason, message: string): ChainBreak => ({ seq: e.seq, id: e.id, reason, message });
    if (e.seq !== this.expectedSeq) {
      const before = this.expectedSeq - 1;
      return broken('seq-gap', `seq ${e.seq} follows ${before >= 1 ? `seq ${before}` : 'the start'} (expected seq ${this.expectedSeq})`);
    }
    if (this.expectedPrev !== undefined && e.prevHash !== this.expectedPrev) {
      return broken('prev-hash-mismatch', `prevHash ${e.prevHash} is not the previous event's hash ${this.expectedPrev}`);
    }
    const actual = hashEvent(e);
    if (actual !== e.hash) return broken('hash-mismatch', `content hashes to ${actual}, stored hash is ${e.hash}`);
    this.expectedSeq = e.seq + 1;
    this.expectedPrev = e.hash;
    this.last = { seq: e.seq, hash: e.hash };
    return undefined;
  }
}
