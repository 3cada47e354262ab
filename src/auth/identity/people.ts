import type { CatalogService, Entity, FilterNode } from '../../catalog/index.js';
import { stringifyEntityRef } from '../../catalog/index.js';
import type { OidcConfig } from '../../core/config.js';
import { TarmacError } from '../../core/errors.js';

/** A catalog User and the Groups it belongs to, transitively. */
export interface Person {
  /** `user:<namespace>/<name>`, lowercase. */
  userRef: string;
  displayName?: string;
  email?: string;
  /** Group refs (lowercase): `memberOf` groups and each one's `parent` chain, sorted. */
  groups: string[];
  /** `userRef` plus `groups`: what `Principal.ownershipRefs` holds. */
  ownershipRefs: string[];
}

/** How long a resolved person is reused before the catalog is asked again, in ms. */
export const PERSON_CACHE_MS = 30_000;
/** Most Groups followed for one person (membership plus ancestors): a guard against runaway hierarchies. */
export const MAX_GROUPS = 1_000;

/**
 * Resolves signed-in people to catalog Users and Groups (Backstage's "sign-in resolver" idea, see
 * shared/notes/backstage-reference.md): never invents a User. Results are cached per User ref for `PERSON_CACHE_MS`
 * so that requests do not cost catalog queries each time.
 */
export class People {
  private readonly cache = new Map<string, { person: Person; until: number }>();

  constructor(private readonly catalog: CatalogService) {}

  /**
   * Finds the User an ID token's claims name (`userMatch: email` → `spec.profile.email` = `email` claim,
   * case-insensitive; `username` → `metadata.name` = `preferred_username` or `claim`).
   * @throws TarmacError UNAUTHENTICATED with a message for people when the claim is missing, no User matches, or
   *   several do
   */
  async findByClaims(claims: Record<string, unknown>, oidc: Pick<OidcConfig, 'userMatch' | 'claim'>): Promise<Person> {
    const claimName = oidc.claim ?? (oidc.userMatch === 'email' ? 'email' : 'preferred_username');
    const value = claims[claimName];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new TarmacError('UNAUTHENTICATED', `the identity provider sent no "${claimName}" claim, so no catalog User can be matched`);
    }
    const wanted = value.trim().toLowerCase();
    const field = oidc.userMatch === 'email' ? 'spec.profile.email' : 'metadata.name';
    const filter: FilterNode = {
      op: 'all',
      nodes: [
        { op: 'in', path: 'kind', values: ['user'] },
        { op: 'in', path: field, values: [wanted] },
      ],
    };
    const page = await this.catalog.queryEntities({ filter, limit: 3 });
    let users = page.items;
    // A username may exist in several namespaces: the default namespace wins, as in entity refs.
    if (users.length > 1 && oidc.userMatch === 'username') users = users.filter((u) => (u.metadata.namespace ?? 'default') === 'default');
    if (users.length === 0) {
      throw new TarmacError('UNAUTHENTICATED', `no catalog User has ${field} "${wanted}"; ask a platform admin to add you to the catalog`);
    }
    if (users.length > 1) {
      throw new TarmacError('UNAUTHENTICATED', `several catalog Users have ${field} "${wanted}"; sign-in needs exactly one`);
    }
    const person = await this.resolve(users[0] as Entity);
    this.cache.set(person.userRef, { person, until: Date.now() + PERSON_CACHE_MS });
    return person;
  }

  /**
   * The person for a User ref (sessions and tokens), from the cache when fresh. A User no longer in the catalog
   * resolves to itself with no groups (its sessions and tokens then own nothing but the User ref).
   */
  async byRef(userRef: string): Promise<Person> {
    const hit = this.cache.get(userRef);
    if (hit && hit.until > Date.now()) return hit.person;
    const [user] = await this.catalog.getEntitiesByRefs([userRef]);
    const person = user ? await this.resolve(user) : { userRef, groups: [], ownershipRefs: [userRef] };
    this.cache.set(userRef, { person, until: Date.now() + PERSON_CACHE_MS });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value as string);
    return person;
  }

  private async resolve(user: Entity): Promise<Person> {
    const userRef = stringifyEntityRef({ kind: 'user', namespace: user.metadata.namespace ?? 'default', name: user.metadata.name });
    const groups = await this.groupsOf(user);
    const profile = (user.spec?.profile ?? {}) as { displayName?: unknown; email?: unknown };
    return {
      userRef,
      displayName: typeof profile.displayName === 'string' ? profile.displayName : (user.metadata.title as string | undefined) ?? user.metadata.name,
      ...(typeof profile.email === 'string' ? { email: profile.email } : {}),
      groups,
      ownershipRefs: [userRef, ...groups],
    };
  }

  /** Breadth-first over `memberOf` then `childOf` (a Group's `spec.parent`), visiting each Group once (cycle-safe). */
  private async groupsOf(user: Entity): Promise<string[]> {
    const seen = new Set<string>();
    let frontier = targets(user, 'memberOf');
    while (frontier.length > 0 && seen.size < MAX_GROUPS) {
      const next = frontier.filter((r) => !seen.has(r)).slice(0, MAX_GROUPS - seen.size);
      for (const r of next) seen.add(r);
      if (next.length === 0) break;
      const groups = await this.catalog.getEntitiesByRefs(next);
      frontier = groups.flatMap((g) => (g ? targets(g, 'childOf') : []));
    }
    return [...seen].sort();
  }
}

function targets(entity: Entity, type: string): string[] {
  return (entity.relations ?? []).filter((r) => r.type === type && r.targetRef.startsWith('group:')).map((r) => r.targetRef.toLowerCase());
}
