import path from 'node:path';
import type { EntityCondition } from '../core/auth.js';
import type { LocationConfig } from '../core/config.js';
import { TarmacError, notFound } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Entity } from './model/entity.js';
import { parseEntityRef, stringifyEntityRef } from './model/ref.js';
import { validateEntity } from './model/validate.js';
import type { CatalogStore, EntityQuery } from './storage/index.js';
import type { ApplySummary, LocationRecord } from './storage/types.js';
import { andFilters, readFilterOf, type FilterNode } from './query/index.js';
import type { RefreshLoop } from './ingestion/index.js';

/** A location as the Backstage API shows it (`{ id, type, target }`) plus Tarmac's status. */
export interface LocationView {
  id: string;
  type: string;
  target: string;
  branch?: string;
  path?: string;
  status: LocationRecord;
}

/** Input to register a location. */
export interface AddLocationInput {
  type: 'file' | 'url' | 'git';
  target: string;
  branch?: string;
  path?: string;
  origin?: string;
  /** Who registers it (`Principal.userRef ?? actor`): the location's owner for permissions. */
  createdBy?: string;
}

/**
 * What the caller may read (`Authorizer.entityReadCondition(principal)`): absent or `null` reads everything.
 * Every entity read ANDs it in, so lists, counts and facets agree, and an unreadable entity looks missing.
 */
export interface ReadScope {
  readCondition?: EntityCondition | null;
}

const restrictOf = (scope: ReadScope | undefined): FilterNode | undefined => readFilterOf(scope?.readCondition)?.filter;

/**
 * The catalog's public functions: what routes, the CLI and other modules call. Thin over storage (reads) and the
 * refresh loop (writes go through ingestion so that every entity in the catalog came from a location).
 */
export class CatalogService {
  constructor(
    private readonly store: CatalogStore,
    private readonly loop: RefreshLoop,
    private readonly logger: Logger,
  ) {}

  /** `by-query`: filter, full text, order, cursor pages. See storage `EntityQuery`. */
  queryEntities(q: EntityQuery, scope?: ReadScope): ReturnType<CatalogStore['queryEntities']> {
    const restrict = restrictOf(scope);
    return this.store.queryEntities(restrict ? { ...q, restrict } : q);
  }

  /** `GET /entities` pages (limit/offset or `after`). */
  listEntities(q: Parameters<CatalogStore['listEntities']>[0], scope?: ReadScope): ReturnType<CatalogStore['listEntities']> {
    return this.store.listEntities({ ...q, filter: andFilters(q.filter, restrictOf(scope)) });
  }

  /** Entities for refs, in request order, `null` for missing or unreadable. Refs are case-insensitive. */
  getEntitiesByRefs(refs: string[], opts?: { fields?: string[]; filter?: FilterNode } & ReadScope): Promise<Array<Entity | null>> {
    const normalized = refs.map((r) => {
      try {
        return stringifyEntityRef(parseEntityRef(r));
      } catch {
        return r.toLowerCase();
      }
    });
    return this.store.getEntitiesByRefs(normalized, {
      fields: opts?.fields,
      filter: andFilters(opts?.filter, restrictOf(opts)),
    });
  }

  /**
   * One entity by kind, namespace and name (case-insensitive).
   * @throws TarmacError NOT_FOUND also when the caller may not read it (the same answer as for a missing entity)
   */
  async getEntityByName(kind: string, namespace: string, name: string, scope?: ReadScope): Promise<Entity> {
    const ref = stringifyEntityRef({ kind, namespace, name });
    const entity = await this.store.getEntityByRef(ref, restrictOf(scope));
    if (!entity) throw notFound(`no entity named ${ref}`);
    return entity;
  }

  /** @throws TarmacError NOT_FOUND also when the caller may not read it */
  async getEntityByUid(uid: string, scope?: ReadScope): Promise<Entity> {
    const entity = await this.store.getEntityByUid(uid, restrictOf(scope));
    if (!entity) throw notFound(`no entity with uid ${uid}`);
    return entity;
  }

  /**
   * Removes an entity. It comes back at the next refresh if its location still emits it (as in Backstage).
   * @throws TarmacError NOT_FOUND
   */
  async deleteEntityByUid(uid: string): Promise<void> {
    if (!(await this.store.deleteEntityByUid(uid))) throw notFound(`no entity with uid ${uid}`);
  }

