/** A table of stored ingestion errors: where (file:line:col), code, field path, message and the entity. */
import type { CatalogError } from '../api.js';
import { Badge, RefLink } from './ui.js';

/** `file:/a/b/apis/x.yaml` shown relative to its location's folder (`apis/x.yaml`), with line and column. */
export function errorPlace(e: CatalogError): { short: string; full: string } {
  const file = (e.sourceFile ?? e.locationTarget ?? '').replace(/^file:/, '');
  const base = (e.locationTarget ?? '').replace(/^file:/, '').replace(/[^/]*$/, '');
  const rel = base.length > 1 && file.startsWith(base) ? file.slice(base.length) : file;
  const pos = e.line ? `:${e.line}${e.col ? `:${e.col}` : ''}` : '';
  return { short: `${rel}${pos}`, full: `${file}${pos}` };
}

/**
 * The errors table: place (file:line:col, full path as tooltip), code badge, field path, message and, unless
 * `showEntity` is false, a link to the entity. `items` are rows already fetched from `GET /api/catalog/errors`.
 */
export function ErrorsTable({ items, showEntity = true }: { items: readonly CatalogError[]; showEntity?: boolean }) {
  return (
    <div className="table-wrap">
      <table className="table table-errors">
        <thead>
          <tr>
            <th>Where</th>
            <th>Code</th>
            {showEntity && <th>Entity</th>}
            <th>Field</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const place = errorPlace(e);
            return (
              <tr key={e.id}>
                <td className="mono" title={place.full}>
                  {place.short || '—'}
                </td>
                <td>
                  <Badge tone="bad">{e.code}</Badge>
                </td>
                {showEntity && <td className="nowrap">{e.entityRef ? <RefLink entityRef={e.entityRef} /> : <span className="muted">—</span>}</td>}
                <td className="mono">{e.fieldPath ?? ''}</td>
                <td className="cell-message">{e.message}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
