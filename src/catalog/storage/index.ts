import type { Database } from '../../core/db/index.js';
import type { Entity } from '../model/entity.js';
import type { FilterNode } from '../query/index.js';
import type { ApplyProgress } from './entities-write.js';
import { applyLocationResult } from './entities-write.js';
import type { EntityQuery, EntityQueryResult, ListEntitiesQuery } from './entities-read.js';
import { listEntities, queryEntities } from './entities-read.js';
import {
  deleteEntityByUid,
  getEntitiesByRefs,
  getEntitiesOfLocation,
  getEntityByRef,
  getEntityByUid,
  getEntityLocationId,
  getEntitySource,
} from './entities-lookup.js';
import type { ErrorItem } from './errors.js';
import { listErrors } from './errors.js';
import type { CatalogSummary } from './summary.js';
import { listUnresolvedRelations, summary } from './summary.js';
import type { Facets } from './facets.js';
import { getFacets } from './facets.js';
import { GenerationCache } from './gen-cache.js';
import type { NewLocation, ReleaseOutcome } from './locations.js';
import * as loc from './locations.js';
import type { SearchHit } from './search.js';
import { search } from './search.js';
import type { ApplySummary, LocationReadResult, LocationReadStream, LocationRecord } from './types.js';

export type { ApplyProgress } from './entities-write.js';
export type { EntityQuery, EntityQueryResult, ListEntitiesQuery } from './entities-read.js';
export type { ErrorItem } from './errors.js';
export type { CatalogSummary } from './summary.js';
export type { Facets } from './facets.js';
export { MAX_FACETS } from './facets.js';
export type { NewLocation, ReleaseOutcome } from './locations.js';
export type { SearchHit } from './search.js';
export { catalogMigrations } from './migrations.js';
export type * from './types.js';

/**
 * The catalog's SQL layer: every read and write of the catalog tables. All methods run on PGlite and PostgreSQL
 * with the same SQL. Filters come from `query/` (`parseFilterParams`, `parsePredicateQuery`).
 * Errors: TarmacError BAD_REQUEST for bad cursors/fields/limits, CONFLICT for a lost lease.
 */
export interface CatalogStore {
  /** Registers a location; idempotent on (type, target, branch, path); new ones are due now. */
  insertLocation(input: NewLocation): Promise<{ location: LocationRecord; created: boolean }>;
  /** The location with exactly this key, if registered. */
  findLocation(type: string, target: string, branch?: string, path?: string): Promise<LocationRecord | undefined>;
  getLocation(id: string): Promise<LocationRecord | undefined>;
  /** Locations oldest first, with entity and error counts. */
  listLocations(opts: { limit: number; offset: number }): Promise<{ items: Array<LocationRecord & { entityCount: number; errorCount: number }>; totalItems: number }>;
  /** Removes a location, its entities, their relations (origin_ref) and its errors, in one transaction. */
  deleteLocation(id: string): Promise<boolean>;
  /** Deletes the locations of `origin` not in `keepIds` (config sync). @returns how many */
  deleteLocationsByOriginExcept(origin: string, keepIds: string[]): Promise<number>;
  /** Next due, unleased location, leased to `owner` for `leaseMs` ms (FOR UPDATE SKIP LOCKED). */
  claimDueLocation(owner: string, leaseMs: number): Promise<LocationRecord | undefined>;
  /** Leases one location (explicit refresh); undefined when another owner holds a live lease. */
  claimLocation(id: string, owner: string, leaseMs: number): Promise<LocationRecord | undefined>;
  /** Records progress while `owner` holds the lease. */
  setProgress(id: string, owner: string, progress: { phase: string; done: number; total: number | null }): Promise<void>;
  /**
   * Applies a read (complete, or streamed while the location is read) in one transaction (see entities-write.ts).
   * @throws TarmacError CONFLICT "lease lost …"; what a stream's iteration throws
   */
  applyLocationResult(
    locationId: string,
    owner: string,
    result: LocationReadResult | LocationReadStream,
    onProgress?: ApplyProgress,
  ): Promise<ApplySummary>;
  /** Ends the lease of `owner` with the outcome and next refresh time. */
  releaseLocation(id: string, owner: string, outcome: ReleaseOutcome): Promise<void>;
  /** Makes a location due now. */
  scheduleRefresh(id: string): Promise<void>;
  /** `by-query` page with cursors and total count. */
  queryEntities(q: EntityQuery): Promise<EntityQueryResult>;
  /** `GET /entities` page (offset or `after`). */
  listEntities(q: ListEntitiesQuery): Promise<{ items: Entity[]; nextAfter?: string }>;
  /** Request order; null for missing or filtered-out refs; refs case-insensitive. */
  getEntitiesByRefs(refs: string[], opts?: { fields?: string[]; filter?: FilterNode }): Promise<Array<Entity | null>>;
  /** One entity by ref (case-insensitive); undefined when missing or not matching `filter` (a read restriction). */
  getEntityByRef(ref: string, filter?: FilterNode): Promise<Entity | undefined>;
  /** One entity by `metadata.uid`; undefined when missing or not matching `filter`. */
  getEntityByUid(uid: string, filter?: FilterNode): Promise<Entity | undefined>;
  /** The first `limit` (≤ 10,000) entities stored for a location (matching `filter`), by ref, with relations and status. */
  getEntitiesOfLocation(locationId: string, limit: number, filter?: FilterNode): Promise<Entity[]>;
  /** The id of the location that emitted `ref`; undefined when the entity is missing or does not match `filter`. */
  getEntityLocationId(ref: string, filter?: FilterNode): Promise<string | undefined>;
  deleteEntityByUid(uid: string): Promise<boolean>;
  getFacets(facets: string[], filter?: FilterNode): Promise<Facets>;
  search(q: { term: string; kind?: string; limit: number; offset: number; filter?: FilterNode }): Promise<{ items: SearchHit[]; totalItems: number }>;
  /** Home-page counts; with `filter` only over matching entities. */
  summary(filter?: FilterNode): Promise<CatalogSummary>;
  /** The catalog generation: a counter every write that changes entities, relations or errors increases. */
  generation(): Promise<number>;
  listErrors(q: { locationId?: string; entityRef?: string; limit: number; offset: number; filter?: FilterNode }): Promise<{ items: ErrorItem[]; totalItems: number }>;
  /** The YAML document an entity was read from; undefined when the entity does not exist or does not match `filter`. */
  getEntitySource(ref: string, filter?: FilterNode): Promise<{ file: string | null; line: number | null; text: string | null } | undefined>;
  /** Relations from existing entities to refs not in the catalog, sorted. */
  listUnresolvedRelations(q: { limit: number; offset: number }): Promise<{ items: Array<{ sourceRef: string; type: string; targetRef: string }>; totalItems: number }>;
}

