/**
 * Config sections beyond the catalog: `auth`, `scaffolder` and `integrations`. Types, JSON Schema and defaults live
 * together here; `config.ts` (the one loader) merges them. See docs/configuration.md.
 */

/** OpenID Connect sign-in (authorization code + PKCE). */
export interface OidcConfig {
  /** Issuer URL; its `/.well-known/openid-configuration` is read at start. */
  issuer: string;
  clientId: string;
  /** Absent for public clients (PKCE only). Never logged. */
  clientSecret?: string;
  /** Default `['openid', 'profile', 'email']`. */
  scopes: string[];
  /**
   * How a signed-in person becomes a catalog User: `email` matches the ID token's `email` claim to a User's
   * `spec.profile.email`; `username` matches `preferred_username` (or `claim`) to a User's `metadata.name`.
   */
  userMatch: 'email' | 'username';
  /** Claim read for `userMatch` (default `email` or `preferred_username`). */
  claim?: string;
  /** Allow accounts whose issuer is plain http (tests with a loopback provider). Default false. */
  allowInsecureIssuer?: boolean;
}

/** A role given to users or groups. Built-in roles: `admin`, `member`, `viewer`. */
export interface RoleAssignment {
  role: 'admin' | 'member' | 'viewer';
  /** Entity refs of Users or Groups (`group:default/platform`, `user:default/jane`); groups apply transitively. */
  members: string[];
}

/**
 * A read rule: which entities a role or group may see. A principal under at least one rule sees only entities that
 * match one of its rules' `allow` conditions (plus the entities it owns); principals under no rule see everything.
 */
export interface ReadRule {
  /** Roles (`role:viewer`) or User/Group refs this rule applies to. */
  subjects: string[];
  /** Entities matching any item are readable. Each item: every given field must match (case-insensitive). */
  allow: Array<{ kind?: string[]; namespace?: string[]; labels?: Record<string, string>; annotations?: Record<string, string> }>;
}

/** Sign-in, sessions, roles, read rules and rate limits (issue "Trust"). */
export interface AuthConfig {
  /** Absent = single-user mode (loopback only, clearly labelled). */
  oidc?: OidcConfig;
  /** Session lifetime in hours (default 12). */
  sessionTtlHours: number;
  /** Role of a signed-in person no assignment names (default `member`). */
  defaultRole: 'admin' | 'member' | 'viewer';
  roles: RoleAssignment[];
  readRules: ReadRule[];
  rateLimits: {
    /** Sign-in attempts per IP per minute (default 20). */
    signInPerMinute: number;
    /** Writes per token or IP per minute (default 600). */
    writesPerMinute: number;
  };
  /** Whether `/metrics` needs no credentials (default true). */
  publicMetrics: boolean;
}

/** Template runs (issue "Golden paths"). */
export interface ScaffolderConfig {
  /** Runs executing at once; more wait in the queue (default 4). */
  maxConcurrentRuns: number;
  /** A run still going after this many seconds is cancelled (default 600). */
  runTimeoutSeconds: number;
  /** Most files one workspace may hold (default 5 000). */
  maxFiles: number;
  /** Most bytes one workspace may hold (default 100 MB). */
  maxTotalBytes: number;
}

/** A Git host Tarmac can publish to (after Backstage's `integrations.github[]` / `integrations.gitlab[]`). */
export interface HostIntegration {
  /** e.g. `github.com`, `gitlab.example.com`. */
  host: string;
  /** API token; never logged. */
  token?: string;
  /** Default `https://api.github.com` / `https://<host>/api/v4`. */
  apiBaseUrl?: string;
}

/** Git hosts for publish actions. */
export interface IntegrationsConfig {
  github: HostIntegration[];
  gitlab: HostIntegration[];
}

const stringList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
const hostList = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['host'],
    properties: { host: { type: 'string', minLength: 1 }, token: { type: 'string' }, apiBaseUrl: { type: 'string' } },
  },
} as const;
const roleEnum = { enum: ['admin', 'member', 'viewer'] } as const;

/** JSON Schema of the sections, merged into the root config schema. */
export const sectionSchemas = {
  baseUrl: { type: 'string', pattern: '^https?://' },
  auth: {
    type: 'object',
    additionalProperties: false,
    properties: {
      oidc: {
        type: 'object',
        additionalProperties: false,
        required: ['issuer', 'clientId'],
        properties: {
          issuer: { type: 'string', pattern: '^https?://' },
          clientId: { type: 'string', minLength: 1 },
          clientSecret: { type: 'string' },
          scopes: stringList,
          userMatch: { enum: ['email', 'username'] },
          claim: { type: 'string', minLength: 1 },
          allowInsecureIssuer: { type: 'boolean' },
        },
      },
      sessionTtlHours: { type: 'number', exclusiveMinimum: 0 },
      defaultRole: roleEnum,
      roles: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['role', 'members'],
          properties: { role: roleEnum, members: stringList },
        },
      },
      readRules: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['subjects', 'allow'],
          properties: {
            subjects: stringList,
            allow: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  kind: stringList,
                  namespace: stringList,
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  annotations: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
            },
          },
        },
      },
      rateLimits: {
        type: 'object',
        additionalProperties: false,
        properties: {
          signInPerMinute: { type: 'integer', minimum: 1 },
          writesPerMinute: { type: 'integer', minimum: 1 },
        },
      },
      publicMetrics: { type: 'boolean' },
    },
  },
  scaffolder: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxConcurrentRuns: { type: 'integer', minimum: 1 },
      runTimeoutSeconds: { type: 'number', exclusiveMinimum: 0 },
      maxFiles: { type: 'integer', minimum: 1 },
      maxTotalBytes: { type: 'integer', minimum: 1 },
    },
  },
  integrations: {
    type: 'object',
    additionalProperties: false,
    properties: { github: hostList, gitlab: hostList },
  },
} as const;

/** Defaults of the sections. */
export function defaultSections(): { auth: AuthConfig; scaffolder: ScaffolderConfig; integrations: IntegrationsConfig } {
  return {
    auth: {
      sessionTtlHours: 12,
      defaultRole: 'member',
      roles: [],
      readRules: [],
      rateLimits: { signInPerMinute: 20, writesPerMinute: 600 },
      publicMetrics: true,
    },
    scaffolder: { maxConcurrentRuns: 4, runTimeoutSeconds: 600, maxFiles: 5000, maxTotalBytes: 100_000_000 },
    integrations: { github: [], gitlab: [] },
  };
}

/** Fills OIDC defaults (scopes, userMatch) on a validated `auth.oidc`. */
export function withOidcDefaults(o: Partial<OidcConfig> & { issuer: string; clientId: string }): OidcConfig {
  return { scopes: ['openid', 'profile', 'email'], userMatch: 'email', ...o };
}
