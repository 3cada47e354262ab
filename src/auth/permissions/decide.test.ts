import { describe, expect, it } from 'vitest';
import type { EntityLike, Principal } from '../../core/auth.js';
import { ACTIONS } from './actions.js';
import { ALLOWED_RUNNERS_ANNOTATION, decide } from './decide.js';
import { compileReadRules, matchesCondition, readCondition } from './read-rules.js';
import { entityOwners } from './ownership.js';

const person = (name: string, roles: string[], groups: string[] = []): Principal => ({
  type: 'user',
  actor: `user:default/${name}`,
  userRef: `user:default/${name}`,
  ownershipRefs: [`user:default/${name}`, ...groups.map((g) => `group:default/${g}`)],
  roles,
});
const jane = person('jane', ['member'], ['team-a']);
const bob = person('bob', ['member'], ['team-b']);
const vera = person('vera', ['viewer'], ['team-a']);
const root = person('root', ['admin']);

const component = (name: string, owner: string, extra: Partial<EntityLike['metadata']> = {}): EntityLike => ({
  kind: 'Component',
  metadata: { name, namespace: 'default', ...extra },
  spec: { type: 'service', owner },
});
const entity = (e: EntityLike) => ({ type: 'entity', id: `component:default/${e.metadata.name}`, entity: e });

describe('authorize (decide)', () => {
  it('denies unknown actions to everyone, admins included', () => {
    expect(decide(root, 'catalog.entity.explode', undefined, null)).toEqual({ allow: false, reason: 'unknown action "catalog.entity.explode"' });
  });

  it('gives admin everything, member writes, viewer reads only (route level)', () => {
    for (const a of ACTIONS) expect(decide(root, a.id, undefined, null).allow).toBe(true);
    expect(decide(jane, 'catalog.location.create', undefined, null).allow).toBe(true);
    expect(decide(jane, 'admin.roles.write', undefined, null).allow).toBe(false);
    expect(decide(jane, 'audit.read', undefined, null).allow).toBe(false);
    expect(decide(vera, 'catalog.entity.read', undefined, null).allow).toBe(true);
    expect(decide(vera, 'catalog.entity.delete', undefined, null)).toEqual({ allow: false, reason: 'roles viewer do not grant catalog.entity.delete' });
    expect(decide(vera, 'template.run', undefined, null).allow).toBe(false);
    const anonymous: Principal = { type: 'anonymous', actor: 'anonymous', ownershipRefs: [], roles: [] };
    expect(decide(anonymous, 'catalog.entity.read', undefined, null)).toEqual({ allow: false, reason: 'no role grants catalog.entity.read' });
  });

  it('lets owners (through a group) delete an entity, and not others', () => {
    const svc = component('svc', 'team-a');
    expect(decide(jane, 'catalog.entity.delete', entity(svc), null)).toEqual({
      allow: true,
      reason: 'ownership: owner of component:default/svc through group:default/team-a',
    });
    expect(decide(bob, 'catalog.entity.delete', entity(svc), null)).toEqual({
      allow: false,
      reason: 'ownership: not an owner of component:default/svc (owners: group:default/team-a)',
    });
    expect(decide(root, 'catalog.entity.delete', entity(svc), null).allow).toBe(true);
  });

  it('reads owners from ownedBy relations first, else spec.owner with default kind group and the entity namespace', () => {
    expect(entityOwners(component('x', 'Team-A'))).toEqual(['group:default/team-a']);
    expect(entityOwners({ ...component('x', 'user:jane'), metadata: { name: 'x', namespace: 'ops' } })).toEqual(['user:ops/jane']);
    const withRel: EntityLike = { ...component('x', 'team-a'), relations: [{ type: 'ownedBy', targetRef: 'group:default/team-b' }] };
    expect(entityOwners(withRel)).toEqual(['group:default/team-b']);
    expect(entityOwners({ kind: 'Component', metadata: { name: 'x' } })).toEqual([]);
  });

  it('uses the creator as the owner of a location; one without owner is admin-only', () => {
    const loc = { type: 'location', id: 'location:1', ownerRefs: ['user:default/jane'] };
    expect(decide(jane, 'catalog.location.delete', loc, null).allow).toBe(true);
    expect(decide(bob, 'catalog.location.delete', loc, null).allow).toBe(false);
    expect(decide(bob, 'catalog.location.refresh', { type: 'location', id: 'location:2', ownerRefs: [] }, null)).toEqual({
      allow: false,
      reason: 'ownership: location:2 has no owner',
    });
  });

  it('limits tokens to their scopes, even an admin one, and ownedOnly tokens to owned entities', () => {
    const token: Principal = { ...jane, type: 'token', actor: 'token:t1', tokenId: 't1', scopes: ['catalog.entity.*'] };
    expect(decide(token, 'catalog.entity.read', undefined, null).allow).toBe(true);
    expect(decide(token, 'catalog.location.create', undefined, null)).toEqual({
      allow: false,
      reason: 'token scopes do not include catalog.location.create',
    });
    expect(decide({ ...token, roles: ['admin'], scopes: ['template.*'] }, 'catalog.entity.delete', undefined, null).allow).toBe(false);
    const owned: Principal = { ...token, scopes: ['*'], ownedOnly: true };
    const tmpl: EntityLike = { kind: 'Template', metadata: { name: 't' }, spec: { owner: 'team-b' } };
    expect(decide(owned, 'template.run', entity(tmpl), null).reason).toMatch(/^owned-only token: not an owner/);
    expect(decide(owned, 'template.run', entity({ ...tmpl, spec: { owner: 'team-a' } }), null).allow).toBe(true);
  });

  it('applies a template\'s allowed-runners annotation: refs, or "owner" for members of spec.owner', () => {
    const tmpl = (runners: string): EntityLike => ({
      kind: 'Template',
      metadata: { name: 'svc', annotations: { [ALLOWED_RUNNERS_ANNOTATION]: runners } },
      spec: { owner: 'group:default/team-b' },
    });
    expect(decide(jane, 'template.run', entity(tmpl('owner')), null).allow).toBe(false);
    expect(decide(bob, 'template.run', entity(tmpl('owner')), null)).toEqual({
      allow: true,
      reason: 'allowed-runners of component:default/svc include group:default/team-b',
    });
    expect(decide(jane, 'template.run', entity(tmpl('group:default/team-c, user:default/jane')), null).allow).toBe(true);
    expect(decide(jane, 'template.run', entity(tmpl('team-a')), null).allow).toBe(true); // default kind group
    expect(decide(bob, 'template.run', entity(tmpl('team-a')), null).allow).toBe(false);
    // No annotation: any member may run it.
    expect(decide(jane, 'template.run', entity({ kind: 'Template', metadata: { name: 'open' }, spec: {} }), null).allow).toBe(true);
  });
});

