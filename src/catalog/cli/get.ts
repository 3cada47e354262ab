import { stringify } from 'yaml';
import { TarmacError } from '../../core/errors.js';
import type { CompoundEntityRef } from '../model/entity.js';
import { parseEntityRef } from '../model/ref.js';
import type { CatalogClient } from './client.js';

/**
 * Parses `[kind:][namespace/]name` as typed on the command line (model `parseEntityRef`, Backstage rules); kind
 * defaults to `Component`, namespace to `default`. Case is kept; the server compares refs case-insensitively.
 * @throws TarmacError BAD_REQUEST when a part is empty
 */
export function parseRefArg(ref: string): CompoundEntityRef {
  return parseEntityRef(ref.trim(), { defaultKind: 'Component', defaultNamespace: 'default' });
}

/**
 * `tarmac catalog get <ref>`: fetches one entity (`GET /entities/by-name/:kind/:namespace/:name`) and returns it
 * as YAML (default) or pretty JSON, with `relations` and `status.items` as the server sends them.
 * @throws TarmacError NOT_FOUND (exit 1) when no such entity; client errors otherwise
 */
export async function getEntityText(client: CatalogClient, ref: string, format: 'yaml' | 'json'): Promise<string> {
  const { kind, namespace, name } = parseRefArg(ref);
  const entity = await client.getEntityByName(kind, namespace, name);
  if (!entity) {
    throw new TarmacError('NOT_FOUND', `no entity ${`${kind}:${namespace}/${name}`.toLowerCase()} in the catalog at ${client.baseUrl}`);
  }
  return format === 'json' ? `${JSON.stringify(entity, null, 2)}\n` : stringify(entity, { lineWidth: 0 });
}
