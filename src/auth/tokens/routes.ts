import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditRecorder, Authorizer, Principal } from '../../core/auth.js';
import { TarmacError, badRequest, notFound } from '../../core/errors.js';
import { ACTIONS } from '../permissions/actions.js';
import { anyScopeCovers, MAX_SCOPES, scopeCovers } from './scopes.js';
import { DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, type TokenService } from './service.js';
import type { TokenInfo } from './storage.js';

const TAG = ['auth: tokens'];

interface CreateBody {
  name: string;
  scopes: string[];
  ownedOnly?: boolean;
  expiresInDays?: number;
}

const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'scopes'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100 },
    scopes: { type: 'array', minItems: 1, maxItems: MAX_SCOPES, items: { type: 'string', minLength: 1, maxLength: 200 } },
    ownedOnly: { type: 'boolean' },
    expiresInDays: { type: 'integer', minimum: 1, maximum: MAX_TOKEN_DAYS, default: DEFAULT_TOKEN_DAYS },
  },
} as const;

/** Whether `who` may see and revoke every token: platform admins and the single-user principal. */
function isAdmin(who: Principal): boolean {
  return who.roles.includes('admin');
}

/**
 * Why `who` may not give a token `scope`, or undefined when it may. A pattern (`template.*`) is checked action by
 * action against the action table (docs/permissions.md).
 * @throws TarmacError BAD_REQUEST when the scope names no known action
 */
export function scopeRefusal(authz: Authorizer, who: Principal, scope: string): string | undefined {
  const covered = ACTIONS.map((a) => a.id).filter((id) => scopeCovers(scope, id));
  if (covered.length === 0) throw badRequest(`scope "${scope}" matches no action (see docs/permissions.md)`);
  if (who.scopes !== undefined && !anyScopeCovers(who.scopes, scope)) return `scope ${scope} is beyond the calling token's scopes`;
  for (const action of covered) {
    const decision = authz.authorize(who, action);
    if (!decision.allow) return `you may not ${action}${scope === action ? '' : ` (in ${scope})`}: ${decision.reason}`;
  }
  return undefined;
}

/**
 * Registers `/tokens` (mounted at `/api/auth`): create (returns the token string once), list (own tokens; admins
 * all; never secrets), revoke (owner or admin). Every change and every refused change is audited.
 */
export async function registerTokenRoutes(
  app: FastifyInstance,
  d: { tokens: TokenService; authz: Authorizer; audit: AuditRecorder },
): Promise<void> {
  const record = (req: FastifyRequest, action: string, resource: string, outcome: 'success' | 'denied', summary: Record<string, unknown>) =>
    d.audit.record({ actor: req.principal.actor, action, resource, outcome, requestId: String(req.id), ip: req.ip, summary });

  app.post<{ Body: CreateBody }>(
    '/tokens',
    {
      config: { auth: { action: 'token.create' } },
      schema: { tags: TAG, summary: 'Create an API token with a subset of your permissions. The token is in this response only.', body: createBody },
    },
    async (req, reply) => {
      const who = req.principal;
      // A token never gets more than its creator: every action a scope covers must be allowed to the creator, and a
      // token creating a token can only pass on scopes (and the owned-only limit) it has itself.
      for (const scope of req.body.scopes) {
        const refusal = scopeRefusal(d.authz, who, scope);
        if (refusal) {
          await record(req, 'token.create', 'token:new', 'denied', { name: req.body.name, scope });
          throw new TarmacError('FORBIDDEN', `a token cannot have scopes its creator lacks: ${refusal}`);
        }
      }
      // Tokens act for a User; only single-user mode (`local`, and tokens it made) has none to give.
      if (!who.userRef && who.type !== 'local' && who.type !== 'token') {
        throw new TarmacError('FORBIDDEN', 'only a signed-in person can create API tokens');
      }
      const created = await d.tokens.createToken({
        userRef: who.userRef,
        name: req.body.name,
        scopes: req.body.scopes,
        ownedOnly: (req.body.ownedOnly ?? false) || who.ownedOnly === true,
        expiresInDays: req.body.expiresInDays,
        createdBy: who.actor,
      });
      await record(req, 'token.create', `token:${created.id}`, 'success', {
        name: created.name, scopes: created.scopes, ownedOnly: created.ownedOnly, expiresAt: created.expiresAt,
      });
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/tokens',
    {
      config: { auth: { action: 'token.read' } },
      schema: { tags: TAG, summary: 'API tokens: your own (admins: everyone\'s), newest first, with last-used time; never the secret.' },
    },
    async (req): Promise<{ items: TokenInfo[] }> => {
      const who = req.principal;
      if (isAdmin(who)) return { items: await d.tokens.list() };
      return { items: who.userRef ? await d.tokens.list(who.userRef) : [] };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/tokens/:id',
    {
      config: { auth: { action: 'token.revoke' } },
      schema: {
        tags: TAG,
        summary: 'Revoke an API token (its owner or an admin). It stops working at once.',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 64 } } },
      },
    },
    async (req, reply) => {
      const who = req.principal;
      const token = await d.tokens.get(req.params.id);
      if (!token) throw notFound(`no API token with id ${req.params.id}`);
      const resource = `token:${token.id}`;
      // token.revoke has ownership on: the decision allows exactly admins and the token's owner (docs/permissions.md).
      const decision = d.authz.authorize(who, 'token.revoke', { type: 'token', id: token.id, ownerRefs: token.userRef ? [token.userRef] : [] });
      if (!decision.allow) {
        await record(req, 'token.revoke', resource, 'denied', { name: token.name });
        throw new TarmacError('FORBIDDEN', `token.revoke: ${decision.reason}`);
      }
      const revoked = await d.tokens.revoke(token.id);
      if (revoked) await record(req, 'token.revoke', resource, 'success', { name: token.name, userRef: token.userRef });
      return reply.status(204).send();
    },
  );
}
