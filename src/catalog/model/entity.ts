/**
 * The catalog's entity model, in the Backstage descriptor format (`catalog-info.yaml`):
 * envelope `apiVersion` / `kind` / `metadata` / `spec`. Source: Backstage `@backstage/catalog-model`
 * (`packages/catalog-model/src/entity/Entity.ts`, `EntityRelation`), see shared/notes/backstage-reference.md.
 */

/** Annotation: where this entity was read from, as `<type>:<target>` (e.g. `file:/abs/catalog-info.yaml`). */
export const ANNOTATION_LOCATION = 'backstage.io/managed-by-location';
/** Annotation: the registered (root) location that led to this entity, `<type>:<target>`. */
export const ANNOTATION_ORIGIN_LOCATION = 'backstage.io/managed-by-origin-location';
/** Annotation: source location of the entity's repository/folder, `url:<...>`. */
export const ANNOTATION_SOURCE_LOCATION = 'backstage.io/source-location';

/** The kinds Tarmac knows the spec of. Other kinds are accepted when their envelope is valid. */
export const KNOWN_KINDS = [
  'Component',
  'API',
  'System',
  'Domain',
  'Resource',
  'Group',
  'User',
  'Location',
  'Template',
] as const;

/** A link shown on the entity page. `url` must parse as a URL. */
export interface EntityLink {
  url: string;
  title?: string;
  icon?: string;
  type?: string;
}

/** `metadata` of an entity. `uid` and `etag` are set by the server, never by files. */
export interface EntityMeta {
  name: string;
  namespace?: string;
  title?: string;
  description?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  tags?: string[];
  links?: EntityLink[];
  uid?: string;
  etag?: string;
  [key: string]: unknown;
}

/**
 * One relation, as Backstage returns it on `entity.relations`: from this entity to `targetRef`.
 * `targetRef` is a full, lowercase entity ref `kind:namespace/name`.
 */
export interface EntityRelation {
  type: RelationType;
  targetRef: string;
  /** Deprecated in Backstage but still read by older clients. */
  target?: { kind: string; namespace: string; name: string };
}

/** A processing problem attached to an entity (Backstage `status.items`). */
export interface EntityStatusItem {
  type: 'backstage.io/catalog-processing';
  level: 'error' | 'warning' | 'info';
  message: string;
  error?: { name: string; message: string };
}

/** An entity. `relations` and `status` are output only (computed by the catalog). */
export interface Entity {
  apiVersion: string;
  kind: string;
  metadata: EntityMeta;
  spec?: Record<string, unknown>;
  relations?: EntityRelation[];
  status?: { items: EntityStatusItem[] };
}

/** The 14 relation types (7 inverse pairs), from Backstage `packages/catalog-model/src/kinds/relations.ts`. */
export const RELATION_PAIRS = [
  ['ownedBy', 'ownerOf'],
  ['partOf', 'hasPart'],
  ['providesApi', 'apiProvidedBy'],
  ['consumesApi', 'apiConsumedBy'],
  ['dependsOn', 'dependencyOf'],
  ['parentOf', 'childOf'],
  ['memberOf', 'hasMember'],
] as const;

/** One of the 14 relation type names. */
export type RelationType = (typeof RELATION_PAIRS)[number][number];

/** A parsed entity ref: every part lowercase-comparable; `kind` and `namespace` always present. */
export interface CompoundEntityRef {
  kind: string;
  namespace: string;
  name: string;
}
