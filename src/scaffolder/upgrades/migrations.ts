import type { Migration } from '../../core/db/index.js';

/**
 * The scaffolded-repository table. Only src/scaffolder/upgrades/ reads or writes it.
 * `repo_url` (the RepoUrlPicker value) identifies a repository; `version` is the template version last seen on
 * its default branch; `last_upgrade` the outcome of the last upgrade attempt (`UpgradeSummary`).
 */
export const repositoryMigrations: readonly Migration[] = [
  {
    id: 'scaffolder_repositories/001_init',
    sql: `
CREATE TABLE scaffolder_repositories (
  repo_url text COLLATE "C" PRIMARY KEY,
  template_ref text COLLATE "C" NOT NULL,
  version text COLLATE "C" NOT NULL,
  remote_url text NOT NULL,
  publisher text NOT NULL,
  component_ref text COLLATE "C",
  task_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_upgrade jsonb
);
CREATE INDEX scaffolder_repositories_template ON scaffolder_repositories (template_ref, repo_url);
CREATE INDEX scaffolder_repositories_component ON scaffolder_repositories (component_ref);
`,
  },
];
