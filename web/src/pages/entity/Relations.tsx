/**
 * An entity's relations grouped by type. Titles come from one `by-refs` call; a `null` answer means the target
 * is not in the catalog (an unresolved relation), shown with a badge. Long groups show their first 20.
 */
import { Link } from 'react-router-dom';
import { api, type Entity } from '../../api.js';
import { useApi } from '../../hooks.js';
import { entityPath, parseRef, shortRef } from '../../refs.js';
import { Badge, Card, Empty, ErrorState } from '../../components/ui.js';

const LABELS: Record<string, string> = {
  ownedBy: 'Owned by',
  ownerOf: 'Owns',
  partOf: 'Part of',
  hasPart: 'Has part',
  providesApi: 'Provides API',
  apiProvidedBy: 'API provided by',
  consumesApi: 'Consumes API',
  apiConsumedBy: 'API consumed by',
  dependsOn: 'Depends on',
  dependencyOf: 'Dependency of',
  parentOf: 'Parent of',
  childOf: 'Child of',
  memberOf: 'Member of',
  hasMember: 'Has member',
};
const ORDER = Object.keys(LABELS);
const PER_TYPE = 20;
const REF_FIELDS = ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'];

/** `hide`: relation types the page shows elsewhere, paginated (a Group's members, sub-groups and owned entities). */
export function Relations({ entity, hide = [] }: { entity: Entity; hide?: readonly string[] }) {
  const groups = new Map<string, string[]>();
  for (const r of entity.relations ?? []) {
    if (hide.includes(r.type)) continue;
    const list = groups.get(r.type);
    if (list) list.push(r.targetRef);
    else groups.set(r.type, [r.targetRef]);
  }
  const types = [...groups.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const shown = types.flatMap((t) => (groups.get(t) ?? []).slice(0, PER_TYPE));
  const refsKey = shown.join(' ');
  const lookup = useApi(
    (signal) => (shown.length ? api.entitiesByRefs(shown, REF_FIELDS, signal) : Promise.resolve({ items: [] })),
    [refsKey],
  );
  const found = new Map<string, Entity | null>();
  shown.forEach((ref, i) => {
    const item = lookup.data?.items[i];
    if (item !== undefined) found.set(ref, item);
  });

  return (
    <Card title="Relations" id="relations">
      {lookup.error && <ErrorState error={lookup.error} what="relation titles" />}
      {types.length === 0 ? (
        <Empty>No relations.</Empty>
      ) : (
        <dl className="relations">
          {types.map((type) => {
            const refs = groups.get(type) ?? [];
            return (
              <div key={type} className="relation-group" data-relation={type}>
                <dt>{LABELS[type] ?? type}</dt>
                <dd>
                  <ul>
                    {refs.slice(0, PER_TYPE).map((ref) => (
                      <RelationItem key={ref} entityRef={ref} target={found.get(ref)} loaded={!!lookup.data} />
                    ))}
                  </ul>
                  {refs.length > PER_TYPE && <span className="muted">and {(refs.length - PER_TYPE).toLocaleString()} more</span>}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </Card>
  );
}

function RelationItem({ entityRef, target, loaded }: { entityRef: string; target: Entity | null | undefined; loaded: boolean }) {
  const parts = parseRef(entityRef);
  const label = target?.metadata.title ?? shortRef(parts, parts.kind);
  return (
    <li>
      <Badge tone="kind">{parts.kind}</Badge>
      {loaded && target === null ? (
        <>
          <span className="unresolved">{shortRef(parts, parts.kind)}</span> <Badge tone="warn">not in catalog</Badge>
        </>
      ) : (
        <Link to={entityPath(parts)}>{label}</Link>
      )}
    </li>
  );
}

function rank(type: string): number {
  const i = ORDER.indexOf(type);
  return i < 0 ? ORDER.length : i;
}
