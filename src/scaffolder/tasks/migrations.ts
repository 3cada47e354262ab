import type { Migration } from '../../core/db/index.js';

/**
 * The run tables. Only `src/scaffolder/tasks/` reads or writes them.
 * - `scaffolder_tasks`: one row per run (Backstage "task"): who ran what template version with which values (secret
 *   fields masked), the status, each step's status and timing, the output or error, and the owning process with its
 *   heartbeat (used at start to find runs a stopped process left behind).
 * - `scaffolder_task_events`: the run log, in order (`id` is the SSE event id and the `after` cursor); `body` is a
 *   `RunLogEvent` (message, stepId, level, status) plus `type` `log` | `completion`.
 */
export const taskMigrations: readonly Migration[] = [
  {
    id: 'scaffolder_tasks/001_init',
    sql: `
CREATE TABLE scaffolder_tasks (
  id text PRIMARY KEY,
  template_ref text NOT NULL,
  template_version text NOT NULL DEFAULT '',
  created_by text NOT NULL,
  user_ref text,
  owner_ref text NOT NULL,
  "values" jsonb NOT NULL,
  status text NOT NULL,
  steps jsonb NOT NULL,
  output jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  last_heartbeat_at timestamptz,
  process_id text,
  cancel_requested boolean NOT NULL DEFAULT false
);
CREATE INDEX scaffolder_tasks_created ON scaffolder_tasks (created_at DESC, id);
CREATE INDEX scaffolder_tasks_status ON scaffolder_tasks (status);
CREATE TABLE scaffolder_task_events (
  id bigserial PRIMARY KEY,
  task_id text NOT NULL REFERENCES scaffolder_tasks (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  type text NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX scaffolder_task_events_task ON scaffolder_task_events (task_id, id);
`,
  },
];
