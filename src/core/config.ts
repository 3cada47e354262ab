import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { TarmacError } from './errors.js';
import type { LogLevel } from './logger.js';
import {
  defaultSections,
  sectionSchemas,
  withOidcDefaults,
  type AuthConfig,
  type IntegrationsConfig,
  type ScaffolderConfig,
} from './config-sections.js';

export type * from './config-sections.js';

/** A catalog location as written in config or passed with `--location`. */
export interface LocationConfig {
  /** `file` (path or glob), `url` (http/https) or `git` (repository URL or local path). */
  type: 'file' | 'url' | 'git';
  /** Path, glob, URL or repository. Relative file paths resolve against the config file's folder (or cwd). */
  target: string;
  /** git only: branch to check out (default: the remote's default branch). */
  branch?: string;
  /** git only: glob of catalog files inside the repository (default `**\/catalog-info.yaml`). */
  path?: string;
}

/** Rules for reading `url` locations and `$text`/`$json`/`$yaml` URLs. */
export interface ReadingConfig {
  /** Hosts that may be fetched: exact (`example.com`), wildcard (`*.example.com`), optionally with `:port`. */
  allow: string[];
  /** Maximum bytes of one file or response (default 5 MB). */
  maxBytes: number;
  /** Timeout of one fetch in ms (default 10 000). */
  timeoutMs: number;
  /** Maximum redirects followed (default 5). */
  maxRedirects: number;
}

/** Tarmac's validated configuration. Every field has a default; see docs/configuration.md. */
export interface TarmacConfig {
  /** HTTP port (default 7007). */
  port: number;
  /** Interface to listen on (default 127.0.0.1). */
  host: string;
  /** PostgreSQL server URL; when absent Tarmac runs on embedded PGlite in `<dataDir>/pgdata`. */
  databaseUrl?: string;
  /** Folder for Tarmac's own files (default `.tarmac`, git-ignored). */
  dataDir: string;
  /** Minimum log level (default info). */
  logLevel: LogLevel;
  /**
   * The URL people and tools reach Tarmac at (OIDC redirects, `git clone` URLs). Default
   * `http://<host>:<port>` (with `localhost` for 127.0.0.1), filled in at start when the port is known.
   */
  baseUrl?: string;
  auth: AuthConfig;
  scaffolder: ScaffolderConfig;
  integrations: IntegrationsConfig;
  catalog: {
    /** Locations ingested at start and on every refresh. */
    locations: LocationConfig[];
    /** Load the bundled demo catalog (`examples/all.yaml`) when no location is configured (default true). */
    demo: boolean;
    /** Seconds between refreshes of every location (default 100; 0 disables the loop). */
    refreshIntervalSeconds: number;
    reading: ReadingConfig;
  };
}

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    host: { type: 'string', minLength: 1 },
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    dataDir: { type: 'string', minLength: 1 },
    logLevel: { enum: ['debug', 'info', 'warn', 'error', 'silent'] },
    ...sectionSchemas,
    catalog: {
      type: 'object',
      additionalProperties: false,
      properties: {
        locations: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['type', 'target'],
            properties: {
              type: { enum: ['file', 'url', 'git'] },
              target: { type: 'string', minLength: 1 },
              branch: { type: 'string', minLength: 1 },
              path: { type: 'string', minLength: 1 },
            },
          },
        },
        demo: { type: 'boolean' },
        refreshIntervalSeconds: { type: 'number', minimum: 0 },
        reading: {
          type: 'object',
          additionalProperties: false,
          properties: {
            allow: { type: 'array', items: { type: 'string', minLength: 1 } },
            maxBytes: { type: 'integer', minimum: 1 },
            timeoutMs: { type: 'integer', minimum: 1 },
            maxRedirects: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
  },
} as const;

const ajv = new Ajv({ allErrors: true, coerceTypes: true });
const validate = ajv.compile(schema);

/** Defaults for every setting. */
export function defaultConfig(): TarmacConfig {
  return {
    port: 7007,
    host: '127.0.0.1',
    dataDir: '.tarmac',
    logLevel: 'info',
    ...defaultSections(),
    catalog: {
      locations: [],
      demo: true,
      refreshIntervalSeconds: 100,
      reading: { allow: [], maxBytes: 5_000_000, timeoutMs: 10_000, maxRedirects: 5 },
    },
  };
}

/**
 * Replaces `${NAME}` in every string with the environment variable NAME (`$${NAME}` keeps it literal).
 * @throws TarmacError CONFIG_INVALID naming the key when the variable is not set
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, keyPath = ''): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name: string) => {
      if (match.startsWith('$$')) return match.slice(1);
      const v = env[name];
      if (v === undefined) {
        throw new TarmacError('CONFIG_INVALID', `config key "${keyPath}": environment variable ${name} is not set`);
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, `${keyPath}[${i}]`));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, keyPath ? `${keyPath}.${k}` : k)]),
    );
  }
  return value;
}

/** Command-line values that override the file (`tarmac start` flags). */
export interface ConfigOverrides {
  port?: number;
  host?: string;
  dataDir?: string;
  databaseUrl?: string;
  locations?: LocationConfig[];
  logLevel?: LogLevel;
  refreshIntervalSeconds?: number;
}

