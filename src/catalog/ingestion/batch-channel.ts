import { TarmacError } from '../../core/errors.js';

/**
 * Hands items from one producer to one consumer in batches of `size`, with at most `maxQueued` full batches
 * waiting (the producer's `push` waits beyond that), so a fast reader never gets far ahead of a slow writer.
 * The consumer iterates (`for await`); `end()` flushes the last batch and ends the iteration, `fail(err)` makes
 * it throw `err`. `cancel()` (also called when the consumer stops iterating early) makes every later `push`
 * throw a TarmacError INTERNAL "read cancelled", which stops the producer.
 */
export class BatchChannel<T> implements AsyncIterable<T[]> {
  private batch: T[] = [];
  private readonly queue: T[][] = [];
  private state: 'open' | 'ended' | 'failed' | 'cancelled' = 'open';
  private failure: unknown;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(
    private readonly size: number,
    private readonly maxQueued = 2,
  ) {}

  /** Adds an item; waits while `maxQueued` batches are waiting. @throws TarmacError INTERNAL once cancelled */
  async push(item: T): Promise<void> {
    if (this.state === 'cancelled') throw new TarmacError('INTERNAL', 'read cancelled');
    this.batch.push(item);
    if (this.batch.length < this.size) return;
    this.queue.push(this.batch);
    this.batch = [];
    this.wake('consumer');
    while (this.queue.length >= this.maxQueued && this.state === 'open') {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    }
    if (this.cancelled()) throw new TarmacError('INTERNAL', 'read cancelled');
  }

  private cancelled(): boolean {
    return this.state === 'cancelled';
  }

  /** No more items: the consumer gets the last (partial) batch, then the iteration ends. */
  end(): void {
    if (this.state !== 'open') return;
    if (this.batch.length > 0) this.queue.push(this.batch);
    this.batch = [];
    this.state = 'ended';
    this.wake('consumer');
  }

  /** The producer failed: the consumer's iteration throws `err` (batches not yet taken are dropped). */
  fail(err: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.failure = err;
    this.queue.length = 0;
    this.batch = [];
    this.wake('consumer');
  }

  /** The consumer gave up: drops what is queued and makes the producer's next `push` throw. */
  cancel(): void {
    if (this.state === 'open') this.state = 'cancelled';
    this.queue.length = 0;
    this.batch = [];
    this.wake('producer');
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T[]> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next) {
          this.wake('producer');
          yield next;
          continue;
        }
        if (this.state === 'failed') throw this.failure;
        if (this.state !== 'open') return;
        await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
      }
    } finally {
      if (this.state === 'open') this.cancel();
    }
  }

  private wake(who: 'consumer' | 'producer'): void {
    const fn = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    fn?.();
  }
}
