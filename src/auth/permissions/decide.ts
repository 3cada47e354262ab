/**
 * The one authorization function, pure and synchronous: (who, action, resource) → allow/deny with the reason,
 * naming the rule that decided (issue "Trust" › Permissions). Rules, in order:
 * 1. unknown action → deny; 2. a token's scopes must cover the action; 3. admin → allow; 4. the principal's roles
 * must grant the action; 5. an entity the caller may not read (read rules) → deny; 6. `ownedOnly` tokens act only on
 * owned resources; 7. ownership actions on a concrete resource need an owner among the caller's ownership refs;
 * 8. `template.run`: the template's `tarmac.dev/allowed-runners` annotation, when present, must name the runner.
 */
import type { Decision, EntityCondition, Principal, ResourceRef } from '../../core/auth.js';
import { anyScopeCovers } from '../tokens/scopes.js';
import { ACTION_BY_ID, rolesGrant } from './actions.js';
import { entityOwners, normaliseRefs, ownedVia } from './ownership.js';
import { matchesCondition } from './read-rules.js';

/** The annotation restricting who may run a template: comma-separated refs (default kind `group`) or `owner`. */
export const ALLOWED_RUNNERS_ANNOTATION = 'tarmac.dev/allowed-runners';

const allow = (reason: string): Decision => ({ allow: true, reason });
const deny = (reason: string): Decision => ({ allow: false, reason });

/**
 * Decides one request. `readCondition` is the caller's entity read condition (`null` = reads everything).
 * Never throws; the reason is safe to show to the caller.
 */
export function decide(
  who: Principal,
  action: string,
  resource: ResourceRef | undefined,
  readCondition: EntityCondition | null,
): Decision {
  const def = ACTION_BY_ID.get(action);
  if (!def) return deny(`unknown action "${action}"`);
  if (who.type === 'token' && !anyScopeCovers(who.scopes ?? [], action)) {
    return deny(`token scopes do not include ${action}`);
  }
  if (who.roles.includes('admin')) return allow('role admin');
  const role = rolesGrant(who.roles, def);
  if (!role) return deny(who.roles.length ? `roles ${who.roles.join(', ')} do not grant ${action}` : `no role grants ${action}`);
  if (!resource) return allow(`role ${role} grants ${action}`);

  const what = resource.id ?? resource.type;
  const entity = resource.entity;
  const owners = entity ? entityOwners(entity) : [...(resource.ownerRefs ?? [])].map((r) => r.toLowerCase());
  if (entity && readCondition && !matchesCondition(readCondition, entity, () => owners)) {
    return deny(`read rules hide ${what}`);
  }
  if (action === 'catalog.entity.read' && entity) return allow(`role ${role} grants ${action}; read rules allow ${what}`);
  if ((def.ownership || who.ownedOnly) && (entity || resource.ownerRefs)) {
    const via = ownedVia(who, owners);
    const rule = def.ownership ? 'ownership' : 'owned-only token';
    if (!via) return deny(owners.length ? `${rule}: not an owner of ${what} (owners: ${owners.join(', ')})` : `${rule}: ${what} has no owner`);
    if (def.ownership) return allow(`ownership: owner of ${what} through ${via}`);
  }
  if (action === 'template.run' && entity) return checkRunners(who, entity, owners, what, role);
  return allow(`role ${role} grants ${action}`);
}

function checkRunners(
  who: Principal,
  template: NonNullable<ResourceRef['entity']>,
  owners: string[],
  what: string,
  role: string,
): Decision {
  const raw = template.metadata.annotations?.[ALLOWED_RUNNERS_ANNOTATION];
  if (raw === undefined) return allow(`role ${role} grants template.run`);
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const refs = normaliseRefs(items.filter((i) => i.toLowerCase() !== 'owner'), 'group').refs;
  if (items.some((i) => i.toLowerCase() === 'owner')) refs.push(...owners);
  const via = ownedVia(who, refs);
  if (via) return allow(`allowed-runners of ${what} include ${via}`);
  return deny(`allowed-runners of ${what} (${ALLOWED_RUNNERS_ANNOTATION}: ${raw}) do not include the caller`);
}
