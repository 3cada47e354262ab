/**
 * Relations an entity's spec produces, in both directions.
 * Source: Backstage `plugins/catalog-backend/src/processors/BuiltinKindsEntityProcessor.ts` and the kinds'
 * `relationFields` (`packages/catalog-model/src/kinds/*EntityV1alpha1.ts`); default kinds from `DEFAULT_KIND_BY_FIELD`.
 */
import type { Entity, RelationType } from './entity.js';
import { DEFAULT_KIND_BY_FIELD, parseEntityRef, stringifyEntityRef } from './ref.js';
import type { RelationRow } from '../storage/types.js';

/** One spec field that yields relations: `[field, relation from the entity, inverse relation from the target]`. */
type RelationField = readonly [field: string, forward: RelationType, inverse: RelationType];

const OWNER: RelationField = ['owner', 'ownedBy', 'ownerOf'];
const SYSTEM: RelationField = ['system', 'partOf', 'hasPart'];
const DEPENDS_ON: RelationField = ['dependsOn', 'dependsOn', 'dependencyOf'];
const DEPENDENCY_OF: RelationField = ['dependencyOf', 'dependencyOf', 'dependsOn'];

/** Relation fields per lowercase kind (kinds match case-insensitively). */
const RELATION_FIELDS: Readonly<Record<string, readonly RelationField[]>> = {
  component: [
    OWNER,
    SYSTEM,
    ['subcomponentOf', 'partOf', 'hasPart'],
    ['providesApis', 'providesApi', 'apiProvidedBy'],
    ['consumesApis', 'consumesApi', 'apiConsumedBy'],
    DEPENDS_ON,
    DEPENDENCY_OF,
  ],
  api: [OWNER, SYSTEM],
  resource: [OWNER, DEPENDS_ON, DEPENDENCY_OF, SYSTEM],
  system: [OWNER, ['domain', 'partOf', 'hasPart']],
  domain: [OWNER, ['subdomainOf', 'partOf', 'hasPart']],
  group: [
    ['parent', 'childOf', 'parentOf'],
    ['children', 'parentOf', 'childOf'],
    ['members', 'hasMember', 'memberOf'],
  ],
  user: [['memberOf', 'memberOf', 'hasMember']],
  template: [OWNER],
};

/**
 * The relation rows of one (validated) entity: for each ref in its relation fields, the row from the entity to the
 * target and the inverse row from the target to the entity, e.g. component `a` with `owner: team-a` gives
 * `{ component:default/a ownedBy group:default/team-a }` and `{ group:default/team-a ownerOf component:default/a }`.
 * Refs without a kind take the field's default kind, without a namespace the entity's own namespace; all refs are
 * lowercase. Targets that are not strings, are placeholders or do not parse are skipped (validation reports them).
 * Identical rows are returned once, in first-seen order. Kinds without relation fields give `[]`. Never throws.
 */
export function computeRelations(entity: Entity): RelationRow[] {
  const spec = entity.spec;
  const fields = typeof entity.kind === 'string' ? RELATION_FIELDS[entity.kind.toLowerCase()] : undefined;
  if (!fields || !spec || typeof entity.metadata?.name !== 'string') return [];
  const namespace = entity.metadata.namespace || 'default';
  const self = stringifyEntityRef({ kind: entity.kind, namespace, name: entity.metadata.name });
  const rows = new Map<string, RelationRow>();
  const add = (row: RelationRow): void => {
    const key = `${row.sourceRef}\n${row.type}\n${row.targetRef}`;
    if (!rows.has(key)) rows.set(key, row);
  };
  for (const [field, forward, inverse] of fields) {
    const value = spec[field];
    const targets: unknown[] = Array.isArray(value) ? value : [value];
    for (const target of targets) {
      if (typeof target !== 'string' || target === '') continue; // placeholders and other non-strings
      let targetRef: string;
      try {
        targetRef = stringifyEntityRef(
          parseEntityRef(target, { defaultKind: DEFAULT_KIND_BY_FIELD[field], defaultNamespace: namespace }),
        );
      } catch {
        continue;
      }
      add({ sourceRef: self, type: forward, targetRef });
      add({ sourceRef: targetRef, type: inverse, targetRef: self });
    }
  }
  return [...rows.values()];
}
