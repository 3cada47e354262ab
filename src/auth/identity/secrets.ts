import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` random bytes as base64url (32 bytes → 43 characters). */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** `bytes` random bytes as lowercase hex: ids that appear in logs and URLs. */
export function randomId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** SHA-256 of a UTF-8 string, hex. How session secrets, CSRF tokens and API token secrets are stored. */
export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Constant-time comparison of `sha256Hex(given)` with a stored hex hash (no early exit on the first difference). */
export function matchesHash(given: string, storedHex: string): boolean {
  const a = Buffer.from(sha256Hex(given), 'hex');
  const b = Buffer.from(storedHex, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The CSRF token of a session: HMAC-SHA256(session secret, "tarmac-csrf"), base64url. Derived rather than stored so
 * that `/me` can return it from the cookie alone; only its SHA-256 is kept (OWASP "synchronizer token" pattern).
 */
export function csrfTokenFor(sessionSecret: string): string {
  return createHmac('sha256', sessionSecret).update('tarmac-csrf').digest('base64url');
}
