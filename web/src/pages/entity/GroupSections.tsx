/** The extra sections of a Group's page: members, sub-groups and what it owns, each paginated. */
import type { Entity } from '../../api.js';
import { entityParts, refString } from '../../refs.js';
import { PagedEntities } from './PagedEntities.js';

/** A Group's Members, Sub-groups and Owns cards, each a `PagedEntities` on `GET /api/catalog/entities/by-query`. */
export function GroupSections({ entity }: { entity: Entity }) {
  const ref = refString(entityParts(entity));
  return (
    <>
      <PagedEntities title="Members" testId="members" filter={`kind=user,relations.memberof=${ref}`} empty="This group has no members." columns={['displayName', 'email']} />
      <PagedEntities title="Sub-groups" testId="subgroups" filter={`kind=group,relations.childof=${ref}`} empty="This group has no sub-groups." columns={['type', 'displayName']} />
      <PagedEntities title="Owns" testId="owns" filter={`relations.ownedby=${ref}`} empty="This group owns nothing yet." columns={['kind', 'type', 'lifecycle', 'tags']} />
    </>
  );
}
