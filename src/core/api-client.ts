import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERROR_CODES, TarmacError, type ErrorCode } from './errors.js';

/**
 * The one HTTP client the CLI uses to talk to a Tarmac server: base URL, bearer token, JSON in and out, and every
 * failure turned into a `TarmacError` whose message is ready to print after `tarmac: `.
 */

/** Default timeout of one API request, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** Where the CLI talks to when neither `--url` nor `TARMAC_URL` is given. */
export const DEFAULT_URL = 'http://localhost:7007';

/** Query values; arrays repeat the key (`filter=a&filter=b`), undefined values are left out. */
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

/** The error body routes send: `{ error: { code, message, details? } }`. */
export interface ErrorBodyLike {
  error?: { code?: string; message?: string; details?: unknown };
}

/**
 * A small JSON client for `<baseUrl><path>`. Failures:
 * - an error body `{ error: { code, message } }` → `<message> (<code>)`, with the same code when it is known
 *   (401 adds how to sign in: `tarmac login` or `TARMAC_TOKEN`);
 * - connection refused / unknown host → NOT_READY `cannot reach Tarmac at <url> — is it running? (`npm start`)`;
 * - no answer within `timeoutMs` → UPSTREAM_FAILED.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly token: string | undefined;

  /**
   * @param baseUrl e.g. `http://localhost:7007` (a trailing slash is dropped)
   * @param opts.token bearer token sent as `Authorization: Bearer <token>`; none when undefined
   * @param opts.timeoutMs default per-request timeout (default 30 000)
   */
  constructor(baseUrl: string, opts: { token?: string; timeoutMs?: number } = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.token = opts.token;
  }

  /**
   * One request. Statuses in `accept` (besides 2xx) are returned instead of thrown.
   * @param pathAndPrefix absolute path on the server, e.g. `/api/auth/me`
   * @returns status and parsed JSON body (undefined when empty or not JSON)
   */
  async request<T>(
    method: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH',
    pathAndPrefix: string,
    opts: { query?: Query; body?: unknown; accept?: number[]; timeoutMs?: number } = {},
  ): Promise<{ status: number; body: T }> {
    const url = this.urlFor(pathAndPrefix, opts.query);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw connectionError(this.baseUrl, timeoutMs, err);
    }
    const { body, text } = await readBody(res);
    if (res.ok || opts.accept?.includes(res.status)) return { status: res.status, body: body as T };
    throw errorFromBody(res.status, body, text);
  }

  /** `<baseUrl><path>?<query>`; arrays repeat the key, undefined values are left out. */
  private urlFor(pathAndPrefix: string, query: Query = {}): URL {
    const url = new URL(`${this.baseUrl}${pathAndPrefix}`);
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, String(item));
    }
    return url;
  }

  /**
   * A GET whose body is read as it arrives (server-sent events, JSON Lines). Only the wait for the response head is
   * bounded (`headTimeoutMs`, default the client's timeout); the body then streams for as long as it needs.
   * @param opts.accept the `accept` header, e.g. `text/event-stream`
   * @returns the 2xx response, its `body` a web ReadableStream
   * @throws TarmacError as `request` does (unreachable, no head in time, the server's error body)
   */
  async stream(
    pathAndPrefix: string,
    opts: { query?: Query; accept?: string; headTimeoutMs?: number } = {},
  ): Promise<Response & { body: ReadableStream<Uint8Array> }> {
    const url = this.urlFor(pathAndPrefix, opts.query);
    const headTimeoutMs = opts.headTimeoutMs ?? this.timeoutMs;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new DOMException('timeout', 'TimeoutError')), headTimeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { ...(opts.accept ? { accept: opts.accept } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        signal: abort.signal,
      });
    } catch (err) {
      throw connectionError(this.baseUrl, headTimeoutMs, err);
    } finally {
      clearTimeout(timer);
    }
    if (res.ok && res.body) return res as Response & { body: ReadableStream<Uint8Array> };
    const { body, text } = await readBody(res);
    throw errorFromBody(res.status, body, text);
  }
}

