import type { Migration } from '../../core/db/index.js';

/**
 * The catalog's tables. Only `src/catalog/storage/` reads or writes them.
 * - `catalog_locations`: registered (root) locations, their refresh schedule, lease and last result.
 * - `catalog_entities`: one row per entity ref; `entity` is the processed entity without relations/status;
 *   `search_keys` holds lowercase `path=value` and `path` strings behind the Backstage filter syntax (GIN);
 *   `search_doc` the weighted full-text vector (name/title A, tags/owner B, description C).
 * - `catalog_relations`: both directions of every relation, tagged with the entity whose spec produced it.
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
  entity_ref text PRIMARY KEY,
  uid text NOT NULL UNIQUE,
  etag text NOT NULL,
  location_id text NOT NULL REFERENCES catalog_locations(id) ON DELETE CASCADE,
  kind text NOT NULL,
  namespace text NOT NULL,
  name text NOT NULL,
  hash text NOT NULL,
  entity jsonb NOT NULL,
  source_file text,
  source_line integer,
  source_text text,
  search_keys text[] NOT NULL,
  search_doc tsvector NOT NULL,
  sort_name text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX catalog_entities_location ON catalog_entities (location_id);
CREATE INDEX catalog_entities_search_keys ON catalog_entities USING gin (search_keys);
CREATE INDEX catalog_entities_search_doc ON catalog_entities USING gin (search_doc);
CREATE INDEX catalog_entities_sort_name ON catalog_entities (sort_name, entity_ref);
CREATE INDEX catalog_entities_kind ON catalog_entities (kind, entity_ref);

CREATE TABLE catalog_relations (
  source_ref text NOT NULL,
  type text NOT NULL,
  target_ref text NOT NULL,
  origin_ref text NOT NULL
);
CREATE INDEX catalog_relations_source ON catalog_relations (source_ref);
CREATE INDEX catalog_relations_target ON catalog_relations (type, target_ref);
CREATE INDEX catalog_relations_origin ON catalog_relations (origin_ref);

CREATE TABLE catalog_errors (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  location_id text NOT NULL REFERENCES catalog_locations(id) ON DELETE CASCADE,
  entity_ref text,
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
];
