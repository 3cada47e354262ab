/**
 * The auth context every module sees: who is calling (`Principal`), the one authorization function
 * (`Authorizer.authorize(who, action, resource)`), and where changes are recorded (`AuditRecorder`).
 * Core holds only these contracts; the `auth` and `audit` modules implement them and the app hands them to every
 * module through `ModuleDeps`, so no module reaches another's internals.
 */

/** Who is making a request. Resolved once per request by the auth module. */
export interface Principal {
  /**
   * `user`: a person signed in through OIDC; `token`: an API token; `local`: single-user mode (no provider
   * configured, loopback only); `anonymous`: no or invalid credentials.
   */
  type: 'user' | 'token' | 'local' | 'anonymous';
  /** Stable actor id for the audit log: `user:default/jane`, `token:<id>`, `local`, `anonymous`. */
  actor: string;
  /** The catalog User entity ref (lowercase), when the principal is or acts for a person. */
  userRef?: string;
  displayName?: string;
  /** Refs the principal owns through: its User ref and every Group it belongs to, transitively (lowercase). */
  ownershipRefs: readonly string[];
  /** Roles from config/API assignments: `admin`, `member`, `viewer`. */
  roles: readonly string[];
  /** Token principals: the token's id. */
  tokenId?: string;
  /** Token principals: action patterns the token may use (`catalog.entity.read`, `template.*`). */
  scopes?: readonly string[];
  /** Token principals: when set, the token may act only on entities owned by these refs. */
  ownedOnly?: boolean;
  /** Session principals: the session id (never its secret). */
  sessionId?: string;
}

/** The anonymous principal: no roles, owns nothing. */
export const ANONYMOUS: Principal = Object.freeze({ type: 'anonymous', actor: 'anonymous', ownershipRefs: [], roles: [] });

/** The minimal entity shape permission rules read (structurally a catalog `Entity`). */
export interface EntityLike {
  apiVersion?: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  relations?: ReadonlyArray<{ type: string; targetRef: string }>;
}

/** What an action is done to. */
export interface ResourceRef {
  /** `entity`, `location`, `template`, `task`, `token`, `role`, `audit`. */
  type: string;
  /** Entity ref, location id, task id, token id… (for the audit log and error messages). */
  id?: string;
  /** The entity acted on (for `entity` and `template`): ownership and read rules look at it. */
  entity?: EntityLike;
  /** Refs that own a non-entity resource (a token's creator, a task's runner). */
  ownerRefs?: readonly string[];
}

/** An authorization decision and why, e.g. `{ allow: false, reason: 'not an owner of component:default/x' }`. */
export interface Decision {
  allow: boolean;
  reason: string;
}

/**
 * A condition on catalog entities, the portable form of a read restriction (mirrors the catalog's filter:
 * paths are lowercase dot paths, values lowercase; matching is case-insensitive and descends through arrays).
 */
export type EntityCondition =
  | { all: EntityCondition[] }
  | { any: EntityCondition[] }
  | { not: EntityCondition }
  | { path: string; values: string[] }
  | { exists: string }
  /** The entity has an outgoing relation of `type` (lowercase, e.g. `ownedby`) to one of `targets`. */
  | { relation: string; targets: string[] };

/** The one authorization function and the read filter derived from the same rules. */
export interface Authorizer {
  /**
   * Decides whether `who` may do `action` to `resource`. Without a resource it answers "could `who` do this to
   * anything" (route-level check); handlers then check the concrete resource. Pure and synchronous: ≤ µs per call.
   */
  authorize(who: Principal, action: string, resource?: ResourceRef): Decision;
  /** Which entities `who` may read: `null` for all, else a condition every returned entity must match. */
  entityReadCondition(who: Principal): EntityCondition | null;
}

/** An authorizer that allows everything (single-user tools, tests of other modules). */
export const ALLOW_ALL: Authorizer = Object.freeze({
  authorize: () => ({ allow: true, reason: 'allow-all' }),
  entityReadCondition: () => null,
});

/** One change to record in the audit log. Never put secrets in `summary`. */
export interface AuditInput {
  /** `Principal.actor`. */
  actor: string;
  /** A named action, e.g. `catalog.location.create`, `auth.signin`, `template.run`. */
  action: string;
  /** What was acted on, e.g. `location:3f2…`, `component:default/x`, `token:ab12`. */
  resource: string;
  outcome: 'success' | 'failure' | 'denied';
  requestId?: string;
  /** Source IP address. */
  ip?: string;
  /** What changed, small and secret-free (ids, counts, names). */
  summary?: Record<string, unknown>;
}

/** Appends audit events. `record` resolves once the event is durably stored. */
export interface AuditRecorder {
  record(event: AuditInput): Promise<void>;
}

/** A recorder that keeps nothing (tests of other modules). */
export const NO_AUDIT: AuditRecorder = Object.freeze({ record: async () => undefined });

/** How a route is protected: public (listed in docs/auth.md), or needing a named action. */
export type RouteAuth = { public: true } | { action: string };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook before any handler runs. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Every route declares this; the server refuses routes without it. */
    auth?: RouteAuth;
    /**
     * `basic`: a 401 from this route carries `WWW-Authenticate: Basic` so non-browser clients (git) send their
     * credentials — an API token as the password. Never on routes the portal calls (browsers would pop a dialog).
     */
    authChallenge?: 'basic';
    /**
     * `sign-in`: requests are rate-limited per IP as sign-in attempts (`auth.rateLimits.signInPerMinute`, per
     * minute) instead of as writes. Set by the auth module on its sign-in routes (`/api/auth/login`, `/callback`).
     * Not named `rateLimit`: that key is @fastify/rate-limit's own per-route options (it throws on other values).
     */
    rateLimitAs?: 'sign-in';
  }
}
