import type { Migration } from '../../core/db/index.js';

/**
 * The catalog's tables. Only `src/catalog/storage/` reads or writes them.
 * - `catalog_locations`: registered (root) locations, their refresh schedule, lease and last result.
 * - `catalog_entities`: one row per entity ref; `entity` is the processed entity without relations/status;
 *   `kind`, `namespace`, `name` are the lowercase parts of `entity_ref` (filters on them use these columns);
 *   `search_keys` holds lowercase `path=value` and `path` strings behind the Backstage filter syntax (GIN) for
 *   every other field; `search_doc` the weighted full-text vector (name/title A, tags/owner B, description C).
 * - Refs and sort keys use the "C" collation: byte order, the same on every server and in PGlite, so keyset
 *   pagination and returned orders do not depend on the server's locale.
 * - `catalog_relations`: every relation of the catalog, each inverse pair stored ONCE, in its canonical direction
 *   (the first type of each pair: ownedBy, partOf, providesApi, consumesApi, dependsOn, parentOf, memberOf):
 *   `(A, ownedBy, G)` also stands for `(G, ownerOf, A)`. `origin_ref` is the entity whose spec produced the row
 *   (always its source or its target). Two indexes serve both directions; deletes by origin go through them.
 * - `catalog_errors`: ingestion problems per location, shown until the next successful read fixes them.
 * - `catalog_state`: a generation counter bumped by every write (cache key for counts).
 */
export const catalogMigrations: readonly Migration[] = [
  {
    id: 'catalog/001_init',
    sql: `
CREATE TABLE catalog_locations (
  id text PRIMARY KEY,
  type text NOT NULL,
  target text NOT NULL,
  branch text NOT NULL DEFAULT '',
  path text NOT NULL DEFAULT '',
  origin text NOT NULL DEFAULT 'api',
  created_at timestamptz NOT NULL DEFAULT now(),
  next_refresh_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz,
  last_started_at timestamptz,
  last_finished_at timestamptz,
  last_status text NOT NULL DEFAULT 'pending',
  last_summary jsonb,
  progress jsonb,
  UNIQUE (type, target, branch, path)
);
CREATE INDEX catalog_locations_due ON catalog_locations (next_refresh_at);

CREATE TABLE catalog_entities (
  entity_ref text COLLATE "C" PRIMARY KEY,
  uid text NOT NULL UNIQUE,
  etag text NOT NULL,
  location_id text NOT NULL REFERENCES catalog_locations(id) ON DELETE CASCADE,
  kind text COLLATE "C" NOT NULL,
  namespace text COLLATE "C" NOT NULL,
  name text COLLATE "C" NOT NULL,
  hash text NOT NULL,
  entity jsonb NOT NULL,
  source_file text,
  source_line integer,
  source_text text,
  search_keys text[] COLLATE "C" NOT NULL,
  search_doc tsvector NOT NULL,
  sort_name text COLLATE "C" NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_entities_location ON catalog_entities (location_id);
CREATE INDEX catalog_entities_search_keys ON catalog_entities USING gin (search_keys);
CREATE INDEX catalog_entities_search_doc ON catalog_entities USING gin (search_doc);
CREATE INDEX catalog_entities_sort_name ON catalog_entities (sort_name, entity_ref);
CREATE INDEX catalog_entities_kind ON catalog_entities (kind, entity_ref);
CREATE INDEX catalog_entities_kind_name ON catalog_entities (kind, sort_name, entity_ref);

CREATE TABLE catalog_relations (
  source_ref text COLLATE "C" NOT NULL,
  type text COLLATE "C" NOT NULL,
  target_ref text COLLATE "C" NOT NULL,
  origin_ref text COLLATE "C" NOT NULL
);
CREATE INDEX catalog_relations_source ON catalog_relations (source_ref, type, target_ref);
CREATE INDEX catalog_relations_target ON catalog_relations (target_ref, type, source_ref);

CREATE TABLE catalog_errors (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  location_id text NOT NULL REFERENCES catalog_locations(id) ON DELETE CASCADE,
  entity_ref text COLLATE "C",
  source_file text,
  line integer,
  col integer,
  field_path text,
  code text NOT NULL,
  message text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_errors_location ON catalog_errors (location_id);
CREATE INDEX catalog_errors_entity ON catalog_errors (entity_ref);

CREATE TABLE catalog_state (
  id integer PRIMARY KEY CHECK (id = 1),
  generation bigint NOT NULL
);
INSERT INTO catalog_state (id, generation) VALUES (1, 0);
`,
  },
  {
    // Permissions: a location's owner is the principal that registered it (issue "Trust" › Permissions).
    id: 'catalog/002_location_created_by',
    sql: `ALTER TABLE catalog_locations ADD COLUMN created_by text;`,
  },
];
