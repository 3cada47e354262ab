import { randomUUID } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import type { AuditRecorder, Authorizer, EntityLike, Principal } from '../core/auth.js';
import { TarmacError } from '../core/errors.js';
import type { TarmacConfig } from '../core/config.js';
import { stringifyEntityRef, type CatalogService, type Entity } from '../catalog/index.js';
import { withParameterDefaults, type ActionRegistry } from './engine/index.js';
import type { VersionStore } from './versions/index.js';
import type { TaskRow, TaskStatus, TaskStore } from './tasks/store.js';
import type { TaskRunner } from './tasks/runner.js';
import { initialSteps } from './tasks/runner.js';
import { loadTemplate, normalizeTemplateRef, templateDirectory } from './tasks/template-source.js';
import { maskValues, secretFieldNames } from './tasks/secrets.js';
import { dryRun, precheck, type DryRunInput, type DryRunResult } from './tasks/dry-run.js';
import type { TemplateAction, TemplateEntity } from './types.js';

/** Who calls, for authorization and the audit log. */
export interface Caller {
  principal: Principal;
  requestId?: string;
  ip?: string;
}

/** A run as `GET /v2/tasks/:id` shows it (Backstage `SerializedTask` plus Tarmac's `steps`, `error`, times). */
export interface SerializedTask {
  id: string;
  spec: {
    apiVersion: 'scaffolder.backstage.io/v1beta3';
    templateInfo: { entityRef: string; version: string };
    parameters: Record<string, unknown>;
    steps: TaskRow['steps'];
    user: { ref?: string };
  };
  status: TaskStatus;
  createdAt: string;
  lastHeartbeatAt?: string;
  startedAt?: string;
  finishedAt?: string;
  createdBy: string;
  output?: Record<string, unknown>;
  error?: { message: string };
}

/** An authorized view of one run's events and status (see `ScaffolderService.eventReader`). */
export interface TaskEventReader {
  /** Events with id > `after`, oldest first (at most one store page). */
  events(after: number): ReturnType<TaskStore['events']>;
  /** The run's status, or undefined when the run no longer exists. */
  status(): Promise<TaskStatus | undefined>;
}

const ownerOf = (p: Principal): string => p.userRef ?? p.actor;
const refOf = (e: Entity): string => stringifyEntityRef(e);
/** Templates read per catalog page while listing them (the catalog's query limit caps a page). */
const TEMPLATE_PAGE = 500;

/** Serializes a stored run. */
export function serializeTask(t: TaskRow): SerializedTask {
  return {
    id: t.id,
    spec: {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      templateInfo: { entityRef: t.templateRef, version: t.templateVersion },
      parameters: t.values,
      steps: t.steps,
      user: { ref: t.userRef },
    },
    status: t.status,
    createdAt: t.createdAt,
    lastHeartbeatAt: t.lastHeartbeatAt,
    startedAt: t.startedAt,
    finishedAt: t.finishedAt,
    createdBy: t.userRef ?? t.createdBy,
    ...(t.output ? { output: t.output } : {}),
    ...(t.error ? { error: { message: t.error } } : {}),
  };
}

/**
 * The scaffolder's public functions: what routes and other modules call. Every function that acts on a template
 * or a run checks the caller with `authz.authorize` (actions `template.read`, `template.run`, `task.read`,
 * `task.cancel`) and throws FORBIDDEN when denied.
 */
export class ScaffolderService {
  constructor(
    private readonly d: {
      catalog: CatalogService;
      registry: ActionRegistry;
      store: TaskStore;
      runner: TaskRunner;
      versions: VersionStore;
      authz: Authorizer;
      audit: AuditRecorder;
      config: TarmacConfig;
    },
  ) {}

  private deny(who: Principal, action: string, resource: Parameters<Authorizer['authorize']>[2]): void {
    const decision = this.d.authz.authorize(who, action, resource);
    if (!decision.allow) throw new TarmacError('FORBIDDEN', `${action}: ${decision.reason}`);
  }

  private async userOf(p: Principal): Promise<{ ref?: string; entity?: EntityLike }> {
    if (!p.userRef) return {};
    const [entity] = await this.d.catalog.getEntitiesByRefs([p.userRef]).catch(() => [null]);
    return { ref: p.userRef, ...(entity ? { entity } : {}) };
  }

  /** Adds an action runs can use (extensions, tests). @throws TarmacError CONFLICT when the id is taken */
  registerAction(action: TemplateAction): void {
    this.d.registry.register(action);
  }

  /** Registered actions with their JSON Schemas (Backstage `GET /v2/actions`). */
  listActions(): Array<{ id: string; description: string; schema: { input: unknown; output: unknown }; examples: unknown[] }> {
    return this.d.registry
      .list()
      .map((a) => ({ id: a.id, description: a.description, schema: { input: a.schema.input, output: a.schema.output ?? {} }, examples: a.examples ?? [] }));
  }