  /** The YAML document an entity was read from. @throws TarmacError NOT_FOUND (also when the caller may not read it) */
  async getEntitySource(
    kind: string,
    namespace: string,
    name: string,
    scope?: ReadScope,
  ): Promise<{ file: string | null; line: number | null; text: string | null }> {
    const ref = stringifyEntityRef({ kind, namespace, name });
    const source = await this.store.getEntitySource(ref, restrictOf(scope));
    if (!source) throw notFound(`no entity named ${ref}`);
    return source;
  }

  /** Value counts per facet (e.g. `spec.type`), over the entities matching `filter`. */
  getFacets(facets: string[], filter?: FilterNode, scope?: ReadScope): ReturnType<CatalogStore['getFacets']> {
    return this.store.getFacets(facets, andFilters(filter, restrictOf(scope)));
  }

  /** Ranked full-text search over name, title, description, tags and owner (readable entities only). */
  search(q: Parameters<CatalogStore['search']>[0], scope?: ReadScope): ReturnType<CatalogStore['search']> {
    return this.store.search({ ...q, filter: andFilters(q.filter, restrictOf(scope)) });
  }

  /** The catalog generation (see storage): entity reads are cacheable for as long as it stays the same. */
  generation(): Promise<number> {
    return this.store.generation();
  }

  /** Counts for the portal's home page. */
  summary(scope?: ReadScope): ReturnType<CatalogStore['summary']> {
    return this.store.summary(restrictOf(scope));
  }

  /** Ingestion errors in the order they were found, optionally for one location or entity (errors of unreadable entities left out). */
  listErrors(q: Parameters<CatalogStore['listErrors']>[0], scope?: ReadScope): ReturnType<CatalogStore['listErrors']> {
    return this.store.listErrors({ ...q, filter: andFilters(q.filter, restrictOf(scope)) });
  }

  /** Registered locations with their status, paginated. */
  listLocations(opts: { limit: number; offset: number }): ReturnType<CatalogStore['listLocations']> {
    return this.store.listLocations(opts);
  }

  /** @throws TarmacError NOT_FOUND */
  async getLocation(id: string): Promise<LocationView> {
    const location = await this.store.getLocation(id);
    if (!location) throw notFound(`no location with id ${id}`);
    return toView(location);
  }

  /**
   * Registers a location and processes it: synchronously when `wait` (returns the summary), else in the
   * background (poll `getLocation(id).status`).
   * @returns the location, whether it is new, and the summary when waited for
   * @throws TarmacError CONFLICT when it exists and `onConflict` is `reject`
   */
  async addLocation(
    input: AddLocationInput,
    opts: { wait: boolean; onConflict?: 'reject' | 'refresh' } = { wait: true },
  ): Promise<{ location: LocationView; created: boolean; summary?: ApplySummary }> {
    checkLocationInput(input);
    const { location, created } = await this.store.insertLocation({ ...input, origin: input.origin ?? 'api' });
    if (!created && (opts.onConflict ?? 'reject') === 'reject') {
      throw new TarmacError('CONFLICT', `location ${input.type}:${input.target} is already registered`, {
        details: { id: location.id },
      });
    }
    if (!opts.wait) {
      this.loop.refreshNow(location.id).catch((err: unknown) => {
        this.logger.warn('background location refresh failed', { locationId: location.id, err: String(err) });
      });
      return { location: toView(location), created };
    }
    const summary = await this.loop.refreshNow(location.id);
    return { location: await this.getLocation(location.id), created, summary };
  }

  /**
   * Reads a location without storing anything (Backstage `POST /locations?dryRun=true`).
   * @returns the entities it would emit and the errors it has
   */
  async previewLocation(input: AddLocationInput): Promise<{ location: { id: string; type: string; target: string }; entities: Entity[]; errors: unknown[]; exists: boolean }> {
    const existing = await this.store.findLocation(input.type, input.target, input.branch, input.path);
    const result = await this.loop.preview({ type: input.type, target: input.target, branch: input.branch, path: input.path });
    return {
      location: { id: existing?.id ?? '', type: input.type, target: input.target },
      entities: result.entities.map((e) => e.entity),
      errors: result.errors,
      exists: existing !== undefined,
    };
  }

