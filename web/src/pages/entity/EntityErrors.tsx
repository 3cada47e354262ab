/** An entity's problems: the stored errors (`GET /errors?entityRef=`) with file:line:col, else `status.items`. */
import { api, type Entity } from '../../api.js';
import { useApi } from '../../hooks.js';
import { Card, ErrorState } from '../../components/ui.js';
import { ErrorsTable } from '../../components/ErrorsTable.js';
import { entityParts, refString } from '../../refs.js';

/**
 * The "Errors" card of an entity: its stored errors from `GET /api/catalog/errors?entityRef=…`, else its
 * `status.items` errors and warnings; nothing when there are none.
 */
export function EntityErrors({ entity }: { entity: Entity }) {
  const ref = refString(entityParts(entity));
  const stored = useApi((signal) => api.errors({ entityRef: ref, limit: 50, offset: 0 }, signal), [ref]);
  const status = (entity.status?.items ?? []).filter((i) => i.level === 'error' || i.level === 'warning');
  const items = stored.data?.items ?? [];
  if (!items.length && !status.length && !stored.error) return null;
  return (
    <Card title={<>Errors <span className="count count-bad">{Math.max(stored.data?.totalItems ?? 0, status.length)}</span></>} id="errors" className="card-errors">
      {stored.error && <ErrorState error={stored.error} what="errors" />}
      {items.length > 0 ? (
        <ErrorsTable items={items} showEntity={false} />
      ) : (
        <ul className="status-items">
          {status.map((s, i) => (
            <li key={i}>
              <strong>{s.level}</strong> {s.message}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
