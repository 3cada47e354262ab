/**
 * Shapes of Tarmac's catalog HTTP API as the portal reads them (docs/catalog-design.md, "HTTP API used by the
 * portal"; Backstage's catalog API for the `/entities…` routes). Only the parts the portal uses are typed.
 */
import type { ErrorItem, LocationRecord } from '../../src/catalog/index.js';

/** An entity as the catalog returns it (only the parts the portal reads are typed). */
export interface Entity {
  apiVersion?: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    tags?: string[];
    links?: { url: string; title?: string; icon?: string; type?: string }[];
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
    uid?: string;
  };
  spec?: Record<string, unknown>;
  relations?: { type: string; targetRef: string }[];
  status?: { items: { level: string; message: string; type?: string }[] };
}

/** `GET /summary`. */
export interface CatalogSummary {
  totalEntities: number;
  countsByKind: { kind: string; count: number }[];
  entitiesWithErrors: number;
  errorCount: number;
  locationCount: number;
  unresolvedRelations: number;
}

/** One page of `GET /entities/by-query` (Backstage `QueryEntitiesResponse`). */
export interface EntityPage {
  items: Entity[];
  totalItems: number;
  pageInfo: { nextCursor?: string; prevCursor?: string };
}

/** One stored ingestion problem (`GET /errors`), as the server defines it. `line`/`col` are 1-based. */
export type CatalogError = ErrorItem;

/** A registered location with its last refresh (`GET /location-status`), as the server defines it. */
export type LocationStatus = LocationRecord & { entityCount: number; errorCount: number };

/** One ranked hit of `GET /search`. */
export interface SearchHit {
  entityRef: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string | null;
  description?: string | null;
  owner?: string | null;
  rank: number;
}

/** A `{items, totalItems}` list paged by `limit`/`offset`. */
export interface OffsetPage<T> {
  items: T[];
  totalItems: number;
}

/** What `by-refs` returns for each requested ref, in order; `null` when the ref is not in the catalog. */
export type RefLookup = (Entity | null)[];
