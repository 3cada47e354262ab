import type { Entity, RelationType } from '../../model/entity.js';
import type { CatalogStore } from '../index.js';
import type { IngestError, LocationReadResult, ProcessedEntity, RelationRow } from '../types.js';

/** Test fixtures: ProcessedEntity values built by hand (relations written explicitly, both directions). */

/** A relation pair row builder: `rel(a, 'ownedBy', b, 'ownerOf')` → both rows. */
export function rel(source: string, type: RelationType, target: string, inverse: RelationType): RelationRow[] {
  return [
    { sourceRef: source, type, targetRef: target },
    { sourceRef: target, type: inverse, targetRef: source },
  ];
}

/** Options of `pe`. */
export interface PeOptions {
  namespace?: string;
  spec?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  relations?: RelationRow[];
  file?: string;
  line?: number;
  errors?: IngestError[];
}

/** A ProcessedEntity of `kind`/`name` with the given spec and relations. */
export function pe(kind: string, name: string, opts: PeOptions = {}): ProcessedEntity {
  const namespace = opts.namespace ?? 'default';
  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace, ...opts.metadata },
    ...(opts.spec ? { spec: opts.spec } : {}),
  };
  const file = opts.file ?? 'file:/cat/all.yaml';
  return {
    ref: `${kind}:${namespace}/${name}`.toLowerCase(),
    entity,
    relations: opts.relations ?? [],
    source: { file, line: opts.line ?? 1, text: `kind: ${kind}\nmetadata:\n  name: ${name}\n` },
    errors: opts.errors ?? [],
  };
}

/** A read result with no errors unless given. */
export function result(entities: ProcessedEntity[], extra: Partial<LocationReadResult> = {}): LocationReadResult {
  return { entities, errors: [], failedFiles: [], invalidRefs: [], ...extra };
}

/** Registers a file location and leases it to `owner`. @returns its id */
export async function leasedLocation(store: CatalogStore, target: string, owner = 'test-owner'): Promise<string> {
  const { location } = await store.insertLocation({ type: 'file', target, origin: 'api' });
  const claimed = await store.claimLocation(location.id, owner, 60_000);
  if (!claimed) throw new Error('could not lease the test location');
  return location.id;
}

/**
 * The small catalog most read tests use (10 entities). Sorted refs:
 * api:default/orders-api, component:default/api-gw, component:default/payments, component:default/web,
 * component:ops/legacy, group:default/team-a, group:default/team-b, system:default/shop, user:default/alice,
 * user:default/bob.
 */
export function smallCatalog(): ProcessedEntity[] {
  const teamA = 'group:default/team-a';
  const teamB = 'group:default/team-b';
  const shop = 'system:default/shop';
  const ordersApi = 'api:default/orders-api';
  return [
    pe('Group', 'team-a', { spec: { type: 'team', children: [] } }),
    pe('Group', 'team-b', { spec: { type: 'team', children: [] }, metadata: { title: 'Team B' } }),
    pe('User', 'alice', { spec: { memberOf: ['team-a'] }, relations: rel('user:default/alice', 'memberOf', teamA, 'hasMember') }),
    pe('User', 'bob', { spec: { memberOf: ['team-b'] }, relations: rel('user:default/bob', 'memberOf', teamB, 'hasMember') }),
    pe('System', 'shop', { spec: { owner: 'team-a' }, relations: rel(shop, 'ownedBy', teamA, 'ownerOf') }),
    pe('Component', 'web', {
      metadata: {
        title: 'Web Shop',
        description: 'Customer storefront',
        tags: ['frontend', 'react'],
        annotations: { 'tarmac.dev/query': 'x=y' },
        links: [{ url: 'https://docs.example.com/web', title: 'Docs', type: 'docs' }],
      },
      spec: { type: 'website', lifecycle: 'production', owner: 'team-a', system: 'shop' },
      relations: [...rel('component:default/web', 'ownedBy', teamA, 'ownerOf'), ...rel('component:default/web', 'partOf', shop, 'hasPart')],
    }),
    pe('Component', 'api-gw', {
      metadata: { description: 'Gateway for payments', tags: ['java'] },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-b', system: 'shop', providesApis: ['orders-api'] },
      relations: [
        ...rel('component:default/api-gw', 'ownedBy', teamB, 'ownerOf'),
        ...rel('component:default/api-gw', 'partOf', shop, 'hasPart'),
        ...rel('component:default/api-gw', 'providesApi', ordersApi, 'apiProvidedBy'),
      ],
    }),
    pe('Component', 'payments', {
      metadata: { title: 'Payments', description: 'Handles payments and refunds', tags: ['java', 'payments'] },
      spec: { type: 'service', lifecycle: 'experimental', owner: 'team-b', consumesApis: ['orders-api'] },
      relations: [
        ...rel('component:default/payments', 'ownedBy', teamB, 'ownerOf'),
        ...rel('component:default/payments', 'consumesApi', ordersApi, 'apiConsumedBy'),
      ],
    }),
    pe('Component', 'legacy', {
      namespace: 'ops',
      spec: { type: 'service', lifecycle: 'deprecated', owner: 'group:default/team-a', dependsOn: ['resource:db'] },
      relations: [
        ...rel('component:ops/legacy', 'ownedBy', teamA, 'ownerOf'),
        ...rel('component:ops/legacy', 'dependsOn', 'resource:default/db', 'dependencyOf'),
      ],
    }),
    pe('API', 'orders-api', {
      spec: { type: 'openapi', lifecycle: 'production', owner: 'team-b', system: 'shop', definition: 'openapi: 3.0.0' },
      relations: [...rel(ordersApi, 'ownedBy', teamB, 'ownerOf'), ...rel(ordersApi, 'partOf', shop, 'hasPart')],
    }),
  ];
}
