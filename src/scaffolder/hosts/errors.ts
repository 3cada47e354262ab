/**
 * Turns what Git host APIs and git itself throw into `TarmacError`s whose messages are safe to show and store:
 * the token and any credentials in URLs are removed, and the host's own reason is kept.
 */
import { TarmacError, errorMessage, isTarmacError } from '../../core/errors.js';

/** Removes `secret` (when given) and `user:pass@` credentials from `text`. */
export function scrub(text: string, secret?: string): string {
  let out = text;
  if (secret) out = out.split(secret).join('[redacted]');
  return out.replace(/([a-z][a-z0-9+.-]*:\/\/)[^@/\s'"]+@/gi, '$1[redacted]@');
}

/** HTTP status and body of a failed host API call (Octokit `RequestError`, Gitbeaker `GitbeakerRequestError`). */
function statusAndBody(err: unknown): { status?: number; body?: unknown } {
  if (!err || typeof err !== 'object') return {};
  const e = err as { status?: unknown; response?: { data?: unknown }; cause?: { response?: { status?: unknown }; description?: unknown } };
  if (typeof e.status === 'number') return { status: e.status, body: e.response?.data };
  if (e.cause && typeof e.cause.response?.status === 'number') return { status: e.cause.response.status, body: e.cause.description };
  return {};
}

/** The host's reason, flattened: GitHub `{ message, errors: [{ message }] }`, GitLab `{ message: { name: [..] } }`. */
function reasonOf(body: unknown, fallback: string): string {
  if (typeof body === 'string' && body) {
    // Gitbeaker hands over GitLab's `message` field JSON-encoded when it is an object of field errors.
    if (!body.startsWith('{')) return body;
    try {
      return reasonOf({ message: JSON.parse(body) as unknown }, body);
    } catch {
      return body;
    }
  }
  if (!body || typeof body !== 'object') return fallback;
  const b = body as { message?: unknown; errors?: Array<{ message?: unknown; code?: unknown }> };
  const parts: string[] = [];
  if (typeof b.message === 'string') parts.push(b.message);
  else if (b.message && typeof b.message === 'object') {
    for (const [k, v] of Object.entries(b.message)) parts.push(`${k} ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  }
  for (const item of b.errors ?? []) if (typeof item.message === 'string') parts.push(item.message);
  return parts.length ? parts.join(': ') : fallback;
}

/**
 * Wraps a failed host API call.
 * - GitHub 422 / GitLab 400 whose reason says the name is taken → CONFLICT
 * - 404 → NOT_FOUND; anything else (401, 403, 5xx, network) → UPSTREAM_FAILED
 * @param what what was being done, e.g. `creating repository github.com/o/r`
 * @param token removed from the message should the host echo it
 */
export function hostError(err: unknown, what: string, token: string): TarmacError {
  if (isTarmacError(err)) return err;
  const { status, body } = statusAndBody(err);
  const reason = scrub(reasonOf(body, errorMessage(err)), token);
  const exists = /already (exists|been taken)/i.test(reason);
  if (exists && (status === 422 || status === 400 || status === 409)) {
    return new TarmacError('CONFLICT', `${what}: it already exists (host said: ${reason})`);
  }
  if (status === 404) return new TarmacError('NOT_FOUND', `${what}: not found on the host, or the token cannot see it (${reason})`);
  const code = status ? `HTTP ${status}` : 'no response';
  const hint = status === 401 || status === 403 ? ' — check the integration token and its permissions' : '';
  return new TarmacError('UPSTREAM_FAILED', `${what} failed (${code}): ${reason}${hint}`);
}
