/**
 * Entity refs in the portal: `[kind:][namespace/]name`, compared lowercase (Backstage `parseEntityRef`,
 * `packages/catalog-model/src/entity/ref.ts`), and the portal path of an entity.
 */
import type { Entity } from './api.js';

/** A ref split into its parts; `kind` is lowercase, `namespace` defaults to `default`. */
export interface RefParts {
  kind: string;
  namespace: string;
  name: string;
}

/** Parses `[kind:][namespace/]name`; `defaultKind` is used when the ref has no kind (e.g. `group` for owners). */
export function parseRef(ref: string, defaultKind = '', defaultNamespace = 'default'): RefParts {
  const colon = ref.indexOf(':');
  const kind = colon > 0 ? ref.slice(0, colon) : defaultKind;
  const rest = colon > 0 ? ref.slice(colon + 1) : ref;
  const slash = rest.indexOf('/');
  const namespace = slash > 0 ? rest.slice(0, slash) : defaultNamespace;
  const name = slash > 0 ? rest.slice(slash + 1) : rest;
  return { kind: kind.toLowerCase(), namespace, name };
}

/** `kind:namespace/name`, all lowercase (the form relation filters and `by-refs` take). */
export function refString(p: RefParts): string {
  return `${p.kind}:${p.namespace}/${p.name}`.toLowerCase();
}

/** The parts of an entity's own ref. */
export function entityParts(e: Entity): RefParts {
  return { kind: e.kind.toLowerCase(), namespace: e.metadata.namespace ?? 'default', name: e.metadata.name };
}

/** The portal page of an entity: `/catalog/:namespace/:kind/:name`. */
export function entityPath(p: RefParts): string {
  return `/catalog/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.kind.toLowerCase())}/${encodeURIComponent(p.name)}`;
}

/** A short label for a ref: the name, prefixed by kind/namespace only where they are not the defaults. */
export function shortRef(p: RefParts, defaultKind = ''): string {
  const kind = p.kind && p.kind !== defaultKind ? `${p.kind}:` : '';
  const ns = p.namespace !== 'default' ? `${p.namespace}/` : '';
  return `${kind}${ns}${p.name}`;
}
