/**
 * Catalog: a server-side paginated table (`by-query`, 50 per page, cursor paging) with filters for kind, type,
 * owner, lifecycle and tag (values from `entity-facets`) and a full-text search. Everything is in the URL.
 */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { api, TABLE_FIELDS } from '../api.js';
import { useApi, useDebounced } from '../hooks.js';
import { Card, Empty, ErrorState, Loading, Pager } from '../components/ui.js';
import { FacetFilter } from './catalog/FacetFilter.js';
import { DEFAULT_COLUMNS, EntityTable } from './catalog/EntityTable.js';
import { FILTER_KEYS, filterFromParams, withParam } from './catalog/filters.js';

const PAGE_SIZE = 50;
const SPEC_FACETS = ['spec.type', 'spec.owner', 'spec.lifecycle', 'metadata.tags'];

export default function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') ?? '';
  const q = params.get('q') ?? '';
  const cursor = params.get('cursor') ?? '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const filter = filterFromParams(params);
  const filterKey = filter.join('|');

  const [term, setTerm] = useState(q);
  useEffect(() => setTerm(q), [q]);
  const debouncedTerm = useDebounced(term, 300);
  useEffect(() => {
    if (debouncedTerm.trim() !== q) setParams(withParam(params, 'q', debouncedTerm.trim()), { replace: true });
    // Only a change of the typed term writes the URL (deps are deliberately just the term).
  }, [debouncedTerm]);

  const kinds = useApi((signal) => api.facets(['kind'], [], signal), []);
  const facets = useApi((signal) => api.facets(SPEC_FACETS, filterFromParams(params, ['kind']), signal), [kind]);
  const result = useApi(
    (signal) =>
      api.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE, fields: TABLE_FIELDS }
          : { filter, fields: TABLE_FIELDS, limit: PAGE_SIZE, orderField: 'metadata.name,asc', fullTextFilterTerm: q },
        signal,
      ),
    [filterKey, q, cursor],
  );

  const set = (key: string, value: string) => setParams(withParam(params, key, value));
  const goTo = (nextCursor: string, nextPage: number) => {
    const next = new URLSearchParams(params);
    next.set('cursor', nextCursor);
    next.set('page', String(nextPage));
    setParams(next);
  };
  const data = result.data;
  const active = FILTER_KEYS.some((k) => params.get(k)) || q;
  const facet = (name: string) => facets.data?.facets[name];

  return (
    <div className="page">
      <h1>Catalog</h1>
      <div className="filters" aria-label="Filters">
        <form className="filter filter-search" role="search" onSubmit={(e) => e.preventDefault()}>
          <span>Search</span>
          <input type="search" aria-label="Filter by text" placeholder="Name, title…" value={term} onChange={(e) => setTerm(e.target.value)} />
        </form>
        <FacetFilter mode="select" label="Kind" value={kind} values={kinds.data?.facets.kind} onChange={(v) => set('kind', v)} />
        <FacetFilter mode="combo" label="Type" value={params.get('type') ?? ''} values={facet('spec.type')} onChange={(v) => set('type', v)} />
        <FacetFilter mode="combo" label="Owner" value={params.get('owner') ?? ''} values={facet('spec.owner')} onChange={(v) => set('owner', v)} />
        <FacetFilter mode="select" label="Lifecycle" value={params.get('lifecycle') ?? ''} values={facet('spec.lifecycle')} onChange={(v) => set('lifecycle', v)} />
        <FacetFilter mode="combo" label="Tag" value={params.get('tag') ?? ''} values={facet('metadata.tags')} onChange={(v) => set('tag', v)} />
      </div>
      <Card
        title={data ? <span data-testid="total-items">{data.totalItems.toLocaleString()} {data.totalItems === 1 ? 'entity' : 'entities'}</span> : 'Entities'}
        actions={
          data && (
            <>
              {active && (
                <button type="button" className="link-button" onClick={() => setParams(new URLSearchParams())}>
                  Clear all filters
                </button>
              )}
              <Pager
                label={`Page ${page}`}
                busy={result.loading}
                onPrev={data.pageInfo.prevCursor ? () => goTo(data.pageInfo.prevCursor ?? '', page - 1) : undefined}
                onNext={data.pageInfo.nextCursor ? () => goTo(data.pageInfo.nextCursor ?? '', page + 1) : undefined}
              />
            </>
          )
        }
      >
        {result.error && <ErrorState error={result.error} what="entities" />}
        {!data && !result.error && <Loading what="entities" />}
        {data && !result.error && (data.items.length ? <EntityTable items={data.items} columns={kind ? DEFAULT_COLUMNS.slice(1) : DEFAULT_COLUMNS} /> : <Empty>No entities match {active ? 'these filters' : 'yet'}.</Empty>)}
      </Card>
    </div>
  );
}
