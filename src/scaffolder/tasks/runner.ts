import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import type { AuditRecorder, EntityLike } from '../../core/auth.js';
import { errorMessage, TarmacError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { ScaffolderConfig } from '../../core/config-sections.js';
import { resolveInside } from '../actions/workspace.js';
import { executeTemplate, type ActionRegistry, type ExecuteResult } from '../engine/index.js';
import type { RunLogEvent, TemplateStep } from '../types.js';
import type { TemplateSource } from './template-source.js';
import type { TaskStep, TaskStore } from './store.js';
import type { EventLog } from './events.js';
import { secretFieldNames, secretRedactor, withoutSecrets } from './secrets.js';

/** Seconds between heartbeats of this process's unfinished runs. */
export const HEARTBEAT_SECONDS = 5;
/** A run whose heartbeat is older than this (s) belongs to a process that is gone. */
export const STALE_SECONDS = 30;
/** The reason given to runs a stopped process left behind. */
export const INTERRUPTED = 'interrupted: Tarmac stopped while this run was in progress';

/** What the runner calls around a run (H7's origin file, version and repository records). */
export interface RunHooks {
  /** Writes `.tarmac/template.json` into `dir` (before each publish:* step). */
  writeOrigin(dir: string, origin: { templateRef: string; version: string; values: Record<string, unknown>; createdAt: string }): Promise<void>;
  /** Records a repository a successful run published. */
  recordRepository(r: { templateRef: string; version: string; repoUrl: string; remoteUrl: string; publisher: string; componentRef?: string; taskId: string }): Promise<void>;
}

/** One run to start. Secrets live only here, in memory, for the run. */
export interface RunRequest {
  id: string;
  template: TemplateSource;
  version: string;
  values: Record<string, unknown>;
  secrets: Record<string, string>;
  user: { ref?: string; entity?: EntityLike };
  /** For the audit record. */
  actor: string;
  requestId?: string;
  ip?: string;
}

/** Actions that create a repository: the origin file goes into what they publish, and the repository is recorded. */
const PUBLISHERS = /^publish:(git|github|gitlab)$/;

/** Why a run was aborted: a cancel request, its time limit, or Tarmac stopping. */
type StopReason = 'cancelled' | 'timeout' | 'interrupted';

/** Initial step list of a template (Backstage names unnamed steps `step-<n>`, 1-based here as in the engine). */
export function initialSteps(steps: TemplateStep[]): TaskStep[] {
  return steps.map((s, i) => ({ id: s.id ?? `step-${i + 1}`, name: s.name, action: s.action, status: 'open' }));
}

/**
 * The run queue of this process: at most `maxConcurrentRuns` runs execute at once (p-limit), each bounded by
 * `runTimeoutSeconds`, cancellable, with a heartbeat every HEARTBEAT_SECONDS. Runs persist in `scaffolder_tasks`,
 * their logs in `scaffolder_task_events`. Spec: issue 3 "Runs".
 */
export function createTaskRunner(o: {
  store: TaskStore;
  events: EventLog;
  logger: Logger;
  config: ScaffolderConfig;
  dataDir: string;
  registry: ActionRegistry;
  audit: AuditRecorder;
  hooks: RunHooks;
}) {
  const processPrefix = `${os.hostname()}:${process.pid}:`;
  const processId = `${processPrefix}${randomBytes(4).toString('hex')}`;
  const limit = pLimit(o.config.maxConcurrentRuns);
  const running = new Map<string, { controller: AbortController; reason?: StopReason }>();
  const inFlight = new Set<Promise<void>>();
  let heartbeat: NodeJS.Timeout | undefined;
  const workspaceOf = (id: string) => path.resolve(o.dataDir, 'scaffolder', 'workspaces', id);

  function log(taskId: string, type: 'log' | 'completion', body: RunLogEvent & { output?: unknown; error?: string }): Promise<void> {
    return o.events.enqueue(taskId, () => o.store.appendEvent(taskId, type, body), (err) =>
      o.logger.warn('could not store a run event', { taskId, err: errorMessage(err) }),
    );
  }

  /** Ends a run and appends its completion event atomically, after the run's earlier events. */
  function complete(taskId: string, r: Parameters<TaskStore['finish']>[1], body: RunLogEvent & { output?: unknown; error?: string }): Promise<void> {
    return o.events.enqueue(taskId, () => o.store.finish(taskId, r, body), (err) =>
      o.logger.warn('could not store the end of a run', { taskId, err: errorMessage(err) }),
    );
  }

  async function execute(req: RunRequest, state: { controller: AbortController; reason?: StopReason }): Promise<void> {
    const { id, template } = req;
    const secretNames = secretFieldNames(template.entity);
    const redact = secretRedactor(req.values, secretNames, req.secrets);
    const steps = initialSteps(template.entity.spec.steps);
    const workspacePath = workspaceOf(id);
    const timer = setTimeout(() => {
      state.reason = 'timeout';
      state.controller.abort(new TarmacError('UPSTREAM_FAILED', `timed out after ${o.config.runTimeoutSeconds} s`));
    }, o.config.runTimeoutSeconds * 1000);
    let result: ExecuteResult | undefined;
    const publishedRepoUrls = new Map<string, string>(); // step id → rendered repoUrl input
    let failure: string | undefined;
    try {
      await mkdir(workspacePath, { recursive: true });
      await log(id, 'log', { createdAt: new Date().toISOString(), level: 'info', message: `Starting run of ${template.ref} (version ${req.version})` });
      result = await executeTemplate({
        template: template.entity,
        templateRef: template.ref,
        version: req.version,
        files: template.files,
        values: req.values,
        secrets: req.secrets,
        user: req.user,
        workspacePath,
        isDryRun: false,
        registry: o.registry,
        signal: state.controller.signal,
        limits: { maxFiles: o.config.maxFiles, maxTotalBytes: o.config.maxTotalBytes },
        onLog: (event) => {
          const step = event.stepId ? steps.find((s) => s.id === event.stepId) : undefined;
          if (step && event.status) {
            step.status = event.status;
            if (event.status === 'processing') step.startedAt = event.createdAt;
            else step.finishedAt = event.createdAt;
            const snapshot = steps.map((s) => ({ ...s }));
            void o.events.enqueue(id, () => o.store.updateSteps(id, snapshot), () => undefined);
          }
          void log(id, 'log', { ...event, message: redact(event.message) });
        },
        beforeStep: async (step, input) => {
          if (!PUBLISHERS.test(step.action)) return;
          if (typeof input.repoUrl === 'string') publishedRepoUrls.set(step.id, input.repoUrl);
          let dir: string;
          try {
            dir = resolveInside(workspacePath, typeof input.sourcePath === 'string' ? input.sourcePath : undefined, 'sourcePath');
          } catch {
            return; // the action refuses it, with the same rule
          }
          await o.hooks.writeOrigin(dir, {
            templateRef: template.ref,
            version: req.version,
            values: withoutSecrets(req.values, secretNames),
            createdAt: new Date().toISOString(),
          });
        },
      });
    } catch (err) {
      failure =
        state.reason === 'timeout'
          ? `timed out after ${o.config.runTimeoutSeconds} s`
          : state.reason === 'interrupted'
            ? INTERRUPTED
            : redact(errorMessage(err));
    } finally {
      clearTimeout(timer);
    }
    const status = state.reason === 'cancelled' ? 'cancelled' : failure === undefined ? 'completed' : 'failed';
    const finalSteps = result ? mergeSteps(steps, result) : steps.map((s) => (s.status === 'processing' || s.status === 'open' ? { ...s, status: status === 'cancelled' ? 'cancelled' as const : s.status } : s));
    let repo: string | undefined;
    if (result && status === 'completed') repo = await recordRepository(req, result, publishedRepoUrls).catch((err: unknown) => {
      o.logger.warn('could not record the scaffolded repository', { taskId: id, err: errorMessage(err) });
      return undefined;
    });
    const output = result?.output;
    // the workspace goes before the run is marked finished, so a finished run never has one
    await rm(workspacePath, { recursive: true, force: true }).catch(() => undefined);
    await complete(id, { status, steps: finalSteps, output, error: status === 'cancelled' ? 'cancelled' : failure }, {
      createdAt: new Date().toISOString(),
      level: status === 'completed' ? 'info' : 'error',
      message: `Run completed with status: ${status}${failure && status === 'failed' ? ` (${failure})` : ''}`,
      ...(output ? { output } : {}),
      ...(failure && status === 'failed' ? { error: failure } : {}),
    });
    await o.audit.record({
      actor: req.actor,
      action: 'template.run',
      resource: template.ref,
      outcome: status === 'completed' ? 'success' : 'failure',
      requestId: req.requestId,
      ip: req.ip,
      summary: { templateRef: template.ref, version: req.version, taskId: id, status, ...(repo ? { repo } : {}) },
    });
  }

  async function recordRepository(req: RunRequest, result: ExecuteResult, repoUrls: Map<string, string>): Promise<string | undefined> {
    const publish = result.steps.find((s) => PUBLISHERS.test(s.action) && s.status === 'completed');
    if (!publish) return undefined;
    const remoteUrl = String(publish.output.remoteUrl ?? '');
    const register = result.steps.find((s) => s.action === 'catalog:register' && s.status === 'completed');
    const repoUrl = repoUrls.get(publish.id) ?? remoteUrl;
    await o.hooks.recordRepository({
      templateRef: req.template.ref,
      version: req.version,
      repoUrl,
      remoteUrl,
      publisher: publish.action.slice('publish:'.length),
      componentRef: typeof register?.output.entityRef === 'string' ? register.output.entityRef : undefined,
      taskId: req.id,
    });
    return remoteUrl;
  }

  async function run(req: RunRequest): Promise<void> {
    const state = running.get(req.id);
    if (!state) return;
    try {
      if (state.controller.signal.aborted) {
        // queued when Tarmac stopped (a queued run that was cancelled is already finished by `cancel`)
        if (state.reason === 'interrupted') {
          await complete(req.id, { status: 'failed', error: INTERRUPTED }, { createdAt: new Date().toISOString(), level: 'error', message: `Run completed with status: failed (${INTERRUPTED})`, error: INTERRUPTED });
        }
        return;
      }
      if (!(await o.store.markStarted(req.id))) return;
      await execute(req, state);
    } catch (err) {
      o.logger.error('run failed outside its steps', { taskId: req.id, err: errorMessage(err) });
      await complete(req.id, { status: 'failed', error: errorMessage(err) }, { createdAt: new Date().toISOString(), level: 'error', message: 'Run completed with status: failed', error: errorMessage(err) });
    } finally {
      running.delete(req.id);
      await rm(workspaceOf(req.id), { recursive: true, force: true }).catch(() => undefined);
    }
  }

  return {
    processId,
    /** Queues a run already inserted as `open`; returns at once. */
    submit(req: RunRequest): void {
      running.set(req.id, { controller: new AbortController() });
      const p = limit(() => run(req));
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    },
    /**
     * Cancels a run: aborts it here when this process runs it (a queued run ends at once), else asks its process
     * to (seen at that process's next heartbeat). @returns whether the run was found in this process
     */
    async cancel(id: string): Promise<boolean> {
      const state = running.get(id);
      if (!state) {
        await o.store.requestCancel(id);
        return false;
      }
      state.reason = 'cancelled';
      state.controller.abort(new TarmacError('BAD_REQUEST', 'cancelled'));
      if ((await o.store.get(id))?.status === 'open') {
        await complete(id, { status: 'cancelled', error: 'cancelled' }, { createdAt: new Date().toISOString(), level: 'info', message: 'Run completed with status: cancelled' });
      }
      return true;
    },
    /** Fails runs left behind by a stopped process and removes their workspaces; starts the heartbeat. */
    async start(): Promise<void> {
      const ids = await o.store.failAbandoned({ processId, processPrefix, staleSeconds: STALE_SECONDS, reason: INTERRUPTED });
      for (const id of ids) {
        await rm(workspaceOf(id), { recursive: true, force: true });
      }
      if (ids.length) o.logger.warn('marked interrupted runs failed', { count: ids.length });
      heartbeat = setInterval(() => {
        o.store
          .heartbeat(processId)
          .then((cancel) => cancel.forEach((id) => void this.cancel(id)))
          .catch((err: unknown) => o.logger.warn('run heartbeat failed', { err: errorMessage(err) }));
      }, HEARTBEAT_SECONDS * 1000);
      heartbeat.unref();
    },
    /** Cancels every run of this process and waits for them to end. */
    async stop(): Promise<void> {
      if (heartbeat) clearInterval(heartbeat);
      for (const state of running.values()) {
        state.reason = 'interrupted';
        state.controller.abort(new TarmacError('NOT_READY', INTERRUPTED));
      }
      await Promise.allSettled([...inFlight]);
    },
    /** Number of runs queued or running in this process. */
    activeCount: () => running.size,
  };
}

/** The engine's step results folded into the stored step list (names kept from the template). */
function mergeSteps(steps: TaskStep[], result: ExecuteResult): TaskStep[] {
  return steps.map((s) => {
    const r = result.steps.find((x) => x.id === s.id);
    return r ? { ...s, status: r.status, startedAt: r.startedAt ?? s.startedAt, finishedAt: r.finishedAt ?? s.finishedAt } : s;
  });
}

/** The run queue (see `createTaskRunner`). */
export type TaskRunner = ReturnType<typeof createTaskRunner>;
