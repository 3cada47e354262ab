import { TarmacError, type ErrorCode } from '../../../core/errors.js';

/**
 * The common shape of Tarmac's readers (file, url, git). A reader turns a target (absolute path, URL, or path
 * inside a checkout) into text, or throws a `TarmacError` whose message says exactly why it could not:
 * - `NOT_FOUND`: no such file / HTTP 404;
 * - `FORBIDDEN`: host not in `catalog.reading.allow`, a denied address (loopback, private, link-local), a path
 *   leaving a git checkout;
 * - `PAYLOAD_TOO_LARGE`: more than `catalog.reading.maxBytes`;
 * - `UPSTREAM_FAILED`: timeout, too many redirects, non-2xx status, network or git failure;
 * - `BAD_REQUEST`: a target that is not a valid path/URL for this reader.
 * Ingestion records every one of them as an `IngestError` with code `fetch` (or `placeholder` inside `$text`).
 */
export interface ReadResult {
  /** The content, decoded as UTF-8. */
  text: string;
  /** What was finally read: the absolute path, or the URL after redirects. */
  target: string;
}

/** Reads one target. See `ReadResult` for the errors thrown. */
export interface Reader {
  read(target: string): Promise<ReadResult>;
}

/** Shorthand for a reader failure with a stable code and a precise message. */
export function readError(code: ErrorCode, message: string, cause?: unknown): TarmacError {
  return new TarmacError(code, message, cause === undefined ? {} : { cause });
}

/** Formats a byte count for messages: `5000000 bytes`. */
export function bytes(n: number): string {
  return `${n} bytes`;
}
