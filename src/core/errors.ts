/**
 * Tarmac's one error type and its closed set of codes (after tRPC's `TRPCError` and Fastify's `FST_ERR_*`).
 * Domain code throws `TarmacError`; the HTTP layer maps `code` to a status in one table (`HTTP_STATUS_BY_CODE`)
 * and writes one body shape: `{ error: { code, message, details? }, requestId }`.
 * Codes are stable API: add new ones, never rename. They are documented in docs/errors.md.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'CONFIG_INVALID',
  'UPSTREAM_FAILED',
  'NOT_READY',
  'INTERNAL',
] as const;

/** One of the closed set of error codes. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** HTTP status for each error code: the only place codes meet HTTP. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CONFIG_INVALID: 500,
  UPSTREAM_FAILED: 502,
  NOT_READY: 503,
  INTERNAL: 500,
};

/** Backstage error names per code, so Backstage clients (`@backstage/errors`) recognise the body's `error.name`. */
export const BACKSTAGE_NAME_BY_CODE: Readonly<Record<ErrorCode, string>> = {
  BAD_REQUEST: 'InputError',
  VALIDATION_FAILED: 'InputError',
  UNAUTHENTICATED: 'AuthenticationError',
  FORBIDDEN: 'NotAllowedError',
  NOT_FOUND: 'NotFoundError',
  CONFLICT: 'ConflictError',
  PAYLOAD_TOO_LARGE: 'InputError',
  RATE_LIMITED: 'ServiceUnavailableError',
  CONFIG_INVALID: 'Error',
  UPSTREAM_FAILED: 'Error',
  NOT_READY: 'ServiceUnavailableError',
  INTERNAL: 'Error',
};

/**
 * The error thrown by Tarmac code.
 * @param code one of `ERROR_CODES`
 * @param message a sentence for people; never contains secrets
 * @param details optional machine-readable context (e.g. `{ path: 'metadata.name' }` or a list of issues)
 */
export class TarmacError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TarmacError';
    this.code = code;
    this.details = options.details;
  }
}

/** True when `err` is a `TarmacError` (optionally with the given code). */
export function isTarmacError(err: unknown, code?: ErrorCode): err is TarmacError {
  return err instanceof TarmacError && (code === undefined || err.code === code);
}

/** A NOT_FOUND error (404) to throw. */
export const notFound = (message: string, details?: unknown): TarmacError =>
  new TarmacError('NOT_FOUND', message, { details });
/** A BAD_REQUEST error (400) to throw. */
export const badRequest = (message: string, details?: unknown): TarmacError =>
  new TarmacError('BAD_REQUEST', message, { details });
/** A CONFLICT error (409) to throw. */
export const conflict = (message: string, details?: unknown): TarmacError =>
  new TarmacError('CONFLICT', message, { details });

/** A message for any thrown value, for logs and error records. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
