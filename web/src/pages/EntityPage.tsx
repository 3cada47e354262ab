/**
 * Entity page `/catalog/:namespace/:kind/:name`: overview, relations, links, errors, annotations and source;
 * an API's definition; a Group's members, sub-groups and owned entities.
 */
import { Link, useParams } from 'react-router-dom';
import { api, type Entity } from '../api.js';
import { useApi } from '../hooks.js';
import { entityParts, refString, type RefParts } from '../refs.js';
import { Badge, ErrorState, KindBadge, LifecycleBadge, Loading } from '../components/ui.js';
import { About, AnnotationsCard, LinksCard } from './entity/About.js';
import { Relations } from './entity/Relations.js';
import { EntityErrors } from './entity/EntityErrors.js';
import { DefinitionCard, SourceCard } from './entity/SourceCard.js';
import { GroupSections } from './entity/GroupSections.js';
import { GoldenPathCard } from './entity/GoldenPathCard.js';

/** Relations a Group's page lists in their own paginated sections instead of the relations card. */
const GROUP_LISTS = ['hasMember', 'parentOf', 'ownerOf'];

/** `/catalog/:namespace/:kind/:name`: one entity — overview, relations, source, errors, and for components scaffolded from a template the golden-path card. */
export default function EntityPage() {
  const params = useParams();
  const parts: RefParts = { kind: (params.kind ?? '').toLowerCase(), namespace: params.namespace ?? 'default', name: params.name ?? '' };
  const result = useApi((signal) => api.entityByName(parts.kind, parts.namespace, parts.name, signal), [parts.kind, parts.namespace, parts.name]);
  const entity = result.data;
  const current = entity && refString(entityParts(entity)) === refString(parts) ? entity : undefined;

  if (result.error) {
    return (
      <div className="page">
        <Breadcrumb parts={parts} />
        <h1>{parts.name}</h1>
        <ErrorState error={result.error} what="Entity" />
        <p>
          <Link to={`/catalog?kind=${encodeURIComponent(parts.kind)}`}>Browse the catalog</Link> or search for it above.
        </p>
      </div>
    );
  }
  if (!current) return <Loading what="entity" />;
  return <EntityView key={refString(parts)} entity={current} parts={parts} />;
}

function Breadcrumb({ parts }: { parts: RefParts }) {
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/catalog">Catalog</Link> / <Link to={`/catalog?kind=${encodeURIComponent(parts.kind)}`}>{parts.kind}</Link> /{' '}
      {parts.namespace !== 'default' && `${parts.namespace} / `}
      <span>{parts.name}</span>
    </nav>
  );
}

function EntityView({ entity, parts }: { entity: Entity; parts: RefParts }) {
  const spec = entity.spec ?? {};
  const problems = (entity.status?.items ?? []).filter((i) => i.level === 'error').length;
  const isGroup = parts.kind === 'group';
  return (
    <div className="page">
      <Breadcrumb parts={parts} />
      <div className="entity-head">
        <h1>{entity.metadata.title ?? entity.metadata.name}</h1>
        <div className="entity-badges">
          <KindBadge kind={entity.kind} />
          {typeof spec.type === 'string' && <Badge>{spec.type}</Badge>}
          <LifecycleBadge lifecycle={spec.lifecycle} />
          {problems > 0 && (
            <a href="#errors" className="badge-link">
              <Badge tone="bad">
                {problems} {problems === 1 ? 'error' : 'errors'}
              </Badge>
            </a>
          )}
        </div>
        <p className="entity-ref mono">{refString(parts)}</p>
      </div>
      {entity.metadata.links?.length ? (
        <div className="grid-2">
          <About entity={entity} />
          <LinksCard entity={entity} />
        </div>
      ) : (
        <About entity={entity} />
      )}
      <EntityErrors entity={entity} />
      {parts.kind === 'component' && <GoldenPathCard componentRef={refString(parts)} />}
      <Relations entity={entity} hide={isGroup ? GROUP_LISTS : []} />
      {isGroup && <GroupSections entity={entity} />}
      {parts.kind === 'api' && <DefinitionCard entity={entity} />}
      <SourceCard parts={parts} />
      <AnnotationsCard entity={entity} />
    </div>
  );
}