  /**
   * Template entities the caller may read (the catalog applies the caller's read condition), every page of them,
   * each with its latest recorded version (Tarmac extension for the portal).
   */
  async listTemplates(who: Principal): Promise<Array<{ entity: Entity; entityRef: string; latestVersion?: { version: string; number: number } }>> {
    const scope = { readCondition: this.d.authz.entityReadCondition(who) };
    const templates: Entity[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.d.catalog.queryEntities(
        cursor ? { cursor, limit: TEMPLATE_PAGE, totalItems: false } : { filter: { op: 'in', path: 'kind', values: ['template'] }, limit: TEMPLATE_PAGE, totalItems: false },
        scope,
      );
      templates.push(...page.items);
      cursor = page.items.length > 0 ? page.pageInfo.nextCursor : undefined;
    } while (cursor);
    const latest = await this.d.versions.latestOf(templates.map(refOf));
    return templates.map((entity) => {
      const entityRef = refOf(entity);
      const l = latest.get(entityRef);
      return { entity, entityRef, ...(l ? { latestVersion: { version: l.version, number: l.number } } : {}) };
    });
  }

  /** Backstage `GET /v2/templates/:namespace/:kind/:name/parameter-schema`. @throws NOT_FOUND, FORBIDDEN */
  async parameterSchema(who: Principal, namespace: string, kind: string, name: string): Promise<{ title: string; description?: string; steps: Array<{ title: string; description?: string; schema: unknown }> }> {
    if (kind.toLowerCase() !== 'template') throw new TarmacError('NOT_FOUND', `${kind}:${namespace}/${name} is not a Template`);
    const entity = await this.d.catalog.getEntityByName('template', namespace, name);
    this.deny(who, 'catalog.entity.read', { type: 'entity', id: refOf(entity), entity });
    const params = await this.parametersAsWritten(entity as unknown as TemplateEntity, namespace, name);
    const pages = Array.isArray(params) ? params : params ? [params] : [];
    return {
      title: (entity.metadata.title as string | undefined) ?? entity.metadata.name,
      description: entity.metadata.description as string | undefined,
      steps: pages.map((page) => ({
        title: (page.title as string | undefined) ?? 'Please enter the following information',
        description: page.description as string | undefined,
        schema: page,
      })),
    };
  }

  /**
   * `spec.parameters` in the order the template's author wrote them. The catalog stores entities as `jsonb`, which
   * reorders object keys (shortest first), and a form's field order is its properties' order — so the parameters
   * are re-read from the entity's YAML source; the stored entity is the fallback when the source is unavailable.
   */
  private async parametersAsWritten(t: TemplateEntity, namespace: string, name: string): Promise<TemplateEntity['spec']['parameters']> {
    try {
      const source = await this.d.catalog.getEntitySource('template', namespace, name);
      const doc = source.text ? (parseYaml(source.text) as { spec?: { parameters?: unknown } } | null) : null;
      const written = doc?.spec?.parameters;
      if (written && typeof written === 'object') return written as TemplateEntity['spec']['parameters'];
    } catch {
      // fall through: the stored entity has the same content, in another key order
    }
    return t.spec.parameters;
  }

  /**
   * Backstage `POST /v2/dry-run`. With `templateRef` and no `directoryContents` (Tarmac extension, the portal's
   * preview) the catalog template's own files are used, and its entity when no `template` is sent.
   * @throws BAD_REQUEST, VALIDATION_FAILED, NOT_FOUND, FORBIDDEN, or the failed step's error
   */
  async dryRun(caller: Caller, input: DryRunInput): Promise<DryRunResult> {
    const user = await this.userOf(caller.principal);
    const common = { registry: this.d.registry, config: this.d.config.scaffolder, dataDir: this.d.config.dataDir, user };
    if (input.templateRef && !input.directoryContents?.length) {
      const source = await loadTemplate(this.d.catalog, this.d.config.dataDir, input.templateRef);
      this.deny(caller.principal, 'catalog.entity.read', { type: 'entity', id: source.ref, entity: source.entity });
      this.deny(caller.principal, 'template.run', { type: 'template', id: source.ref, entity: source.entity });
      return dryRun({ ...common, input: { ...input, template: input.template ?? source.entity }, files: source.files });
    }
    const t = input.template as TemplateEntity | undefined;
    const ref = stringifyEntityRef({ kind: 'template', namespace: t?.metadata?.namespace ?? 'default', name: t?.metadata?.name ?? '' });
    this.deny(caller.principal, 'template.run', { type: 'template', id: ref, entity: t?.kind ? t : undefined });
    return dryRun({ ...common, input });
  }

