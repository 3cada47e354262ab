import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../core/auth.js';
import type { ScaffolderService } from '../service.js';
import { serializeTask } from '../service.js';
import type { EventLog } from '../tasks/events.js';
import { serializeEvent } from '../tasks/events.js';
import type { DryRunInput } from '../tasks/dry-run.js';
import type { TaskStatus } from '../tasks/store.js';
import { streamTaskEvents } from './eventstream.js';

const TAG = ['scaffolder'];
/** Prefix of the Backstage-compatible scaffolder API. */
export const API = '/api/scaffolder/v2';

const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;
const taskParams = { type: 'object', required: ['taskId'], properties: { taskId: { type: 'string', minLength: 1, maxLength: 100 } } } as const;
const statuses = ['open', 'processing', 'completed', 'failed', 'cancelled'] as const;
const caller = (req: { principal: Principal; id: string; ip: string }) => ({ principal: req.principal, requestId: req.id, ip: req.ip });

/**
 * Registers `/api/scaffolder/v2` (Backstage's scaffolder API shape; issue 3 "API"): actions, parameter schemas,
 * dry-run, tasks with their events and live stream, cancel, and Tarmac's template list.
 */
export async function registerScaffolderRoutes(app: FastifyInstance, o: { service: ScaffolderService; events: EventLog; shutdown: AbortSignal }): Promise<void> {
  const { service } = o;

  app.get(`${API}/actions`, { config: { auth: { action: 'template.read' } }, schema: { tags: TAG, summary: 'Installed actions with their input/output JSON Schemas.' } }, async () =>
    service.listActions(),
  );

  app.get(`${API}/templates`, { config: { auth: { action: 'template.read' } }, schema: { tags: TAG, summary: 'Template entities with their latest version (Tarmac).' } }, async (req) => ({
    items: await service.listTemplates(req.principal),
  }));

  app.get<{ Params: { namespace: string; kind: string; name: string } }>(
    `${API}/templates/:namespace/:kind/:name/parameter-schema`,
    {
      config: { auth: { action: 'template.read' } },
      schema: {
        tags: TAG,
        summary: "A template's form: title, description and one JSON Schema per page.",
        params: { type: 'object', required: ['namespace', 'kind', 'name'], properties: { namespace: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } } },
      },
    },
    async (req) => service.parameterSchema(req.principal, req.params.namespace, req.params.kind, req.params.name),
  );

  app.post<{ Body: DryRunInput }>(
    `${API}/dry-run`,
    {
      config: { auth: { action: 'template.run' } },
      schema: {
        tags: TAG,
        summary: "Runs a template without publishing; returns the log, the rendered files (base64) and the output. templateRef (Tarmac) uses a catalog template's files.",
        body: {
          type: 'object',
          anyOf: [{ required: ['template'] }, { required: ['templateRef'] }],
          properties: {
            template: { type: 'object' },
            templateRef: { type: 'string', minLength: 1, maxLength: 300 },
            values: { type: 'object', default: {} },
            secrets: stringMap,
            directoryContents: {
              type: 'array',
              default: [],
              items: { type: 'object', required: ['path', 'base64Content'], properties: { path: { type: 'string' }, base64Content: { type: 'string' } } },
            },
          },
        },
      },
    },
    async (req) => service.dryRun(caller(req), req.body),
  );

  app.post<{ Body: { templateRef: string; values?: Record<string, unknown>; secrets?: Record<string, string> } }>(
    `${API}/tasks`,
    {
      config: { auth: { action: 'template.run' } },
      schema: {
        tags: TAG,
        summary: 'Starts a run of a template; 201 { id }. Bad values give 400 with field errors and create nothing.',
        body: {
          type: 'object',
          required: ['templateRef'],
          properties: { templateRef: { type: 'string', minLength: 1, maxLength: 300 }, values: { type: 'object' }, secrets: stringMap },
        },
      },
    },
    async (req, reply) => reply.status(201).send({ id: await service.createTask(caller(req), req.body) }),
  );

  app.get<{ Querystring: { createdBy?: string; status?: TaskStatus; limit?: number; offset?: number } }>(
    `${API}/tasks`,
    {
      config: { auth: { action: 'task.read' } },
      schema: {
        tags: TAG,
        summary: 'Runs, newest first: { tasks, totalTasks }.',
        querystring: {
          type: 'object',
          properties: {
            createdBy: { type: 'string' },
            status: { enum: statuses },
            limit: { type: 'integer', minimum: 1, maximum: 1000 },
            offset: { type: 'integer', minimum: 0 },
          },
        },
      },
    },
    async (req) => service.listTasks(req.principal, req.query),
  );

  app.get<{ Params: { taskId: string } }>(
    `${API}/tasks/:taskId`,
    { config: { auth: { action: 'task.read' } }, schema: { tags: TAG, summary: 'One run: template, masked values, steps, status, output or error.', params: taskParams } },
    async (req) => serializeTask(await service.getTask(req.principal, req.params.taskId)),
  );

  app.get<{ Params: { taskId: string }; Querystring: { after?: number } }>(
    `${API}/tasks/:taskId/events`,
    {
      config: { auth: { action: 'task.read' } },
      schema: { tags: TAG, summary: "A run's events after the event id `after`.", params: taskParams, querystring: { type: 'object', properties: { after: { type: 'integer', minimum: 0 } } } },
    },
    async (req) => (await service.events(req.principal, req.params.taskId, req.query.after ?? 0)).map(serializeEvent),
  );

  app.get<{ Params: { taskId: string }; Querystring: { after?: number } }>(
    `${API}/tasks/:taskId/eventstream`,
    {
      config: { auth: { action: 'task.read' } },
      schema: { tags: TAG, summary: "A run's events as server-sent events; ends after completion.", params: taskParams, querystring: { type: 'object', properties: { after: { type: 'integer', minimum: 0 } } } },
    },
    async (req, reply) => {
      await streamTaskEvents(req, reply, o);
      return reply;
    },
  );

  app.post<{ Params: { taskId: string } }>(
    `${API}/tasks/:taskId/cancel`,
    { config: { auth: { action: 'task.cancel' } }, schema: { tags: TAG, summary: 'Cancels a run (its runner or an admin).', params: taskParams } },
    async (req) => service.cancelTask(caller(req), req.params.taskId),
  );
}
