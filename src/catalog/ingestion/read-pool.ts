import { readSource, type Readers, type SourceFile } from './sources.js';

/** The outcome of reading one catalog file: its text, or the reader's error (see readers/types.ts). */
export type Read = { ok: true; text: string } | { ok: false; error: unknown };

/**
 * Reads catalog files ahead of their processing, at most `concurrency` at once. A file is read once per pool;
 * `take` hands its outcome over and forgets it (the text is not kept after that).
 */
export class ReadPool {
  private readonly reads = new Map<string, Promise<Read>>();
  private readonly waiting: Array<() => void> = [];
  private active = 0;

  constructor(
    private readonly readers: Readers,
    private readonly concurrency: number,
  ) {}

  /** Starts reading `src` unless already started. Never rejects. */
  start(src: SourceFile): Promise<Read> {
    let p = this.reads.get(src.key);
    if (!p) {
      p = this.acquire().then(() =>
        readSource(src, this.readers)
          .then((text): Read => ({ ok: true, text }), (error: unknown): Read => ({ ok: false, error }))
          .finally(() => this.release()),
      );
      this.reads.set(src.key, p);
    }
    return p;
  }

  /** The outcome of reading `src` (started now if needed); the pool forgets it. */
  async take(src: SourceFile): Promise<Read> {
    const p = this.start(src);
    this.reads.delete(src.key);
    return p;
  }

  private async acquire(): Promise<void> {
    if (this.active < this.concurrency) {
      this.active++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