describe('read rules', () => {
  const rules = compileReadRules([
    { subjects: ['role:viewer'], allow: [{ kind: ['Component'], labels: { tier: 'public' } }, { kind: ['API'] }] },
    { subjects: ['group:team-z'], allow: [{ namespace: ['ops'] }] },
  ]);

  it('leaves principals under no rule unrestricted', () => {
    expect(readCondition(jane, rules)).toBeNull();
  });

  it('lets a viewer under a rule read matching entities and its own, nothing else', () => {
    const cond = readCondition(vera, rules);
    expect(cond).not.toBeNull();
    const check = (e: EntityLike) => matchesCondition(cond ?? { any: [] }, e, () => entityOwners(e));
    expect(check(component('pub', 'team-x', { labels: { Tier: 'Public' } }))).toBe(true);
    expect(check(component('secret', 'team-x', { labels: { tier: 'internal' } }))).toBe(false);
    expect(check({ kind: 'API', metadata: { name: 'a' }, spec: { owner: 'team-x' } })).toBe(true);
    expect(check(component('mine', 'team-a'))).toBe(true); // vera is in team-a: owned entities stay readable
    // Same answer as authorize on the concrete entity.
    expect(decide(vera, 'catalog.entity.read', entity(component('secret', 'team-x')), cond)).toEqual({
      allow: false,
      reason: 'read rules hide component:default/secret',
    });
  });

  it('applies rules whose subject is a group the principal belongs to', () => {
    const z = person('zed', ['member'], ['team-z']);
    const cond = readCondition(z, rules) ?? { any: [] };
    expect(matchesCondition(cond, { kind: 'Component', metadata: { name: 'a', namespace: 'ops' } }, () => [])).toBe(true);
    expect(matchesCondition(cond, { kind: 'Component', metadata: { name: 'a' } }, () => [])).toBe(false);
  });

  it('restricts ownedOnly tokens to owned entities whatever the rules', () => {
    expect(readCondition({ ...jane, ownedOnly: true }, rules)).toEqual({
      relation: 'ownedby',
      targets: ['user:default/jane', 'group:default/team-a'],
    });
  });
});
