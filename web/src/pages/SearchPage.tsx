/** Ranked full-text search (`GET /search`) over name, title, description, tags and owner, 20 hits a page. */
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api.js';
import { useApi } from '../hooks.js';
import { Card, Empty, ErrorState, KindBadge, Loading, Pager, RefLink } from '../components/ui.js';
import { entityPath } from '../refs.js';

const PAGE_SIZE = 20;

export default function SearchPage() {
  const [params, setParams] = useSearchParams();
  const term = (params.get('q') ?? '').trim();
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const result = useApi(
    (signal) => (term ? api.search({ term, limit: PAGE_SIZE, offset }, signal) : Promise.resolve({ items: [], totalItems: 0 })),
    [term, offset],
  );
  const data = result.data;
  const go = (o: number) => setParams({ q: term, ...(o ? { offset: String(o) } : {}) });
  return (
    <div className="page">
      <h1>Search{term && <span className="muted"> “{term}”</span>}</h1>
      <Card
        title={data ? `${data.totalItems.toLocaleString()} ${data.totalItems === 1 ? 'result' : 'results'}` : 'Results'}
        actions={
          <>
            {term && <Link to={`/catalog?q=${encodeURIComponent(term)}`}>Open in catalog table</Link>}
            {data && data.totalItems > PAGE_SIZE && (
              <Pager
                label={`${offset + 1}–${Math.min(offset + PAGE_SIZE, data.totalItems)}`}
                busy={result.loading}
                onPrev={offset > 0 ? () => go(Math.max(0, offset - PAGE_SIZE)) : undefined}
                onNext={offset + PAGE_SIZE < data.totalItems ? () => go(offset + PAGE_SIZE) : undefined}
              />
            )}
          </>
        }
      >
        {!term && <Empty>Type a name, title, description, tag or owner in the search box.</Empty>}
        {result.error && <ErrorState error={result.error} what="search results" />}
        {term && !data && !result.error && <Loading what="results" />}
        {term && data && !result.error && data.items.length === 0 && <Empty>Nothing matches “{term}”.</Empty>}
        {data && data.items.length > 0 && (
          <ol className="hits">
            {data.items.map((h) => (
              <li key={h.entityRef} className="hit">
                <div className="hit-title">
                  <Link to={entityPath({ kind: h.kind.toLowerCase(), namespace: h.namespace, name: h.name })}>{h.title ?? h.name}</Link>
                  <KindBadge kind={h.kind} />
                  {h.owner && (
                    <span className="muted small">
                      owner <RefLink entityRef={h.owner} defaultKind="group" />
                    </span>
                  )}
                </div>
                {h.description && <p className="hit-desc">{h.description}</p>}
                <span className="muted small mono">{h.entityRef}</span>
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
