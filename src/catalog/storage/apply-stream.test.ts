import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestDatabase } from '../../core/testing/databases.js';
import { openTestDatabase, testEngines } from '../../core/testing/databases.js';
import { catalogMigrations } from './migrations.js';
import type { CatalogStore } from './index.js';
import { createCatalogStore } from './index.js';
import type { LocationReadStream, ProcessedEntity, ReadTrailer } from './types.js';
import { leasedLocation, pe, rel } from './testing/fixtures.js';

const OWNER = 'test-owner';

/** Components c-<from> … c-<to - 1>, each owned by group:default/g, with `description`. */
function components(from: number, to: number, description?: string): ProcessedEntity[] {
  const out: ProcessedEntity[] = [];
  for (let i = from; i < to; i++) {
    out.push(
      pe('Component', `c-${i}`, {
        spec: { type: 'service', owner: 'g' },
        ...(description ? { metadata: { description } } : {}),
        relations: rel(`component:default/c-${i}`, 'ownedBy', 'group:default/g', 'ownerOf'),
      }),
    );
  }
  return out;
}

/** A stream of `batches`; `fail` makes the iteration throw after them. */
function stream(batches: ProcessedEntity[][], trailer: Partial<ReadTrailer> = {}, fail?: Error): LocationReadStream {
  return {
    batches: (async function* () {
      for (const b of batches) {
        await new Promise((r) => setImmediate(r));
        yield b;
      }
      if (fail) throw fail;
    })(),
    trailer: () => Promise.resolve({ errors: [], failedFiles: [], invalidRefs: [], ...trailer }),
  };
}

describe.each(testEngines())('applyLocationResult with a stream on %s', (engine) => {
  let t: TestDatabase;
  let store: CatalogStore;
  let loc: string;
  const count = async (sql: string): Promise<number> => Number((await t.db.query<{ n: number }>(sql))[0]?.n);
  const generation = () => count('SELECT generation AS n FROM catalog_state');

  beforeAll(async () => {
    t = await openTestDatabase(engine, catalogMigrations);
    store = createCatalogStore(t.db);
    loc = await leasedLocation(store, '/cat/stream.yaml', OWNER);
  });
  afterAll(async () => t?.close());

  it('writes batches as they come, removing what is no longer emitted only at the end', async () => {
    // 4,500 entities in three batches: more than one 2,000-entity statement per batch
    const first = await store.applyLocationResult(loc, OWNER, stream([components(0, 2000), components(2000, 4000), components(4000, 4500)]));
    expect(first).toEqual({ added: 4500, updated: 0, removed: 0, unchanged: 0, conflicts: 0, errors: 0 });
    expect(await count('SELECT count(*)::int AS n FROM catalog_entities')).toBe(4500);
    expect(await count('SELECT count(*)::int AS n FROM catalog_relations')).toBe(4500); // one row per pair
    // next read: c-0 … c-499 gone, c-4500 … c-4999 new, c-500 … c-3999 as before, c-4000 … c-4499 changed
    const second = await store.applyLocationResult(
      loc,
      OWNER,
      stream([components(500, 4000), components(4000, 4500, 'new'), components(4500, 5000)]),
    );
    expect(second).toEqual({ added: 500, updated: 500, removed: 500, unchanged: 3500, conflicts: 0, errors: 0 });
    expect(await count(`SELECT count(*)::int AS n FROM catalog_entities WHERE name IN ('c-0', 'c-499')`)).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM catalog_entities')).toBe(4500);
    expect(await count('SELECT count(*)::int AS n FROM catalog_relations')).toBe(4500);
  });

  it('commits nothing when the read fails after some batches were written', async () => {
    const gen = await generation();
    const err = await store
      .applyLocationResult(loc, OWNER, stream([components(500, 2500, 'v2'), components(5000, 7000)], {}, new Error('disk gone')))
      .catch((e: unknown) => e);
    expect((err as Error).message).toBe('disk gone');
    expect(await count(`SELECT count(*)::int AS n FROM catalog_entities WHERE entity->'metadata'->>'description' = 'v2'`)).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM catalog_entities')).toBe(4500);
    expect(await count('SELECT count(*)::int AS n FROM catalog_relations')).toBe(4500);
    expect(await generation()).toBe(gen);
  });

  it('keeps every stored entity when the trailer says keepPrevious', async () => {
    const fetch = { code: 'fetch' as const, message: 'root unreadable', sourceFile: 'file:/cat/stream.yaml' };
    const summary = await store.applyLocationResult(loc, OWNER, stream([], { errors: [fetch], keepPrevious: true }));
    expect(summary).toEqual({ added: 0, updated: 0, removed: 0, unchanged: 4500, conflicts: 0, errors: 1 });
    expect(await count('SELECT count(*)::int AS n FROM catalog_entities')).toBe(4500);
  });
});
