import type { Database } from '../../core/db/index.js';
import type { RunLogEvent } from '../types.js';

/** Run statuses (Backstage `TaskStatus` without `skipped`). */
export type TaskStatus = 'open' | 'processing' | 'completed' | 'failed' | 'cancelled';

/** One step of a run as stored in `scaffolder_tasks.steps`. Times are ISO strings. */
export interface TaskStep {
  id: string;
  name?: string;
  action: string;
  status: 'open' | 'processing' | 'completed' | 'failed' | 'skipped' | 'cancelled';
  startedAt?: string;
  finishedAt?: string;
}

/** A stored run. `values` has secret fields masked; times are ISO strings. */
export interface TaskRow {
  id: string;
  templateRef: string;
  templateVersion: string;
  createdBy: string;
  userRef?: string;
  /** Who owns the run for `task.read` / `task.cancel`: the runner's user ref, else its actor. */
  ownerRef: string;
  values: Record<string, unknown>;
  status: TaskStatus;
  steps: TaskStep[];
  output?: Record<string, unknown>;
  error?: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  lastHeartbeatAt?: string;
  processId?: string;
}

/** A stored log event: `body` is a `RunLogEvent` (completion events carry `output`/`error` too). */
export interface TaskEventRow {
  id: number;
  taskId: string;
  type: 'log' | 'completion';
  createdAt: string;
  body: RunLogEvent & { output?: unknown; error?: string };
}

type Raw = Record<string, unknown>;
const iso = (v: unknown): string | undefined => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : undefined);
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

function toTask(r: Raw): TaskRow {
  return {
    id: r.id as string,
    templateRef: r.template_ref as string,
    templateVersion: r.template_version as string,
    createdBy: r.created_by as string,
    userRef: (r.user_ref as string | null) ?? undefined,
    ownerRef: r.owner_ref as string,
    values: json(r.values),
    status: r.status as TaskStatus,
    steps: json(r.steps),
    output: r.output == null ? undefined : json(r.output),
    error: (r.error as string | null) ?? undefined,
    createdAt: iso(r.created_at) ?? '',
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
    lastHeartbeatAt: iso(r.last_heartbeat_at),
    processId: (r.process_id as string | null) ?? undefined,
  };
}