  /**
   * Starts a run (Backstage `POST /v2/tasks`): authorizes `template.run` on the template, validates the values
   * (VALIDATION_FAILED with field errors — a form error, no task is created) and the actions (BAD_REQUEST naming
   * unknown ones), records the template version, stores the task (secret fields masked) and queues it.
   * @returns the task id
   */
  async createTask(caller: Caller, body: { templateRef: string; values?: Record<string, unknown>; secrets?: Record<string, string> }): Promise<string> {
    const { ref } = normalizeTemplateRef(body.templateRef);
    const template = await loadTemplate(this.d.catalog, this.d.config.dataDir, ref);
    const who = caller.principal;
    const decision = this.d.authz.authorize(who, 'template.run', { type: 'template', id: ref, entity: template.entity });
    if (!decision.allow) {
      await this.d.audit.record({ actor: who.actor, action: 'template.run', resource: ref, outcome: 'denied', requestId: caller.requestId, ip: caller.ip, summary: { templateRef: ref } });
      throw new TarmacError('FORBIDDEN', `template.run: ${decision.reason}`);
    }
    // Values from the API and the CLI get the schema's defaults, as the portal's form gives them; they are recorded
    // with the run (and in the origin file), so an upgrade renders with the same answers.
    const values = withParameterDefaults(template.entity, body.values ?? {});
    precheck(template.entity, values, this.d.registry);
    const { version } = await this.d.versions.record(ref, template.entity, template.files, templateDirectory(template.entity as unknown as Entity, this.d.config.dataDir));
    const id = randomUUID();
    await this.d.store.insert({
      id,
      templateRef: ref,
      templateVersion: version,
      createdBy: who.actor,
      userRef: who.userRef,
      ownerRef: ownerOf(who),
      values: maskValues(values, secretFieldNames(template.entity)),
      steps: initialSteps(template.entity.spec.steps),
      processId: this.d.runner.processId,
    });
    this.d.runner.submit({ id, template, version, values, secrets: body.secrets ?? {}, user: await this.userOf(who), actor: who.actor, requestId: caller.requestId, ip: caller.ip });
    return id;
  }

  /** Backstage `GET /v2/tasks`: newest first; callers who may not read others' runs see only their own. */
  async listTasks(who: Principal, q: { createdBy?: string; status?: TaskStatus; limit?: number; offset?: number }): Promise<{ tasks: SerializedTask[]; totalTasks: number }> {
    const seesAll = this.d.authz.authorize(who, 'task.read', { type: 'task', ownerRefs: ['\u0000nobody'] }).allow;
    const createdBy = seesAll ? q.createdBy : ownerOf(who);
    const page = await this.d.store.list({ createdBy, status: q.status, limit: Math.min(q.limit ?? 100, 1000), offset: q.offset ?? 0 });
    return { tasks: page.tasks.map(serializeTask), totalTasks: page.total };
  }

  /** One run. @throws NOT_FOUND, FORBIDDEN */
  async getTask(who: Principal, id: string): Promise<TaskRow> {
    const task = await this.d.store.get(id);
    if (!task) throw new TarmacError('NOT_FOUND', `no task ${id}`);
    this.deny(who, 'task.read', { type: 'task', id, ownerRefs: [task.ownerRef] });
    return task;
  }

  /**
   * Authorizes `task.read` on a run once and gives a reader for a stream that polls it: `events(after)` (events with
   * id > `after`, oldest first, a page at a time) and `status()` (the run's status alone; undefined when the run is
   * gone). The reader does not check the caller again: it is for one open stream.
   * @throws NOT_FOUND, FORBIDDEN
   */
  async eventReader(who: Principal, id: string): Promise<TaskEventReader> {
    await this.getTask(who, id);
    const store = this.d.store;
    return { events: (after) => store.events(id, after), status: () => store.status(id) };
  }

  /** Events of a run after the event id `after` (0 = all), oldest first. @throws NOT_FOUND, FORBIDDEN */
  async events(who: Principal, id: string, after: number): Promise<Awaited<ReturnType<TaskStore['events']>>> {
    await this.getTask(who, id);
    return this.d.store.events(id, after);
  }

  /** Cancels a run (only its runner or an admin: `task.cancel` on the run's owner). @throws NOT_FOUND, FORBIDDEN */
  async cancelTask(caller: Caller, id: string): Promise<{ status: TaskStatus }> {
    const task = await this.d.store.get(id);
    if (!task) throw new TarmacError('NOT_FOUND', `no task ${id}`);
    const decision = this.d.authz.authorize(caller.principal, 'task.cancel', { type: 'task', id, ownerRefs: [task.ownerRef] });
    const audit = (outcome: 'success' | 'denied') =>
      this.d.audit.record({ actor: caller.principal.actor, action: 'task.cancel', resource: `task:${id}`, outcome, requestId: caller.requestId, ip: caller.ip, summary: { taskId: id, templateRef: task.templateRef } });
    if (!decision.allow) {
      await audit('denied');
      throw new TarmacError('FORBIDDEN', `task.cancel: ${decision.reason}`);
    }
    if (task.status === 'open' || task.status === 'processing') await this.d.runner.cancel(id);
    await audit('success');
    return { status: (await this.d.store.get(id))?.status ?? task.status };
  }
}
