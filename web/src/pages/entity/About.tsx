/** The entity's overview: description and the fields people look for first (owner, system, type, lifecycle…). */
import type { ReactNode } from 'react';
import type { Entity } from '../../api.js';
import { Card, LifecycleBadge, RefLink, Tags } from '../../components/ui.js';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

/** The "About" card of an entity: its description and a list of facts (owner, system, type, lifecycle, email, tags…). */
export function About({ entity }: { entity: Entity }) {
  const spec = entity.spec ?? {};
  const profile = (spec.profile ?? {}) as Record<string, unknown>;
  const rows: [string, ReactNode][] = [];
  const ref = (label: string, value: unknown, defaultKind: string) => {
    const v = str(value);
    if (v) rows.push([label, <RefLink entityRef={v} defaultKind={defaultKind} />]);
  };
  ref('Owner', spec.owner, 'group');
  ref('System', spec.system, 'system');
  ref('Domain', spec.domain, 'domain');
  ref('Parent', spec.parent, 'group');
  ref('Subcomponent of', spec.subcomponentOf, 'component');
  if (str(spec.type)) rows.push(['Type', str(spec.type)]);
  if (str(spec.lifecycle)) rows.push(['Lifecycle', <LifecycleBadge lifecycle={spec.lifecycle} />]);
  if (str(profile.displayName)) rows.push(['Display name', str(profile.displayName)]);
  if (str(profile.email)) rows.push(['Email', <a href={`mailto:${str(profile.email) ?? ''}`}>{str(profile.email)}</a>]);
  rows.push(['Namespace', entity.metadata.namespace ?? 'default']);
  if (entity.metadata.tags?.length) rows.push(['Tags', <Tags tags={entity.metadata.tags} />]);

  return (
    <Card title="About" id="about">
      {entity.metadata.description ? <p className="description">{entity.metadata.description}</p> : <p className="muted">No description.</p>}
      <dl className="facts">
        {rows.map(([label, value]) => (
          <div key={label} data-fact={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

/** The "Links" card: the entity's `metadata.links`, opened in a new tab, or "No links.". */
export function LinksCard({ entity }: { entity: Entity }) {
  const links = entity.metadata.links ?? [];
  return (
    <Card title="Links" id="links">
      {links.length === 0 ? (
        <p className="muted">No links.</p>
      ) : (
        <ul className="links">
          {links.map((l, i) => (
            <li key={`${l.url}-${i}`}>
              <a href={l.url} target="_blank" rel="noreferrer noopener">
                {l.title ?? l.url}
              </a>
              {l.title && <span className="muted small"> {l.url}</span>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** A key/value table of the entity's labels and annotations (sorted); nothing when it has neither. */
export function AnnotationsCard({ entity }: { entity: Entity }) {
  const entries = Object.entries(entity.metadata.annotations ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const labels = Object.entries(entity.metadata.labels ?? {});
  if (!entries.length && !labels.length) return null;
  return (
    <Card title="Annotations and labels" id="annotations">
      <table className="table table-kv">
        <tbody>
          {[...labels.map(([k, v]) => ['label', k, v] as const), ...entries.map(([k, v]) => ['annotation', k, v] as const)].map(([what, k, v]) => (
            <tr key={`${what}:${k}`}>
              <th className="mono">{k}</th>
              <td className="mono">{v}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
