import type { Migration } from '../../core/db/index.js';

/**
 * Template version tables. Only src/scaffolder/versions/ reads or writes them.
 * - `scaffolder_template_versions`: one row per (template, version); `number` counts per template from 1.
 * - `scaffolder_template_files`: the files of a version (path → blob sha256).
 * - `scaffolder_blobs`: file contents by sha256 (base64 text, so both drivers carry them the same way);
 *   shared across versions, so a new version only stores the files that changed.
 */
export const versionMigrations: readonly Migration[] = [
  {
    id: 'scaffolder_versions/001_init',
    sql: `
CREATE TABLE scaffolder_blobs (
  sha256 text PRIMARY KEY,
  size integer NOT NULL,
  content_base64 text NOT NULL
);

CREATE TABLE scaffolder_template_versions (
  template_ref text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  number integer NOT NULL,
  source text NOT NULL,
  content_hash text NOT NULL,
  entity jsonb NOT NULL,
  file_count integer NOT NULL,
  total_bytes bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (template_ref, version),
  UNIQUE (template_ref, number)
);
CREATE INDEX scaffolder_template_versions_hash ON scaffolder_template_versions (template_ref, content_hash);

CREATE TABLE scaffolder_template_files (
  template_ref text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  path text COLLATE "C" NOT NULL,
  sha256 text NOT NULL REFERENCES scaffolder_blobs(sha256),
  PRIMARY KEY (template_ref, version, path),
  FOREIGN KEY (template_ref, version) REFERENCES scaffolder_template_versions(template_ref, version) ON DELETE CASCADE
);
`,
  },
];