/**
 * Loads configuration: defaults ← `tarmac.yaml` (or `configPath`) ← environment (`TARMAC_DATABASE_URL`,
 * `TARMAC_PORT`, `TARMAC_LOG_LEVEL`) ← CLI overrides. A missing default file is fine; a missing explicit one is not.
 * @throws TarmacError CONFIG_INVALID with every bad key named, e.g. `config key "catalog.reading.maxBytes": must be integer`
 */
export function loadConfig(
  opts: { configPath?: string; cwd?: string; env?: NodeJS.ProcessEnv; overrides?: ConfigOverrides } = {},
): TarmacConfig {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const file = path.resolve(cwd, opts.configPath ?? 'tarmac.yaml');
  let raw: unknown = {};
  if (existsSync(file)) {
    try {
      raw = parseYaml(readFileSync(file, 'utf8')) ?? {};
    } catch (err) {
      throw new TarmacError('CONFIG_INVALID', `${file}: not valid YAML: ${String(err)}`);
    }
  } else if (opts.configPath) {
    throw new TarmacError('CONFIG_INVALID', `config file ${file} does not exist`);
  }
  raw = substituteEnv(raw, env);
  if (!validate(raw)) {
    const issues = (validate.errors ?? []).map((e) => {
      const key = e.instancePath.replace(/^\//, '').replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.');
      const extra = e.keyword === 'additionalProperties' ? ` "${String(e.params.additionalProperty)}"` : '';
      return `config key "${key || '(root)'}": ${e.message ?? 'invalid'}${extra}`;
    });
    throw new TarmacError('CONFIG_INVALID', `${file}: ${issues.join('; ')}`, { details: issues });
  }
  const fromFile = raw as Partial<TarmacConfig> & {
    catalog?: Partial<TarmacConfig['catalog']>;
    auth?: Partial<AuthConfig>;
    scaffolder?: Partial<ScaffolderConfig>;
    integrations?: Partial<IntegrationsConfig>;
  };
  const base = defaultConfig();
  const baseDir = existsSync(file) ? path.dirname(file) : cwd;
  const config: TarmacConfig = {
    ...base,
    ...fromFile,
    catalog: {
      ...base.catalog,
      ...fromFile.catalog,
      reading: { ...base.catalog.reading, ...fromFile.catalog?.reading },
      locations: (fromFile.catalog?.locations ?? []).map((l) => resolveLocation(l, baseDir)),
    },
    auth: {
      ...base.auth,
      ...fromFile.auth,
      rateLimits: { ...base.auth.rateLimits, ...fromFile.auth?.rateLimits },
      oidc: fromFile.auth?.oidc ? withOidcDefaults(fromFile.auth.oidc) : undefined,
    },
    scaffolder: { ...base.scaffolder, ...fromFile.scaffolder },
    integrations: { ...base.integrations, ...fromFile.integrations },
  };
  if (env.TARMAC_DATABASE_URL) config.databaseUrl = env.TARMAC_DATABASE_URL;
  if (env.TARMAC_PORT) config.port = Number(env.TARMAC_PORT);
  if (env.TARMAC_LOG_LEVEL) config.logLevel = env.TARMAC_LOG_LEVEL as LogLevel;
  const o = opts.overrides ?? {};
  if (o.port !== undefined) config.port = o.port;
  if (o.host !== undefined) config.host = o.host;
  if (o.dataDir !== undefined) config.dataDir = o.dataDir;
  if (o.databaseUrl !== undefined) config.databaseUrl = o.databaseUrl;
  if (o.logLevel !== undefined) config.logLevel = o.logLevel;
  if (o.refreshIntervalSeconds !== undefined) config.catalog.refreshIntervalSeconds = o.refreshIntervalSeconds;
  if (o.locations?.length) config.catalog.locations.push(...o.locations.map((l) => resolveLocation(l, cwd)));
  config.dataDir = path.resolve(cwd, config.dataDir);
  return config;
}

/** Makes a relative `file` (or local `git`) target absolute against `baseDir`. */
function resolveLocation(l: LocationConfig, baseDir: string): LocationConfig {
  if (l.type === 'file' && !path.isAbsolute(l.target)) return { ...l, target: path.resolve(baseDir, l.target) };
  if (l.type === 'git' && /^\.{1,2}\//.test(l.target)) return { ...l, target: path.resolve(baseDir, l.target) };
  return l;
}

/**
 * The location a bare target means (`tarmac start --location`, `tarmac catalog import`): `type` when given, else
 * `git+…` or `….git` → git, `http(s)://` → url, anything else → file. File paths and local git repositories are
 * made absolute against `cwd`.
 */
export function inferLocation(target: string, cwd: string, type?: LocationConfig['type']): LocationConfig {
  let t = target;
  let kind = type;
  if (!kind) {
    if (/^git\+/.test(t)) [kind, t] = ['git', t.slice(4)];
    else if (/\.git\/?$/.test(t)) kind = 'git';
    else if (/^https?:\/\//.test(t)) kind = 'url';
    else kind = 'file';
  }
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(t) || /^[^/\s]+@[^/\s:]+:/.test(t);
  if (kind === 'file' || (kind === 'git' && !remote)) t = path.resolve(cwd, t);
  return { type: kind, target: t };
}
