import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import type { ReadingConfig } from '../../../core/config.js';
import { isTarmacError } from '../../../core/errors.js';
import { redactUrl } from '../../../core/logger.js';
import { checkHost, parseAllowList, type CheckedAddress } from './host-policy.js';
import { bytes, readError, type Reader, type ReadResult } from './types.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Parses an absolute http(s) URL.
 * @throws TarmacError BAD_REQUEST for anything else (relative, `ftp:`, `file:` …)
 */
export function parseHttpUrl(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw readError('BAD_REQUEST', `"${target}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw readError('BAD_REQUEST', `${redactUrl(target)}: only http and https URLs can be read`);
  }
  return url;
}

/** A `lookup` for net/tls that always answers with the address already checked (no second DNS query). */
function pinnedLookup(addr: CheckedAddress): LookupFunction {
  return (_host, options, callback) => {
    if (options.all) {
      const all: LookupAddress[] = [{ address: addr.address, family: addr.family }];
      (callback as (err: null, addresses: LookupAddress[]) => void)(null, all);
    } else {
      callback(null, addr.address, addr.family);
    }
  };
}

/**
 * Creates the `url` reader: HTTP(S) GET through undici with the rules of `catalog.reading`:
 * - the host must match `allow` (see host-policy.ts); DNS is resolved once, the address checked against the
 *   denied ranges, and the connection made to that very address (no DNS-rebinding gap);
 * - `timeoutMs` bounds the whole read (all redirects and the body);
 * - at most `maxRedirects` redirects, each target re-checked like the first URL;
 * - a body over `maxBytes` is refused from `content-length` or aborted while streaming;
 * - a non-2xx status fails with the status (404 → NOT_FOUND, others UPSTREAM_FAILED).
 * Errors are `TarmacError`s as listed in readers/types.ts; URLs in messages have credentials removed.
 */
export function createUrlReader(reading: ReadingConfig): Reader {
  const entries = parseAllowList(reading.allow);
  return {
    async read(target: string): Promise<ReadResult> {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), reading.timeoutMs);
      try {
        return await fetchFollowing(parseHttpUrl(target), controller.signal);
      } catch (err) {
        if (controller.signal.aborted && !isTarmacError(err)) {
          throw readError('UPSTREAM_FAILED', `GET ${redactUrl(target)} timed out after ${reading.timeoutMs} ms`, err);
        }
        throw err;
      } finally {
        clearTimeout(timer);
      }
    },
  };

  async function fetchFollowing(first: URL, signal: AbortSignal): Promise<ReadResult> {
    let url = first;
    for (let redirects = 0; ; redirects++) {
      const shown = redactUrl(url.href);
      const addr = await checkHost(url, entries);
      const agent = new Agent({
        connect: { lookup: pinnedLookup(addr), timeout: reading.timeoutMs },
        headersTimeout: reading.timeoutMs,
        bodyTimeout: reading.timeoutMs,
      });
      try {
        let res: Awaited<ReturnType<typeof request>>;
        try {
          res = await request(url, {
            method: 'GET',
            dispatcher: agent,
            signal,
            headers: { accept: '*/*', 'user-agent': 'tarmac-catalog' },
          });
        } catch (err) {
          if (signal.aborted) throw err;
          const cause = (err as { cause?: unknown }).cause;
          const detail = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
          throw readError('UPSTREAM_FAILED', `GET ${shown} failed: ${detail}`, err);
        }
        if (REDIRECTS.has(res.statusCode)) {
          await res.body.dump();
          const location = res.headers.location;
          if (typeof location !== 'string') {
            throw readError('UPSTREAM_FAILED', `GET ${shown} returned HTTP ${res.statusCode} without a Location`);
          }
          if (redirects >= reading.maxRedirects) {
            throw readError(
              'UPSTREAM_FAILED',
              `GET ${redactUrl(first.href)}: more than ${reading.maxRedirects} redirects (catalog.reading.maxRedirects)`,
            );
          }
          url = parseHttpUrl(new URL(location, url).href);
          continue;
        }
        if (res.statusCode < 200 || res.statusCode > 299) {
          await res.body.dump().catch(() => undefined);
          throw readError(
            res.statusCode === 404 ? 'NOT_FOUND' : 'UPSTREAM_FAILED',
            `GET ${shown} returned HTTP ${res.statusCode}`,
          );
        }
        const text = await readBody(res.body, Number(res.headers['content-length'] ?? NaN), shown);
        return { text, target: url.href };
      } finally {
        agent.destroy().catch(() => undefined);
      }
    }
  }

  async function readBody(body: Readable, length: number, shown: string) {
    const tooLarge = () =>
      readError(
        'PAYLOAD_TOO_LARGE',
        `response from ${shown} is larger than ${bytes(reading.maxBytes)} (catalog.reading.maxBytes)`,
      );
    const cut = () => {
      body.on('error', () => undefined); // destroying emits an AbortError nobody else listens to
      body.destroy();
    };
    if (Number.isFinite(length) && length > reading.maxBytes) {
      cut();
      throw tooLarge();
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > reading.maxBytes) {
        cut();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  }
}
