import { describe, expect, it } from 'vitest';
import { BatchChannel } from './batch-channel.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('BatchChannel', () => {
  it('hands items over in batches, the last one partial', async () => {
    const ch = new BatchChannel<number>(3);
    const producer = (async () => {
      for (let i = 1; i <= 7; i++) await ch.push(i);
      ch.end();
    })();
    const got: number[][] = [];
    for await (const b of ch) got.push(b);
    await producer;
    expect(got).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
  });

  it('makes the producer wait while maxQueued batches are waiting', async () => {
    const ch = new BatchChannel<number>(2, 2);
    let pushed = 0;
    void (async () => {
      for (let i = 0; i < 10; i++) {
        await ch.push(i);
        pushed++;
      }
      ch.end();
    })();
    await tick();
    // batches [0,1] and [2,3] are queued; the push of 3 (which queued the second) waits
    expect(pushed).toBe(3);
    const it = ch[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual([0, 1]);
    await tick();
    // one batch taken: the producer goes on until two batches wait again ([2,3] and [4,5])
    expect(pushed).toBe(5);
  });

  it('makes the iteration throw the producer failure, and push throw after cancel', async () => {
    const failing = new BatchChannel<number>(2);
    await failing.push(1);
    failing.fail(new Error('broken'));
    await expect((async () => { for await (const _ of failing) { /* drain */ } })()).rejects.toThrow('broken');

    const ch = new BatchChannel<number>(1, 1);
    const producer = (async () => {
      await ch.push(1); // queued: waits
      await ch.push(2);
    })();
    await tick();
    ch.cancel();
    await expect(producer).rejects.toThrow('read cancelled');
  });

  it('cancels the producer when the consumer stops iterating early', async () => {
    const ch = new BatchChannel<number>(1, 1);
    const producer = (async () => {
      for (let i = 0; ; i++) await ch.push(i);
    })();
    for await (const b of ch) {
      expect(b).toEqual([0]);
      break;
    }
    await expect(producer).rejects.toThrow('read cancelled');
  });
});