/** SQL for runs and their logs (`scaffolder_tasks`, `scaffolder_task_events`). */
export function createTaskStore(db: Database) {
  return {
    /** Inserts a new run with status `open`, owned (heartbeat) by `processId`. */
    async insert(t: Pick<TaskRow, 'id' | 'templateRef' | 'templateVersion' | 'createdBy' | 'userRef' | 'ownerRef' | 'values' | 'steps'> & { processId: string }): Promise<void> {
      await db.query(
        `INSERT INTO scaffolder_tasks (id, template_ref, template_version, created_by, user_ref, owner_ref, "values", status, steps, process_id, last_heartbeat_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'open', $8::jsonb, $9, now())`,
        [t.id, t.templateRef, t.templateVersion, t.createdBy, t.userRef ?? null, t.ownerRef, JSON.stringify(t.values), JSON.stringify(t.steps), t.processId],
      );
    },

    /** @returns the run, or undefined */
    async get(id: string): Promise<TaskRow | undefined> {
      const rows = await db.query('SELECT * FROM scaffolder_tasks WHERE id = $1', [id]);
      return rows[0] ? toTask(rows[0]) : undefined;
    },

    /** Only the run's status (no JSON columns read): what a waiting event stream polls. @returns undefined when gone */
    async status(id: string): Promise<TaskStatus | undefined> {
      const rows = await db.query<{ status: TaskStatus }>('SELECT status FROM scaffolder_tasks WHERE id = $1', [id]);
      return rows[0]?.status;
    },

    /** Runs newest first, filtered by creator (actor or user ref) and status. */
    async list(q: { createdBy?: string; status?: TaskStatus; limit: number; offset: number }): Promise<{ tasks: TaskRow[]; total: number }> {
      const where: string[] = [];
      const params: unknown[] = [];
      if (q.createdBy) {
        params.push(q.createdBy.toLowerCase());
        where.push(`(lower(created_by) = $${params.length} OR lower(user_ref) = $${params.length})`);
      }
      if (q.status) {
        params.push(q.status);
        where.push(`status = $${params.length}`);
      }
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
      const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM scaffolder_tasks ${clause}`, params);
      const rows = await db.query(
        `SELECT * FROM scaffolder_tasks ${clause} ORDER BY created_at DESC, id LIMIT ${q.limit} OFFSET ${q.offset}`,
        params,
      );
      return { tasks: rows.map(toTask), total: count[0]?.n ?? 0 };
    },

    /** Sets the status `processing` and `started_at` (only from `open`). @returns false when no longer open */
    async markStarted(id: string): Promise<boolean> {
      const rows = await db.query(
        `UPDATE scaffolder_tasks SET status = 'processing', started_at = now(), last_heartbeat_at = now()
         WHERE id = $1 AND status = 'open' RETURNING id`,
        [id],
      );
      return rows.length === 1;
    },

    /** Stores the step list (after each step status change). */
    async updateSteps(id: string, steps: TaskStep[]): Promise<void> {
      await db.query('UPDATE scaffolder_tasks SET steps = $2::jsonb WHERE id = $1', [id, JSON.stringify(steps)]);
    },

    /**
     * Ends a run: final status, output or error, `finished_at` — and, when given, appends its completion event in the
     * same transaction, so a reader never sees a finished run without its completion event.
     */
    async finish(id: string, r: { status: TaskStatus; steps?: TaskStep[]; output?: unknown; error?: string }, completion?: TaskEventRow['body']): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.query(
          `UPDATE scaffolder_tasks SET status = $2, steps = COALESCE($3::jsonb, steps), output = $4::jsonb, error = $5, finished_at = now()
           WHERE id = $1`,
          [id, r.status, r.steps ? JSON.stringify(r.steps) : null, r.output === undefined ? null : JSON.stringify(r.output), r.error ?? null],
        );
        if (completion) {
          await tx.query("INSERT INTO scaffolder_task_events (task_id, type, body) VALUES ($1, 'completion', $2::jsonb)", [id, JSON.stringify(completion)]);
        }
      });
    },

    /** Asks the owning process to cancel the run (seen at its next heartbeat). */
    async requestCancel(id: string): Promise<void> {
      await db.query('UPDATE scaffolder_tasks SET cancel_requested = true WHERE id = $1', [id]);
    },

    /** Heartbeat of every unfinished run of this process. @returns ids whose cancel was requested */
    async heartbeat(processId: string): Promise<string[]> {
      const rows = await db.query<{ id: string; cancel_requested: boolean }>(
        `UPDATE scaffolder_tasks SET last_heartbeat_at = now()
         WHERE process_id = $1 AND status IN ('open', 'processing') RETURNING id, cancel_requested`,
        [processId],
      );
      return rows.filter((r) => r.cancel_requested).map((r) => r.id);
    },

    /**
     * Fails unfinished runs whose process is gone: a heartbeat older than `staleSeconds`, or one written by an
     * earlier life of this host and pid (`processPrefix`, e.g. `host:1234:`), but never this process's own runs.
     * @returns the ids marked failed
     */
    async failAbandoned(o: { processId: string; processPrefix: string; staleSeconds: number; reason: string }): Promise<string[]> {
      // one statement: the runs are failed and get their completion events together
      const completion = { createdAt: new Date().toISOString(), level: 'error', message: `Run completed with status: failed (${o.reason})`, error: o.reason };
      const rows = await db.query<{ task_id: string }>(
        `WITH failed AS (
           UPDATE scaffolder_tasks SET status = 'failed', error = $4, finished_at = now()
           WHERE status IN ('open', 'processing') AND process_id IS DISTINCT FROM $1
             AND (last_heartbeat_at IS NULL OR last_heartbeat_at < now() - ($3 || ' seconds')::interval
                  OR process_id LIKE $2 || '%')
           RETURNING id)
         INSERT INTO scaffolder_task_events (task_id, type, body) SELECT id, 'completion', $5::jsonb FROM failed RETURNING task_id`,
        [o.processId, o.processPrefix, String(o.staleSeconds), o.reason, JSON.stringify(completion)],
      );
      return rows.map((r) => r.task_id);
    },

    /** Appends a log event. @returns its id and time */
    async appendEvent(taskId: string, type: 'log' | 'completion', body: TaskEventRow['body']): Promise<TaskEventRow> {
      const rows = await db.query<{ id: number; created_at: unknown }>(
        'INSERT INTO scaffolder_task_events (task_id, type, body) VALUES ($1, $2, $3::jsonb) RETURNING id, created_at',
        [taskId, type, JSON.stringify(body)],
      );
      const row = rows[0] as { id: number; created_at: unknown };
      return { id: Number(row.id), taskId, type, createdAt: iso(row.created_at) ?? '', body };
    },

    /** Events of a run with id > `after`, oldest first, at most `limit`. */
    async events(taskId: string, after: number, limit = 1000): Promise<TaskEventRow[]> {
      const rows = await db.query(
        `SELECT id, task_id, type, created_at, body FROM scaffolder_task_events WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT ${limit}`,
        [taskId, after],
      );
      return rows.map((r) => ({
        id: Number(r.id),
        taskId: r.task_id as string,
        type: r.type as 'log' | 'completion',
        createdAt: iso(r.created_at) ?? '',
        body: json(r.body),
      }));
    },
  };
}

/** The run store (see `createTaskStore`). */
export type TaskStore = ReturnType<typeof createTaskStore>;
