/**
 * `/create`: the golden paths (Template entities in the catalog) as cards — title, description, type, owner, tags
 * and version — each opening its form at `/create/:namespace/:name`.
 */
import { Link } from 'react-router-dom';
import { scaffolderApi } from '../api-scaffolder.js';
import type { Entity } from '../api.js';
import { useApi } from '../hooks.js';
import { Badge, Empty, ErrorState, Loading, RefLink, Tags } from '../components/ui.js';
import { useTemplateVersions } from './create/versions.js';

/** `/create`: the golden paths the caller may read, as cards (title, description, type, owner, tags, version). */
export default function CreatePage() {
  const templates = useApi((signal) => scaffolderApi.templates(signal), []);
  const versions = useTemplateVersions();
  const items = templates.data?.items ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Create</h1>
        <Link to="/create/tasks">Runs</Link>
      </div>
      <p className="muted">Golden paths: pick one, answer a few questions, and get a repository that is ready for production.</p>
      {templates.error ? (
        <ErrorState error={templates.error} what="templates" />
      ) : templates.loading && !templates.data ? (
        <Loading what="templates" />
      ) : items.length === 0 ? (
        <Empty>No templates in the catalog yet. Register a location holding a Template entity.</Empty>
      ) : (
        <div className="template-grid">
          {items.map((t) => (
            <TemplateCard key={`${t.metadata.namespace ?? 'default'}/${t.metadata.name}`} entity={t} version={versions(t)} />
          ))}
        </div>
      )}
    </div>
  );
}

function TemplateCard({ entity, version }: { entity: Entity; version: string | undefined }) {
  const ns = entity.metadata.namespace ?? 'default';
  const spec = entity.spec ?? {};
  const title = entity.metadata.title ?? entity.metadata.name;
  return (
    <article className="template-card" data-template={entity.metadata.name}>
      <header className="template-card-head">
        <h2 className="template-title">{title}</h2>
        {typeof spec.type === 'string' && <Badge tone="kind">{spec.type}</Badge>}
      </header>
      <p className="template-desc">{entity.metadata.description ?? <span className="muted">No description.</span>}</p>
      <dl className="template-facts">
        <div>
          <dt>Owner</dt>
          <dd>{typeof spec.owner === 'string' ? <RefLink entityRef={spec.owner} defaultKind="group" /> : <span className="muted">—</span>}</dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd className="template-version">{version ?? <span className="muted">—</span>}</dd>
        </div>
      </dl>
      <Tags tags={entity.metadata.tags} />
      <footer className="template-card-foot">
        <Link className="button button-primary" to={`/create/${encodeURIComponent(ns)}/${encodeURIComponent(entity.metadata.name)}`}>
          Choose
        </Link>
      </footer>
    </article>
  );
}
