import type { FastifyInstance } from 'fastify';
import type { AuditRecorder } from '../../core/auth.js';
import { badRequest, notFound } from '../../core/errors.js';
import { ROLES } from './actions.js';
import type { RoleAssignments } from './assignments.js';
import { normaliseRefs } from './ownership.js';

const TAG = ['auth: roles'];

/**
 * Registers the role-assignment routes (mount with prefix `/api/auth`): `GET /roles` (admin.roles.read),
 * `POST /roles` `{ role, memberRef }` and `DELETE /roles/:id` (admin.roles.write). Every change is audited.
 * @throws TarmacError BAD_REQUEST for a bad ref, NOT_FOUND for an unknown id (config assignments have none)
 */
export async function registerRoleRoutes(app: FastifyInstance, assignments: RoleAssignments, audit: AuditRecorder): Promise<void> {
  app.get(
    '/roles',
    { config: { auth: { action: 'admin.roles.read' } }, schema: { tags: TAG, summary: 'Role assignments (config and API).' } },
    async () => ({ items: assignments.list() }),
  );

  app.post<{ Body: { role: (typeof ROLES)[number]; memberRef: string } }>(
    '/roles',
    {
      config: { auth: { action: 'admin.roles.write' } },
      schema: {
        tags: TAG,
        summary: 'Give a role to a User or Group ref (default kind group). Idempotent: 201 new, 200 existing.',
        body: {
          type: 'object',
          required: ['role', 'memberRef'],
          additionalProperties: false,
          properties: { role: { enum: [...ROLES] }, memberRef: { type: 'string', minLength: 1, maxLength: 512 } },
        },
      },
    },
    async (req, reply) => {
      const { refs } = normaliseRefs([req.body.memberRef], 'group');
      const memberRef = refs[0];
      if (!memberRef) throw badRequest(`memberRef "${req.body.memberRef}" is not an entity ref`);
      const { assignment, created } = await assignments.add(req.body.role, memberRef, req.principal.actor);
      await audit.record({
        actor: req.principal.actor,
        action: 'admin.roles.write',
        resource: `role:${req.body.role}`,
        outcome: 'success',
        requestId: String(req.id),
        ip: req.ip,
        summary: { op: 'add', role: req.body.role, memberRef, created },
      });
      return reply.status(created ? 201 : 200).send(assignment);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/roles/:id',
    {
      config: { auth: { action: 'admin.roles.write' } },
      schema: {
        tags: TAG,
        summary: 'Remove an API-managed role assignment.',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
      },
    },
    async (req, reply) => {
      const removed = await assignments.remove(req.params.id);
      if (!removed) throw notFound(`no API-managed role assignment with id ${req.params.id}`);
      await audit.record({
        actor: req.principal.actor,
        action: 'admin.roles.write',
        resource: `role:${removed.role}`,
        outcome: 'success',
        requestId: String(req.id),
        ip: req.ip,
        summary: { op: 'remove', id: req.params.id, role: removed.role, memberRef: removed.memberRef },
      });
      return reply.status(204).send();
    },
  );
}
