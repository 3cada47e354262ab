// Every entity file of ../shared/catalogs/backstage-examples parses and validates. Expected counts are those of
// shared/README.md ("Entity counts by kind"), which were counted by reading the files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Entity } from './entity.js';
import { resolvePlaceholders } from './placeholders.js';
import { stringifyEntityRef } from './ref.js';
import { validateEntity } from './validate.js';
import { parseYamlDocuments } from './yaml.js';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/catalogs/backstage-examples');
/** Plain OpenAPI documents, read through `$text`, not entity files. */
const NOT_ENTITIES = new Set(['apis/petstore.oas.yaml', 'apis/petstore-webhook.oas.yaml']);

function entityFiles(): string[] {
  return (readdirSync(EXAMPLES, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.yaml') && !NOT_ENTITIES.has(f))
    .sort();
}

function loadAll(): { file: string; entity: Entity }[] {
  return entityFiles().flatMap((file) => {
    const { documents, errors } = parseYamlDocuments(readFileSync(path.join(EXAMPLES, file), 'utf8'));
    expect(errors, file).toEqual([]);
    return documents.map((doc) => {
      const result = validateEntity(doc.value);
      expect(result.ok ? [] : result.issues, `${file}:${doc.line}`).toEqual([]);
      return { file, entity: (result as { entity: Entity }).entity };
    });
  });
}

describe('the Backstage example catalog', () => {
  it('has 45 entity files (47 .yaml minus the 2 OpenAPI documents) holding 63 valid entities, counted by kind as in shared/README.md', () => {
    expect(entityFiles()).toHaveLength(45);
    const all = loadAll();
    expect(all).toHaveLength(63);
    const byKind: Record<string, number> = {};
    for (const { entity } of all) byKind[entity.kind] = (byKind[entity.kind] ?? 0) + 1;
    expect(byKind).toEqual({ API: 10, Component: 13, Domain: 3, Group: 8, Location: 8, Resource: 1, System: 3, User: 17 });
  });

  it('has 63 distinct refs: the two guests differ by namespace', () => {
    const refs = loadAll().map(({ entity }) => stringifyEntityRef(entity));
    expect(new Set(refs).size).toBe(63);
    expect(refs.filter((r) => r.endsWith('/guest')).sort()).toEqual(['user:default/guest', 'user:development/guest']);
  });

  it('accepts the mcp-server API, which has spec.remotes and no definition', () => {
    const mcp = loadAll().find(({ entity }) => entity.metadata.name === 'backstage-mcp-server');
    expect(mcp?.file).toBe('apis/backstage-mcp-server-api.yaml');
    expect(mcp?.entity.spec?.definition).toBeUndefined();
    expect(mcp?.entity.spec?.remotes).toEqual([{ type: 'streamable-http', url: 'http://localhost:7007/api/mcp/v1' }]);
  });

  it('resolves the local $text of petstore-webhook and reports the three remote ones', async () => {
    const apis = loadAll().filter(({ file }) => file.startsWith('apis/'));
    const read = (target: string): Promise<string> =>
      target.startsWith('https://')
        ? Promise.reject(new Error('host not allowed'))
        : Promise.resolve(readFileSync(path.join(EXAMPLES, 'apis', target), 'utf8'));
    const failed: string[] = [];
    for (const { entity } of apis) {
      const { value, errors } = await resolvePlaceholders(entity, read);
      for (const e of errors) failed.push(`${entity.metadata.name} ${e.path} ${e.kind}`);
      if (entity.metadata.name === 'petstore-webhook') {
        const expected = readFileSync(path.join(EXAMPLES, 'apis/petstore-webhook.oas.yaml'), 'utf8');
        expect((value as Entity).spec?.definition).toBe(expected);
      }
    }
    expect(failed.sort()).toEqual([
      'spotify spec.definition text',
      'wayback-archive spec.definition text',
      'wayback-search spec.definition text',
    ]);
  });
});
