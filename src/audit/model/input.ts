import type { AuditInput } from '../../core/auth.js';
import { badRequest } from '../../core/errors.js';
import { OUTCOMES, type AuditEvent } from './event.js';

/** Summary keys whose values are never stored (any depth): replaced by `REDACTED`. Source: issue 4 "Audit log". */
export const SECRET_KEY = /secret|token|password|authorization|cookie/i;
/** What a redacted value becomes. */
export const REDACTED = '[redacted]';
/** Longest actor, action, resource, request id or ip kept, in characters; longer ones are cut and end with `…`. */
export const MAX_FIELD_CHARS = 512;
/** Largest summary kept, in bytes of JSON; a larger one is replaced by `{ truncated: true, bytes }`. */
export const MAX_SUMMARY_BYTES = 16_384;
/** Deepest nesting kept in a summary; deeper values become `'[too deep]'`. */
export const MAX_SUMMARY_DEPTH = 16;

/** An event's own fields once checked and cleaned, ready to be hashed and stored (the chain adds seq, id, time, hashes). */
export type CleanInput = Pick<AuditEvent, 'actor' | 'action' | 'resource' | 'outcome' | 'requestId' | 'ip' | 'summary'>;

/**
 * PostgreSQL text and jsonb hold neither NUL nor unpaired UTF-16 surrogates: both become U+FFFD, so one odd
 * string never fails a whole batch of appends.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be matched here
const LONE_SURROGATE_OR_NUL = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\u0000/g;

function cleanText(s: string): string {
  return s.replace(LONE_SURROGATE_OR_NUL, '\uFFFD');
}

function cleanField(v: string): string {
  const s = cleanText(v);
  return s.length > MAX_FIELD_CHARS ? `${s.slice(0, MAX_FIELD_CHARS - 1)}…` : s;
}

/**
 * Copies `value` as plain JSON (what `JSON.stringify` keeps: no undefined, functions, NaN; dates as ISO strings)
 * with every value under a key matching `SECRET_KEY` replaced by `REDACTED`, at any depth.
 */
export function redactSummary(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_SUMMARY_DEPTH) return '[too deep]';
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === 'function') return redactSummary(json.call(value), depth);
  if (Array.isArray(value)) return value.map((v) => redactSummary(v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const key = cleanText(k);
    const cleaned = SECRET_KEY.test(key) ? REDACTED : redactSummary(v, depth + 1);
    // defineProperty, not assignment: a `__proto__` key stays a plain key instead of replacing the prototype.
    if (cleaned !== undefined) Object.defineProperty(out, key, { value: cleaned, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Checks and cleans one `record()` input: required strings present, outcome known, secrets redacted, limits applied.
 * @throws TarmacError BAD_REQUEST naming the field when actor/action/resource is empty or outcome unknown
 */
export function cleanInput(e: AuditInput): CleanInput {
  for (const field of ['actor', 'action', 'resource'] as const) {
    if (typeof e[field] !== 'string' || e[field].length === 0) throw badRequest(`audit event: ${field} must be a non-empty string`);
  }
  if (!OUTCOMES.includes(e.outcome)) throw badRequest(`audit event: outcome must be one of ${OUTCOMES.join(', ')}, got ${String(e.outcome)}`);
  const redacted = e.summary === undefined || e.summary === null ? {} : redactSummary(e.summary);
  let summary = redacted && typeof redacted === 'object' && !Array.isArray(redacted) ? (redacted as Record<string, unknown>) : { value: redacted };
  const bytes = Buffer.byteLength(JSON.stringify(summary), 'utf8');
  if (bytes > MAX_SUMMARY_BYTES) summary = { truncated: true, bytes };
  return {
    actor: cleanField(e.actor),
    action: cleanField(e.action),
    resource: cleanField(e.resource),
    outcome: e.outcome,
    requestId: e.requestId ? cleanField(e.requestId) : null,
    ip: e.ip ? cleanField(e.ip) : null,
    summary,
  };
}
