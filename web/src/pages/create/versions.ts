/**
 * Template versions for the template cards: Tarmac's `GET /api/scaffolder/v2/templates` lists each template with
 * its latest recorded version (docs/upgrades.md); without it (or before any run), the
 * `tarmac.dev/template-version` annotation is shown.
 */
import { apiRequest } from '../../api.js';
import type { Entity } from '../../api.js';
import { useApi } from '../../hooks.js';

/** The annotation a template may carry to name its version (docs/upgrades.md). */
export const VERSION_ANNOTATION = 'tarmac.dev/template-version';

type Listed = Record<string, unknown>;

/** Reads `v<number>` (and the version id) of one listed template, accepting the field names the server may use. */
function label(item: Listed): string | undefined {
  const latest = (item.latest ?? item.latestVersion) as Listed | string | undefined;
  const num = typeof latest === 'object' && latest ? latest.number : item.latestNumber ?? item.versionNumber;
  const id = typeof latest === 'object' && latest ? latest.version : typeof latest === 'string' ? latest : item.version;
  if (typeof num === 'number') return `v${num}`;
  return typeof id === 'string' ? id.slice(0, 12) : undefined;
}

/** A function giving each template entity's version label (`v3`), or undefined when unknown. */
export function useTemplateVersions(): (entity: Entity) => string | undefined {
  const listed = useApi(
    (signal) => apiRequest<Listed[] | { items?: Listed[]; templates?: Listed[] }>('/api/scaffolder/v2/templates', { signal }).catch(() => []),
    [],
  );
  const byRef = new Map<string, string>();
  const data = listed.data;
  const items = Array.isArray(data) ? data : (data?.items ?? data?.templates ?? []);
  for (const item of items) {
    const ref = item.templateRef ?? item.entityRef ?? item.ref;
    const v = label(item);
    if (typeof ref === 'string' && v) byRef.set(ref.toLowerCase(), v);
  }
  return (entity) => {
    const ref = `template:${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`.toLowerCase();
    return byRef.get(ref) ?? entity.metadata.annotations?.[VERSION_ANNOTATION];
  };
}
