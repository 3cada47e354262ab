import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../core/config.js';
import type { LocationReadStream } from '../storage/types.js';
import { createReaders } from './readers/index.js';
import { STREAM_BATCH, streamLocation } from './read-stream.js';
import { component, docs, location, tempTree, type TempTree } from './testing/trees.js';

let tree: TempTree;
beforeAll(() => {
  tree = tempTree();
});
afterAll(() => tree.remove());

const opts = () => ({ readers: createReaders({ reading: defaultConfig().catalog.reading, dataDir: tree.p('.data') }) });
const drain = async (s: LocationReadStream): Promise<string[][]> => {
  const out: string[][] = [];
  for await (const b of s.batches) out.push(b.map((p) => p.ref));
  return out;
};

describe('streamLocation', () => {
  it('hands the entities over in walk order, in batches of STREAM_BATCH', async () => {
    const n = STREAM_BATCH + 2;
    const names = Array.from({ length: n }, (_, i) => `c${String(i).padStart(4, '0')}`);
    tree.write({ 'many/root.yaml': docs(location('root', ['./all.yaml'])), 'many/all.yaml': docs(...names.map((x) => component(x))) });
    const read = streamLocation({ type: 'file', target: tree.p('many/root.yaml') }, opts());
    const batches = await drain(read.stream);
    // the Location entity first, then the components: STREAM_BATCH + 3 entities → one full batch and 3 left
    expect(batches.map((b) => b.length)).toEqual([STREAM_BATCH, 3]);
    expect(batches.flat()).toEqual(['location:default/root', ...names.map((x) => `component:default/${x}`)]);
    const trailer = await read.stream.trailer();
    expect(trailer).toEqual({ errors: [], failedFiles: [], invalidRefs: [] });
    expect((await read.outcome).result.entities).toEqual([]);
  });

  it('asks to keep every previous entity when nothing of the root could be read', async () => {
    const read = streamLocation({ type: 'file', target: tree.p('missing/root.yaml') }, opts());
    expect(await drain(read.stream)).toEqual([]);
    const trailer = await read.stream.trailer();
    expect(trailer.keepPrevious).toBe(true);
    expect(trailer.errors.map((e) => e.code)).toEqual(['fetch']);
    expect((await read.outcome).rootFailed).toBe(true);
  });
});
