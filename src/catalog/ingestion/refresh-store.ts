import type { Entity } from '../model/entity.js';
import { ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION } from '../model/entity.js';
import type { FilterNode } from '../query/index.js';
import type { EntityQuery } from '../storage/entities-read.js';
import type { ApplySummary, LocationReadResult, LocationReadStream, LocationRecord } from '../storage/types.js';

/**
 * The part of storage's `CatalogStore` the refresh loop uses (structurally; pass the `CatalogStore`).
 * Leases: `claim*` give `owner` the location for `leaseMs`; `applyLocationResult` throws TarmacError CONFLICT when
 * the lease was lost; `releaseLocation` is a no-op for a lost lease.
 */
export interface RefreshStore {
  getLocation(id: string): Promise<LocationRecord | undefined>;
  listLocations(opts: { limit: number; offset: number }): Promise<{ items: LocationRecord[]; totalItems: number }>;
  claimDueLocation(owner: string, leaseMs: number): Promise<LocationRecord | undefined>;
  claimLocation(id: string, owner: string, leaseMs: number): Promise<LocationRecord | undefined>;
  setProgress(id: string, owner: string, progress: { phase: string; done: number; total: number | null }): Promise<void>;
  applyLocationResult(locationId: string, owner: string, result: LocationReadResult | LocationReadStream): Promise<ApplySummary>;
  releaseLocation(
    id: string,
    owner: string,
    outcome: { status: 'ok' | 'failed'; summary?: ApplySummary & { durationMs: number }; nextRefreshAt: Date; progress?: null },
  ): Promise<void>;
  queryEntities(q: EntityQuery): Promise<{ items: Entity[]; pageInfo: { nextCursor?: string } }>;
}

/** An equality filter node; search keys are stored lowercase (storage/search-keys.ts), so both sides are too. */
const eq = (path: string, value: string): FilterNode => ({ op: 'in', path: path.toLowerCase(), values: [value.toLowerCase()] });

/**
 * The Location entities this root location (`origin`, `<type>:<target>`) stored, by the file they came from
 * (`managed-by-location`, lowercased, as search keys compare them): used to follow the targets of a file that fails this time (see process-location.ts
 * `previousEntities`). Fetched before the read, so that the read never waits for the database while the apply
 * transaction is open (read-stream.ts).
 */
export async function previousLocationEntities(store: RefreshStore, origin: string): Promise<Map<string, Entity[]>> {
  const byFile = new Map<string, Entity[]>();
  let cursor: string | undefined;
  do {
    const page = await store.queryEntities({
      ...(cursor
        ? { cursor }
        : { filter: { op: 'all', nodes: [eq('kind', 'location'), eq(`metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`, origin)] } }),
      limit: 1000,
      totalItems: false,
    });
    for (const e of page.items) {
      const file = e.metadata?.annotations?.[ANNOTATION_LOCATION];
      if (file) byFile.set(file.toLowerCase(), [...(byFile.get(file.toLowerCase()) ?? []), e]);
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return byFile;
}

/**
 * Every file (`managed-by-location`) the entities of this root location were read from, page by page. Used when
 * nothing of a root could be read, so that storage keeps all of its entities.
 */
export async function previousSourceFiles(store: RefreshStore, origin: string): Promise<string[]> {
  const files = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.queryEntities({
      ...(cursor ? { cursor } : { filter: eq(`metadata.annotations.${ANNOTATION_ORIGIN_LOCATION}`, origin) }),
      fields: ['metadata.annotations'],
      limit: 5000,
      totalItems: false,
    });
    for (const e of page.items) {
      const file = e.metadata?.annotations?.[ANNOTATION_LOCATION];
      if (file) files.add(file);
    }
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return [...files];
}
