import pino from 'pino';

/**
 * The logger every module receives (never a global): structured JSON lines via pino.
 * `child({ module: 'catalog' })` per module, `child({ reqId })` per request.
 * Keys that look secret (`password`, `token`, `authorization`, `secret`, `cookie`) are redacted.
 */
export interface Logger {
  debug(msg: string, meta?: Record<string, unknown>): void;
  info(msg: string, meta?: Record<string, unknown>): void;
  warn(msg: string, meta?: Record<string, unknown>): void;
  error(msg: string, meta?: Record<string, unknown>): void;
  child(meta: Record<string, unknown>): Logger;
  /** The underlying pino instance, for Fastify's request logging. */
  readonly pino: pino.Logger;
}

/** Log levels accepted in config and TARMAC_LOG_LEVEL. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const REDACT = [
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.databaseUrl',
];

function wrap(p: pino.Logger): Logger {
  return {
    debug: (msg, meta) => p.debug(meta ?? {}, msg),
    info: (msg, meta) => p.info(meta ?? {}, msg),
    warn: (msg, meta) => p.warn(meta ?? {}, msg),
    error: (msg, meta) => p.error(meta ?? {}, msg),
    child: (meta) => wrap(p.child(meta)),
    pino: p,
  };
}

/**
 * Creates the root logger.
 * @param level minimum level; `silent` disables output (tests)
 * @param destination optional stream (default stdout)
 */
export function createLogger(level: LogLevel = 'info', destination?: pino.DestinationStream): Logger {
  const p = pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'tarmac' } }, destination);
  return wrap(p);
}

/** A logger that prints nothing, for tests and CLI commands that own the terminal. */
export function silentLogger(): Logger {
  return createLogger('silent');
}

// Query parameters that carry one-time credentials (the OIDC callback's `code` and `state`, OAuth-style tokens).
const SECRET_QUERY_PARAMS = /([?&](?:code|state|token|access_token|id_token|session_state)=)[^&#]*/gi;

/**
 * A URL or connection string fit to show or log: `user:password@` becomes `[redacted]@` and credential-bearing query
 * values (`code`, `state`, `token`, `access_token`, `id_token`, `session_state`) become `***`.
 */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^@/]+)@/, '//[redacted]@').replace(SECRET_QUERY_PARAMS, '$1***');
}
