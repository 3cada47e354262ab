/** A table of entities, name linking to the entity page. Columns need their fields selected (`TABLE_FIELDS`…). */
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Entity } from '../../api.js';
import { entityParts, entityPath } from '../../refs.js';
import { KindBadge, LifecycleBadge, RefLink, Tags } from '../../components/ui.js';

/** The optional columns after Name. */
export type Column = 'kind' | 'type' | 'owner' | 'lifecycle' | 'tags' | 'displayName' | 'email';

/** Extra fields `displayName` and `email` need beyond `TABLE_FIELDS`. */
export const PROFILE_FIELDS = ['spec.profile.displayName', 'spec.profile.email'];

const HEADERS: Record<Column, string> = {
  kind: 'Kind',
  type: 'Type',
  owner: 'Owner',
  lifecycle: 'Lifecycle',
  tags: 'Tags',
  displayName: 'Display name',
  email: 'Email',
};

const text = (v: unknown) => (typeof v === 'string' ? v : '');

function cell(e: Entity, column: Column): ReactNode {
  const spec = e.spec ?? {};
  const profile = (spec.profile ?? {}) as Record<string, unknown>;
  switch (column) {
    case 'kind':
      return <KindBadge kind={e.kind} />;
    case 'type':
      return text(spec.type);
    case 'owner':
      return typeof spec.owner === 'string' ? <RefLink entityRef={spec.owner} defaultKind="group" /> : '';
    case 'lifecycle':
      return <LifecycleBadge lifecycle={spec.lifecycle} />;
    case 'tags':
      return <Tags tags={e.metadata.tags} />;
    case 'displayName':
      return text(profile.displayName);
    case 'email':
      return text(profile.email);
  }
}

/** The columns shown when none are given: kind, type, owner, lifecycle and tags. */
export const DEFAULT_COLUMNS: readonly Column[] = ['kind', 'type', 'owner', 'lifecycle', 'tags'];

/**
 * The entity table: a Name column (title or name, with description, linking to the entity page) then `columns`
 * (default `DEFAULT_COLUMNS`). `items` are entities already fetched, e.g. from `GET /api/catalog/entities/by-query`.
 */
export function EntityTable({ items, columns = DEFAULT_COLUMNS }: { items: readonly Entity[]; columns?: readonly Column[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            {columns.map((c) => (
              <th key={c}>{HEADERS[c]}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const parts = entityParts(e);
            return (
              <tr key={`${parts.kind}:${parts.namespace}/${parts.name}`}>
                <td className="cell-name">
                  <Link to={entityPath(parts)}>
                    {parts.namespace !== 'default' && <span className="muted">{parts.namespace}/</span>}
                    {e.metadata.title ?? e.metadata.name}
                  </Link>
                  {e.metadata.description && <div className="cell-desc">{e.metadata.description}</div>}
                </td>
                {columns.map((c) => (
                  <td key={c}>{cell(e, c)}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
