import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** `prevHash` of the first event of the chain (seq 1): 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/** An outcome of an audited action (`AuditInput.outcome`). */
export type AuditOutcome = 'success' | 'failure' | 'denied';

/** Outcomes accepted by `record` and the `outcome` filter. */
export const OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];

/**
 * One stored audit event, as the API returns it and as every export line after the header holds it.
 * `time` is an ISO 8601 UTC string with millisecond precision (`2026-11-21T08:19:11.123Z`).
 */
export interface AuditEvent {
  /** Position in the chain: 1, 2, 3… without gaps. */
  seq: number;
  /** Random UUID (lowercase). */
  id: string;
  time: string;
  actor: string;
  action: string;
  resource: string;
  outcome: AuditOutcome;
  /** The HTTP request id, or null. */
  requestId: string | null;
  /** Source IP address as the server saw it, or null. */
  ip: string | null;
  /** What changed, secret keys redacted; `{}` when nothing was given. */
  summary: Record<string, unknown>;
  /** `hash` of the event at `seq - 1`, or `GENESIS_HASH` for seq 1. */
  prevHash: string;
  /** SHA-256 (lowercase hex) of `canonicalForm(event)`. */
  hash: string;
}

/** An event before its hash is known. */
export type UnhashedEvent = Omit<AuditEvent, 'hash'>;

/**
 * The exact bytes hashed for an event: RFC 8785 JSON Canonicalization (the `canonicalize` package) of
 * `{ seq, id, time, actor, action, resource, outcome, requestId, ip, summary, prevHash }` — the event without
 * `hash`. RFC 8785 sorts keys by UTF-16 code units, writes numbers as ECMAScript does and strings with minimal
 * escaping, so any language can rebuild these bytes. Documented for auditors in docs/audit.md.
 */
export function canonicalForm(e: UnhashedEvent): string {
  const form = {
    seq: e.seq,
    id: e.id,
    time: e.time,
    actor: e.actor,
    action: e.action,
    resource: e.resource,
    outcome: e.outcome,
    requestId: e.requestId,
    ip: e.ip,
    summary: e.summary,
    prevHash: e.prevHash,
  };
  const text = canonicalize(form);
  if (text === undefined) throw new Error('audit event cannot be canonicalized');
  return text;
}

/** `hash = lowercase hex SHA-256 of the UTF-8 bytes of canonicalForm(event)` (docs/audit.md "Hash chain"). */
export function hashEvent(e: UnhashedEvent): string {
  return createHash('sha256').update(canonicalForm(e), 'utf8').digest('hex');
}
