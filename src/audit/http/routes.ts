import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { OUTCOMES, type AuditOutcome } from '../model/event.js';
import { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, type AuditService } from '../service.js';

const TAG = ['audit'];

interface EventsQuery {
  actor?: string;
  action?: string;
  resource?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
  limit?: number;
  after?: string;
}

const timeRange = {
  from: { type: 'string', minLength: 1, description: 'events at or after this time (ISO 8601 date or date-time)' },
  to: { type: 'string', minLength: 1, description: 'events before this time (ISO 8601 date or date-time)' },
} as const;

async function* withNewlines(lines: AsyncIterable<string>): AsyncGenerator<string> {
  for await (const line of lines) yield `${line}\n`;
}

/**
 * Registers the audit routes (mounted at `/api/audit`): `GET /events` (query, newest first), `GET /export`
 * (JSON Lines), `GET /verify` (walk the chain). Reads need `audit.read`, verification `audit.verify`.
 */
export async function registerAuditRoutes(app: FastifyInstance, audit: AuditService): Promise<void> {
  app.get<{ Querystring: EventsQuery }>(
    '/events',
    {
      config: { auth: { action: 'audit.read' } },
      schema: {
        tags: TAG,
        summary: 'Audit events matching every given filter, newest first: { items, nextCursor?, totalItems? (first page only) }. action may end in .* (prefix).',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            actor: { type: 'string', minLength: 1 },
            action: { type: 'string', minLength: 1 },
            resource: { type: 'string', minLength: 1 },
            outcome: { type: 'string', enum: [...OUTCOMES] },
            ...timeRange,
            limit: { type: 'integer', minimum: 1, maximum: MAX_LIST_LIMIT, default: DEFAULT_LIST_LIMIT },
            after: { type: 'string', pattern: '^[1-9][0-9]{0,15}$', description: 'nextCursor of the previous page' },
          },
        },
      },
    },
    async (req) => audit.list(req.query),
  );

  app.get<{ Querystring: { from?: string; to?: string } }>(
    '/export',
    {
      config: { auth: { action: 'audit.read' } },
      schema: {
        tags: TAG,
        summary: 'Events of a time range as JSON Lines (application/x-ndjson): header with the chain anchor, one line per event, footer with the last hash.',
        querystring: { type: 'object', additionalProperties: false, properties: { ...timeRange } },
      },
    },
    async (req, reply) => {
      const lines = audit.exportJsonl({ from: req.query.from, to: req.query.to });
      void reply.type('application/x-ndjson');
      void reply.header('content-disposition', 'attachment; filename="tarmac-audit.jsonl"');
      return reply.send(Readable.from(withNewlines(lines)));
    },
  );

  app.get<{ Querystring: { from?: number } }>(
    '/verify',
    {
      config: { auth: { action: 'audit.verify' } },
      schema: {
        tags: TAG,
        summary: 'Walk the hash chain from seq `from` (default 1): { ok, checked, firstBroken?: { seq, id, reason, message }, last? }.',
        querystring: { type: 'object', additionalProperties: false, properties: { from: { type: 'integer', minimum: 1 } } },
      },
    },
    async (req) => audit.verify({ from: req.query.from }),
  );
}
