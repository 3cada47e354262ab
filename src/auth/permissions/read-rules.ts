/**
 * Read rules (config `auth.readRules`, issue "Trust" › Permissions): which entities a principal may read, as an
 * `EntityCondition` the catalog ANDs into every read, and the same condition evaluated in memory for one entity.
 */
import type { EntityCondition, EntityLike, Principal } from '../../core/auth.js';
import type { ReadRule } from '../../core/config.js';
import { normaliseRefs } from './ownership.js';

/** A read rule with its subjects split into roles and lowercase refs. */
export interface CompiledRule {
  roles: Set<string>;
  refs: Set<string>;
  /** The rule's allow items as one condition (`any` of `all`s). */
  allow: EntityCondition;
}

/** Matches nothing (`any` of no condition). */
export const NOTHING: EntityCondition = Object.freeze({ any: [] }) as EntityCondition;

/**
 * Compiles `auth.readRules`: `role:<r>` subjects name roles, others are User/Group refs (default kind `group`).
 * Allow item fields are ANDed; an item with no field allows everything.
 */
export function compileReadRules(rules: readonly ReadRule[]): CompiledRule[] {
  return rules.map((rule) => {
    const roles = new Set<string>();
    const refItems: string[] = [];
    for (const s of rule.subjects) {
      if (s.toLowerCase().startsWith('role:')) roles.add(s.slice(5).toLowerCase());
      else refItems.push(s);
    }
    const items: EntityCondition[] = rule.allow.map((item) => {
      const all: EntityCondition[] = [];
      if (item.kind?.length) all.push({ path: 'kind', values: item.kind.map(lower) });
      if (item.namespace?.length) all.push({ path: 'metadata.namespace', values: item.namespace.map(lower) });
      for (const [k, v] of Object.entries(item.labels ?? {})) all.push({ path: `metadata.labels.${lower(k)}`, values: [lower(v)] });
      for (const [k, v] of Object.entries(item.annotations ?? {})) {
        all.push({ path: `metadata.annotations.${lower(k)}`, values: [lower(v)] });
      }
      return { all };
    });
    return { roles, refs: new Set(normaliseRefs(refItems, 'group').refs), allow: { any: items } };
  });
}

/**
 * The read condition of `who` under `rules`: `null` (everything) when no rule names one of its roles or refs,
 * else entities matching any applying rule's allow items OR owned by it (an `ownedBy` relation to one of its
 * ownership refs). `ownedOnly` tokens read only owned entities.
 */
export function readCondition(who: Principal, rules: readonly CompiledRule[]): EntityCondition | null {
  const owned: EntityCondition = { relation: 'ownedby', targets: who.ownershipRefs.map(lower) };
  if (who.ownedOnly) return owned;
  const mine = new Set(who.ownershipRefs.map(lower));
  const applying = rules.filter(
    (r) => who.roles.some((role) => r.roles.has(role)) || [...r.refs].some((ref) => mine.has(ref)),
  );
  if (applying.length === 0) return null;
  return { any: [...applying.map((r) => r.allow), owned] };
}

/**
 * Whether `entity` matches `cond`, with the catalog's filter semantics (case-insensitive values, descending through
 * arrays; `kind` and `metadata.namespace` defaulting as the catalog stores them). `relation` reads
 * `entity.relations`, falling back to `spec.owner` for `ownedby` (see `entityOwners`).
 */
export function matchesCondition(cond: EntityCondition, entity: EntityLike, owners: () => string[]): boolean {
  if ('all' in cond) return cond.all.every((c) => matchesCondition(c, entity, owners));
  if ('any' in cond) return cond.any.some((c) => matchesCondition(c, entity, owners));
  if ('not' in cond) return !matchesCondition(cond.not, entity, owners);
  if ('relation' in cond) {
    const targets = new Set(cond.targets.map(lower));
    const rels = entity.relations ?? [];
    if (cond.relation === 'ownedby' && !rels.some((r) => r.type.toLowerCase() === 'ownedby')) {
      return owners().some((o) => targets.has(o));
    }
    return rels.some((r) => r.type.toLowerCase() === cond.relation && targets.has(r.targetRef.toLowerCase()));
  }
  const values = valuesAt(entity, 'exists' in cond ? cond.exists : cond.path);
  if ('exists' in cond) return values.length > 0;
  const wanted = new Set(cond.values.map(lower));
  return values.some((v) => wanted.has(v));
}

/** Lowercase string forms of the values at a dot path (labels/annotations keys may contain dots). */
function valuesAt(entity: EntityLike, path: string): string[] {
  const p = path.toLowerCase();
  if (p === 'kind') return [entity.kind.toLowerCase()];
  if (p === 'metadata.namespace') return [(entity.metadata.namespace || 'default').toLowerCase()];
  for (const bag of ['labels', 'annotations'] as const) {
    const prefix = `metadata.${bag}.`;
    if (p.startsWith(prefix)) {
      const key = p.slice(prefix.length);
      const found = Object.entries(entity.metadata[bag] ?? {}).find(([k]) => k.toLowerCase() === key);
      return found ? [String(found[1]).toLowerCase()] : [];
    }
  }
  let current: unknown[] = [entity];
  for (const seg of p.split('.')) {
    const next: unknown[] = [];
    for (const c of current) {
      if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
      const hit = Object.entries(c).find(([k]) => k.toLowerCase() === seg);
      if (hit === undefined) continue;
      if (Array.isArray(hit[1])) next.push(...(hit[1] as unknown[]));
      else next.push(hit[1]);
    }
    current = next;
  }
  return current.filter((v) => v !== undefined && (typeof v !== 'object' || v === null)).map((v) => String(v).toLowerCase());
}

function lower(s: string): string {
  return s.toLowerCase();
}
