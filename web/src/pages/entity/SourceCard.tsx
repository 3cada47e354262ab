/** The entity's YAML document as read (`…/source` → `{file, line, text}`), and an API's definition. */
import { api, ApiError, type Entity } from '../../api.js';
import { useApi } from '../../hooks.js';
import { Card, Empty, ErrorState, Loading } from '../../components/ui.js';
import type { RefParts } from '../../refs.js';

/** Text longer than this is cut in the page (a definition can be megabytes). */
const MAX_SHOWN = 200_000;

function Clipped({ text }: { text: string }) {
  return (
    <pre className="code">
      {text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}\n… (${(text.length - MAX_SHOWN).toLocaleString()} more characters)` : text}
    </pre>
  );
}

/**
 * The "Source" card of the entity `parts`: the YAML document it was read from, with file and line, fetched from
 * `GET /api/catalog/entities/by-name/:kind/:namespace/:name/source`.
 */
export function SourceCard({ parts }: { parts: RefParts }) {
  const source = useApi((signal) => api.entitySource(parts.kind, parts.namespace, parts.name, signal), [parts.kind, parts.namespace, parts.name]);
  const s = source.data;
  return (
    <Card title="Source" id="source">
      {source.error && (source.error instanceof ApiError && source.error.status === 404 ? <Empty>The source of this entity is not available.</Empty> : <ErrorState error={source.error} what="the source" />)}
      {!s && !source.error && <Loading what="source" />}
      {s && !s.text && <Empty>The source of this entity is not available.</Empty>}
      {s?.text && (
        <details open>
          <summary className="mono">
            {(s.file ?? 'source').replace(/^file:/, '')}
            {s.line ? `:${s.line}` : ''}
          </summary>
          <Clipped text={s.text} />
        </details>
      )}
    </Card>
  );
}

/** `spec.definition` of an API, collapsed by default. An unresolved placeholder (`{$text: …}`) shows as JSON. */
export function DefinitionCard({ entity }: { entity: Entity }) {
  const def = entity.spec?.definition;
  if (def === undefined) return null;
  const text = typeof def === 'string' ? def : JSON.stringify(def, null, 2);
  const lines = text.split('\n').length;
  return (
    <Card title="API definition" id="definition">
      <details>
        <summary>
          Show definition ({lines.toLocaleString()} {lines === 1 ? 'line' : 'lines'})
        </summary>
        <Clipped text={text} />
      </details>
    </Card>
  );
}