  /** The location registered with exactly this type, target, branch and path, if any. */
  findLocation(input: Pick<AddLocationInput, 'type' | 'target' | 'branch' | 'path'>): Promise<LocationRecord | undefined> {
    return this.store.findLocation(input.type, input.target, input.branch, input.path);
  }

  /** The first `limit` entities a location emitted (for `POST /locations` responses). @throws TarmacError NOT_FOUND */
  async listEntitiesOfLocation(id: string, limit: number, scope?: ReadScope): Promise<Entity[]> {
    await this.getLocation(id);
    return this.store.getEntitiesOfLocation(id, limit, restrictOf(scope));
  }

  /** The location that emitted an entity. @throws TarmacError NOT_FOUND (also for an entity the caller may not read) */
  async getLocationOfEntity(kind: string, namespace: string, name: string, scope?: ReadScope): Promise<LocationView> {
    const ref = stringifyEntityRef({ kind, namespace, name });
    const locationId = await this.store.getEntityLocationId(ref, restrictOf(scope));
    if (!locationId) throw notFound(`no entity named ${ref}`);
    return this.getLocation(locationId);
  }

  /** Unregisters a location and removes every entity it emitted. @throws TarmacError NOT_FOUND */
  async deleteLocation(id: string): Promise<void> {
    if (!(await this.store.deleteLocation(id))) throw notFound(`no location with id ${id}`);
  }

  /** Re-reads one location now. @throws TarmacError NOT_FOUND, CONFLICT when another process holds it */
  async refreshLocation(id: string): Promise<ApplySummary> {
    await this.getLocation(id);
    return this.loop.refreshNow(id);
  }

  /**
   * Re-reads the location that emitted `entityRef` (Backstage `POST /refresh`).
   * @throws TarmacError NOT_FOUND when the entity does not exist
   */
  async refreshEntity(entityRef: string): Promise<void> {
    const ref = stringifyEntityRef(parseEntityRef(entityRef));
    const locationId = await this.store.getEntityLocationId(ref);
    if (!locationId) throw notFound(`no entity named ${ref}`);
    await this.loop.refreshNow(locationId);
  }

  /**
   * Validates an entity without storing it (Backstage `POST /validate-entity`).
   * @throws TarmacError VALIDATION_FAILED with `details: [{ path, message }]`
   */
  validateEntity(entity: unknown): Entity {
    const result = validateEntity(entity);
    if (result.ok) return result.entity;
    const text = result.issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    throw new TarmacError('VALIDATION_FAILED', `invalid entity: ${text}`, { details: result.issues });
  }

  /**
   * Makes the registered locations with origin `config` match `wanted` (config file, `--location` flags, demo):
   * adds new ones, removes ones no longer configured. Locations added through the API are untouched.
   * @returns ids of the configured locations
   */
  async syncConfiguredLocations(wanted: readonly LocationConfig[]): Promise<string[]> {
    const ids: string[] = [];
    for (const l of wanted) {
      const { location, created } = await this.store.insertLocation({ ...l, origin: 'config' });
      // Files may have changed while Tarmac was stopped: re-read configured locations at every start.
      if (!created) await this.store.scheduleRefresh(location.id);
      ids.push(location.id);
    }
    const removed = await this.store.deleteLocationsByOriginExcept('config', ids);
    if (removed > 0) this.logger.info('removed locations no longer configured', { removed });
    return ids;
  }
}

/**
 * Rejects location targets that can never be read: a `url` that is not http(s), a `file` path that is not absolute.
 * @throws TarmacError BAD_REQUEST
 */
function checkLocationInput(input: AddLocationInput): void {
  if (input.type === 'url') {
    let url: URL | undefined;
    try {
      url = new URL(input.target);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) {
      throw new TarmacError('BAD_REQUEST', `url location target must be an http(s) URL, got "${input.target}"`);
    }
  }
  if (input.type === 'file' && !path.isAbsolute(input.target)) {
    throw new TarmacError('BAD_REQUEST', `file location target must be an absolute path, got "${input.target}"`);
  }
}

function toView(l: LocationRecord): LocationView {
  return {
    id: l.id,
    type: l.type,
    target: l.target,
    ...(l.branch ? { branch: l.branch } : {}),
    ...(l.path ? { path: l.path } : {}),
    status: l,
  };
}
