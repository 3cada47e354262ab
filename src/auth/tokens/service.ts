import type { Principal } from '../../core/auth.js';
import { TarmacError, badRequest } from '../../core/errors.js';
import { matchesHash, randomId, randomSecret, sha256Hex } from '../identity/secrets.js';
import type { People } from '../identity/people.js';
import { MAX_SCOPES, SCOPE_PATTERN } from './scopes.js';
import type { TokenInfo, TokenStore } from './storage.js';

/** Default and longest token lifetime, in days. */
export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 365;
/** `last_used_at` is written at most once per this many ms per token (so busy CI does not write on every call). */
export const LAST_USED_WRITE_MS = 60_000;
/**
 * A verified token is remembered this long (ms) so that a busy client costs no database read per request. Revoking
 * in this process forgets it at once; another Tarmac process sharing the database accepts a revoked token for at
 * most this long. Expiry is always checked against the token's own `expiresAt`.
 */
export const VERIFIED_TOKEN_CACHE_MS = 5_000;

/** What `createToken` takes. */
export interface CreateTokenInput {
  /** The User the token acts for (any case; stored lowercase); omitted only in single-user mode. */
  userRef?: string;
  /** Label shown in listings, 1–100 characters. */
  name: string;
  /** Action patterns (see scopes.ts), 1–50 of them. */
  scopes: string[];
  /** When true the token may act only on entities its User owns. Default false. */
  ownedOnly?: boolean;
  /** Lifetime in days, (0, 365]; default 90. Fractions are allowed (tests). */
  expiresInDays?: number;
  /** Actor creating it (`Principal.actor`). */
  createdBy: string;
}

/** A new token: its listing info plus the token string, which is shown once and never again. */
export interface CreatedToken extends TokenInfo {
  /** `tmk_<id>_<secret>`: secret = 32 random bytes, base64url. */
  token: string;
}

const TOKEN_RE = /^tmk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/**
 * API tokens: created by a person with a subset of their permissions, stored only as SHA-256 of the secret,
 * compared in constant time, revocable, expiring (issue "Trust", Identity).
 */
export class TokenService {
  private readonly lastWrite = new Map<string, number>();
  private readonly verified = new Map<string, { info: TokenInfo; until: number }>();

  constructor(
    private readonly store: TokenStore,
    private readonly people: People,
    private readonly opts: { rolesFor: (ownershipRefs: readonly string[]) => string[]; singleUser: boolean },
  ) {}

  /**
   * Creates a token. Does not check the creator's permissions: the route does (scopes ⊆ creator's).
   * @throws TarmacError BAD_REQUEST naming the bad field (name, scope, expiresInDays, userRef)
   */
  async createToken(input: CreateTokenInput): Promise<CreatedToken> {
    const name = input.name.trim();
    if (name.length < 1 || name.length > 100) throw badRequest('token name must be 1–100 characters');
    if (input.scopes.length < 1 || input.scopes.length > MAX_SCOPES) throw badRequest(`a token needs 1–${MAX_SCOPES} scopes`);
    for (const s of input.scopes) {
      if (!SCOPE_PATTERN.test(s)) throw badRequest(`scope "${s}" is not an action name or pattern (e.g. catalog.entity.read, template.*)`);
    }
    const days = input.expiresInDays ?? DEFAULT_TOKEN_DAYS;
    if (!(days > 0 && days <= MAX_TOKEN_DAYS)) throw badRequest(`expiresInDays must be more than 0 and at most ${MAX_TOKEN_DAYS}`);
    const userRef = input.userRef?.toLowerCase();
    if (userRef !== undefined && !/^user:[^/\s]+\/[^\s]+$/.test(userRef)) throw badRequest(`userRef "${input.userRef}" is not a User ref (user:<namespace>/<name>)`);
    const id = randomId(8);
    const secret = randomSecret(32);
    const info = await this.store.insert({
      id,
      name,
      userRef: userRef ?? null,
      createdBy: input.createdBy,
      scopes: [...new Set(input.scopes)],
      ownedOnly: input.ownedOnly ?? false,
      secretHash: sha256Hex(secret),
      expiresInSeconds: Math.round(days * 86_400),
    });
    return { ...info, token: `tmk_${id}_${secret}` };
  }

  /**
   * The principal for a bearer token string.
   * @throws TarmacError UNAUTHENTICATED "invalid or expired API token" for malformed, unknown, wrong-secret, revoked
   *   and expired tokens alike (never says which)
   */
  async authenticate(token: string): Promise<Principal> {
    const info = await this.verify(token);
    this.noteUse(info.id);
    const person = info.userRef ? await this.people.byRef(info.userRef) : undefined;
    const ownershipRefs = person?.ownershipRefs ?? [];
    const roles = !info.userRef && this.opts.singleUser ? ['admin'] : this.opts.rolesFor(ownershipRefs);
    return {
      type: 'token',
      actor: `token:${info.id}`,
      ...(info.userRef ? { userRef: info.userRef } : {}),
      ...(person?.displayName ? { displayName: person.displayName } : {}),
      ownershipRefs,
      roles,
      tokenId: info.id,
      scopes: info.scopes,
      ownedOnly: info.ownedOnly,
    };
  }

  /** Tokens of `userRef` (or every token when undefined), newest first; never secrets. */
  list(userRef?: string): Promise<TokenInfo[]> {
    return this.store.list(userRef);
  }

  /** One token's info, or undefined. */
  get(id: string): Promise<TokenInfo | undefined> {
    return this.store.get(id);
  }

  /** Revokes a token (and forgets it in this process's cache at once). @returns false when unknown or already revoked */
  revoke(id: string): Promise<boolean> {
    for (const [key, entry] of this.verified) if (entry.info.id === id) this.verified.delete(key);
    return this.store.revoke(id);
  }

  /** The token's info when usable: from the short cache (keyed by the token's SHA-256), else from the database. */
  private async verify(token: string): Promise<TokenInfo> {
    const key = sha256Hex(token);
    const now = Date.now();
    const cached = this.verified.get(key);
    if (cached && cached.until > now && Date.parse(cached.info.expiresAt) > now) return cached.info;
    this.verified.delete(key);
    const m = TOKEN_RE.exec(token);
    const found = m ? await this.store.findUsable(m[1] as string) : undefined;
    if (!m || !found || !matchesHash(m[2] as string, found.secretHash)) {
      throw new TarmacError('UNAUTHENTICATED', 'invalid or expired API token');
    }
    if (this.verified.size >= 10_000) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(key, { info: found.info, until: now + VERIFIED_TOKEN_CACHE_MS });
    return found.info;
  }

  private noteUse(id: string): void {
    const now = Date.now();
    if (now - (this.lastWrite.get(id) ?? 0) < LAST_USED_WRITE_MS) return;
    this.lastWrite.set(id, now);
    if (this.lastWrite.size > 10_000) this.lastWrite.delete(this.lastWrite.keys().next().value as string);
    // Not awaited: the request does not wait for bookkeeping; a failed write only loses a timestamp.
    this.store.touch(id).catch(() => this.lastWrite.delete(id));
  }
}