/** A response's text and its JSON (undefined when empty or not JSON). */
async function readBody(res: Response): Promise<{ body: unknown; text: string }> {
  const text = await res.text();
  try {
    return { body: text ? JSON.parse(text) : undefined, text };
  } catch {
    return { body: undefined, text };
  }
}

/** The error for a request that got no answer: timeout → UPSTREAM_FAILED, anything else → NOT_READY. */
export function connectionError(baseUrl: string, timeoutMs: number, err: unknown): TarmacError {
  const e = err as { name?: string };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') {
    return new TarmacError('UPSTREAM_FAILED', `Tarmac at ${baseUrl} did not answer within ${timeoutMs / 1000} s`);
  }
  return new TarmacError('NOT_READY', `cannot reach Tarmac at ${baseUrl} — is it running? (\`npm start\`)`, { cause: err });
}

/** The error for a non-2xx answer: the body's code and message when it has them, else the status and a snippet. */
export function errorFromBody(status: number, body: unknown, text: string): TarmacError {
  const err = (body as ErrorBodyLike | undefined)?.error;
  const known = (ERROR_CODES as readonly string[]).includes(err?.code ?? '') ? (err?.code as ErrorCode) : undefined;
  const code: ErrorCode = known ?? (status === 404 ? 'NOT_FOUND' : status < 500 ? 'BAD_REQUEST' : 'UPSTREAM_FAILED');
  const snippet = text.trim().slice(0, 200);
  let message = err?.message ? `${err.message} (${err.code ?? `HTTP ${status}`})` : `server answered HTTP ${status}${snippet ? `: ${snippet}` : ''}`;
  if (code === 'UNAUTHENTICATED') message += ' — run `tarmac login` or set TARMAC_TOKEN';
  return new TarmacError(code, message, { details: err?.details });
}

/** `credentials.json`: API tokens saved by `tarmac login`, keyed by server URL (`normalizeServerUrl`). */
export interface CredentialsFile {
  servers: Record<string, { token: string; savedAt: string }>;
}

/** `$XDG_CONFIG_HOME/tarmac/credentials.json`, else `~/.config/tarmac/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME ?? os.homedir(), '.config');
  return path.join(base, 'tarmac', 'credentials.json');
}

/** The key a server is saved under: origin plus path, no trailing slash (`http://localhost:7007`). */
export function normalizeServerUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname.replace(/\/+$/, '')}`;
}

/** The saved credentials (empty when there is no file). @throws TarmacError CONFIG_INVALID when it is not valid JSON */
export function readCredentials(env: NodeJS.ProcessEnv = process.env): CredentialsFile {
  const file = credentialsPath(env);
  if (!existsSync(file)) return { servers: {} };
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CredentialsFile>;
    return { servers: parsed.servers && typeof parsed.servers === 'object' ? parsed.servers : {} };
  } catch (err) {
    throw new TarmacError('CONFIG_INVALID', `${file} is not valid JSON; delete it and run \`tarmac login\` again`, { cause: err });
  }
}

/**
 * Saves (token) or removes (undefined) the token of one server. The file is written to a temp file with mode 0600
 * and renamed into place, so it is never readable by others, even briefly.
 */
export function writeCredential(url: string, token: string | undefined, env: NodeJS.ProcessEnv = process.env): void {
  const file = credentialsPath(env);
  const creds = readCredentials(env);
  const key = normalizeServerUrl(url);
  if (token === undefined) delete creds.servers[key];
  else creds.servers[key] = { token, savedAt: new Date().toISOString() };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/** The token for a server: `TARMAC_TOKEN` when set, else the one `tarmac login` saved for that URL, else none. */
export function tokenFor(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TARMAC_TOKEN) return env.TARMAC_TOKEN;
  try {
    return readCredentials(env).servers[normalizeServerUrl(url)]?.token;
  } catch {
    return undefined;
  }
}

/** An `ApiClient` for `url` (default `TARMAC_URL`, else http://localhost:7007) with the token `tokenFor` finds. */
export function apiClientFor(url?: string, opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): ApiClient {
  const env = opts.env ?? process.env;
  const base = url ?? env.TARMAC_URL ?? DEFAULT_URL;
  return new ApiClient(base, { token: tokenFor(base, env), timeoutMs: opts.timeoutMs });
}
