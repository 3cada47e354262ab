/**
 * Who owns what: the owners of an entity, and whether a principal is one of them.
 * Source: Backstage's `ownedBy` relation (catalog-model `RELATION_OWNED_BY`), computed from `spec.owner` with the
 * default kind `Group` and the entity's namespace (`DEFAULT_KIND_BY_FIELD.owner` in the catalog model).
 */
import type { EntityLike, Principal } from '../../core/auth.js';
import { parseEntityRef, stringifyEntityRef } from '../../catalog/index.js';

/**
 * The lowercase refs owning `entity`: the targets of its `ownedBy` relations when it carries relations, else its
 * `spec.owner` normalised to `kind:namespace/name` (default kind `group`, default namespace the entity's). Empty
 * when it names no (valid) owner. Never throws.
 */
export function entityOwners(entity: EntityLike): string[] {
  const fromRelations = (entity.relations ?? [])
    .filter((r) => r.type.toLowerCase() === 'ownedby')
    .map((r) => r.targetRef.toLowerCase());
  if (fromRelations.length > 0) return [...new Set(fromRelations)];
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || owner === '') return [];
  try {
    const ns = entity.metadata.namespace || 'default';
    return [stringifyEntityRef(parseEntityRef(owner, { defaultKind: 'group', defaultNamespace: ns }))];
  } catch {
    return [];
  }
}

/** The first of `refs` (compared lowercase) the principal owns through (its User ref or a Group), if any. */
export function ownedVia(who: Principal, refs: readonly string[]): string | undefined {
  if (refs.length === 0 || who.ownershipRefs.length === 0) return undefined;
  const mine = new Set(who.ownershipRefs.map((r) => r.toLowerCase()));
  return refs.find((r) => mine.has(r.toLowerCase()));
}

/**
 * Parses a list of refs written in config or an annotation (`group:default/a, user:b`), lowercase, default kind
 * `defaultKind`, namespace `default`. Unparseable items are dropped (and returned in `bad` for the caller to report).
 */
export function normaliseRefs(items: readonly string[], defaultKind: string): { refs: string[]; bad: string[] } {
  const refs: string[] = [];
  const bad: string[] = [];
  for (const raw of items) {
    const item = raw.trim();
    if (!item) continue;
    try {
      refs.push(stringifyEntityRef(parseEntityRef(item, { defaultKind })));
    } catch {
      bad.push(item);
    }
  }
  return { refs, bad };
}
