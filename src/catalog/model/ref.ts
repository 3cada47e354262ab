/**
 * Entity references: `[<kind>:][<namespace>/]<name>`, compared case-insensitively.
 * Source of the rules: Backstage `packages/catalog-model/src/entity/ref.ts` (`parseEntityRef`,
 * `stringifyEntityRef`) and the kinds' relation fields in `packages/catalog-model/src/kinds/*EntityV1alpha1.ts`.
 */
import { TarmacError } from '../../core/errors.js';
import type { CompoundEntityRef } from './entity.js';

/** The namespace used when an entity or a ref names none. */
export const DEFAULT_NAMESPACE = 'default';

/**
 * Default kind per spec field, used when a ref written in that field has no `kind:` part:
 * owner → Group, system → System, domain → Domain, subdomainOf → Domain, providesApis/consumesApis → API,
 * dependsOn/dependencyOf → Component, parent/children → Group, members → User, memberOf → Group,
 * subcomponentOf → Component.
 * Source: Backstage `relationFields[].defaultKind` of each kind, except `dependsOn`/`dependencyOf`, which have no
 * default kind in Backstage (a kindless ref there fails processing); Tarmac reads them as Components.
 */
export const DEFAULT_KIND_BY_FIELD: Readonly<Record<string, string>> = Object.freeze({
  owner: 'Group',
  system: 'System',
  domain: 'Domain',
  subdomainOf: 'Domain',
  providesApis: 'API',
  consumesApis: 'API',
  dependsOn: 'Component',
  dependencyOf: 'Component',
  parent: 'Group',
  children: 'Group',
  members: 'User',
  memberOf: 'Group',
  subcomponentOf: 'Component',
});

/**
 * Parses `[kind:][namespace/]name`. If the first `/` comes before the first `:`, the ref has no kind
 * (`a/b:c` is namespace `a`, name `b:c`); otherwise everything after the first `:` (and `/`) is the name
 * (`a:b:c` is kind `a`, name `b:c`), as in Backstage.
 * Parts are returned as written (not lowercased); a missing kind or namespace takes the context default
 * (namespace defaults to `default`).
 * @throws TarmacError `BAD_REQUEST` when the ref is empty or not a string, a part is empty (`:x`, `a:/x`, `x/`),
 *   or it has no kind and no `defaultKind` was given.
 */
export function parseEntityRef(
  ref: string,
  context?: { defaultKind?: string; defaultNamespace?: string },
): CompoundEntityRef {
  if (typeof ref !== 'string' || ref.length === 0) {
    throw new TarmacError('BAD_REQUEST', 'Entity reference must be a non-empty string', { details: { ref } });
  }
  let colon = ref.indexOf(':');
  const slash = ref.indexOf('/');
  if (slash !== -1 && slash < colon) colon = -1;
  const kind = colon === -1 ? undefined : ref.slice(0, colon);
  const namespace = slash === -1 ? undefined : ref.slice(colon + 1, slash);
  const name = ref.slice(Math.max(colon + 1, slash + 1));
  if (kind === '' || namespace === '' || name === '') {
    throw new TarmacError('BAD_REQUEST', `Entity reference "${ref}" is not on the form [<kind>:][<namespace>/]<name>`, {
      details: { ref },
    });
  }
  const resolvedKind = kind ?? context?.defaultKind;
  if (!resolvedKind) {
    throw new TarmacError(
      'BAD_REQUEST',
      `Entity reference "${ref}" has no kind (write it as <kind>:[<namespace>/]<name>, e.g. "component:${ref}")`,
      { details: { ref } },
    );
  }
  return { kind: resolvedKind, namespace: namespace ?? (context?.defaultNamespace || DEFAULT_NAMESPACE), name };
}

/**
 * The canonical, lowercase form `kind:namespace/name` of a ref or an entity; namespace defaults to `default`.
 * Used as the catalog's key (`entity_ref`) and in every relation row.
 */
export function stringifyEntityRef(
  ref: CompoundEntityRef | { kind: string; metadata: { name: string; namespace?: string } },
): string {
  const { kind, namespace, name } =
    'metadata' in ref
      ? { kind: ref.kind, namespace: ref.metadata.namespace, name: ref.metadata.name }
      : { kind: ref.kind, namespace: ref.namespace, name: ref.name };
  return `${kind}:${namespace || DEFAULT_NAMESPACE}/${name}`.toLowerCase();
}