/**
 * Creates the store over `db` (migrated with `catalogMigrations`). Holds in-memory caches of counts, facets and
 * the summary, valid per `catalog_state.generation`.
 */
export function createCatalogStore(db: Database): CatalogStore {
  const counts = new GenerationCache<number>();
  const facets = new GenerationCache<Facets>(100);
  const summaries = new GenerationCache<CatalogSummary>(50);
  // PGlite is opened by one process only, so every write that can bump the generation goes through this store: the
  // generation is re-read only after such a write (it is a query on the same thread as the HTTP server). A
  // PostgreSQL server may have other writers, so there it is read every time.
  let localWrites = 0;
  let known: { writes: number; generation: number } | undefined;
  const wrote = <T>(p: Promise<T>): Promise<T> =>
    p.finally(() => {
      localWrites++;
    });
  const readGeneration = async (): Promise<number> =>
    (await db.query<{ generation: number }>('SELECT generation FROM catalog_state WHERE id = 1'))[0]?.generation ?? 0;
  const generation = async (): Promise<number> => {
    if (db.engine !== 'pglite') return readGeneration();
    if (known?.writes === localWrites) return known.generation;
    const writes = localWrites;
    const current = await readGeneration();
    known = { writes, generation: current };
    return current;
  };
  return {
    insertLocation: (input) => loc.insertLocation(db, input),
    findLocation: (type, target, branch, path) => loc.findLocation(db, type, target, branch, path),
    getLocation: (id) => loc.getLocation(db, id),
    listLocations: (opts) => loc.listLocations(db, opts),
    deleteLocation: (id) => wrote(loc.deleteLocation(db, id)),
    deleteLocationsByOriginExcept: (origin, keepIds) => wrote(loc.deleteLocationsByOriginExcept(db, origin, keepIds)),
    claimDueLocation: (owner, leaseMs) => loc.claimDueLocation(db, owner, leaseMs),
    claimLocation: (id, owner, leaseMs) => loc.claimLocation(db, id, owner, leaseMs),
    setProgress: (id, owner, progress) => loc.setProgress(db, id, owner, progress),
    applyLocationResult: (id, owner, result, onProgress) => wrote(applyLocationResult(db, id, owner, result, onProgress)),
    releaseLocation: (id, owner, outcome) => loc.releaseLocation(db, id, owner, outcome),
    scheduleRefresh: (id) => loc.scheduleRefresh(db, id),
    queryEntities: (q) => queryEntities(db, counts, q),
    listEntities: (q) => listEntities(db, q),
    getEntitiesByRefs: (refs, opts) => getEntitiesByRefs(db, refs, opts),
    getEntityByRef: (ref, filter) => getEntityByRef(db, ref, filter),
    getEntityByUid: (uid, filter) => getEntityByUid(db, uid, filter),
    getEntitiesOfLocation: (id, limit, filter) => getEntitiesOfLocation(db, id, limit, filter),
    getEntityLocationId: (ref, filter) => getEntityLocationId(db, ref, filter),
    deleteEntityByUid: (uid) => wrote(deleteEntityByUid(db, uid)),
    getFacets: (names, filter) => getFacets(db, generation, facets, names, filter),
    search: (q) => search(db, q),
    summary: (filter) => summary(db, generation, summaries, filter),
    generation,
    listErrors: (q) => listErrors(db, q),
    getEntitySource: (ref, filter) => getEntitySource(db, ref, filter),
    listUnresolvedRelations: (q) => listUnresolvedRelations(db, q),
  };
}
