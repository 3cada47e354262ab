import { errorMessage, isTarmacError } from '../../core/errors.js';
import type { Entity } from '../model/entity.js';
import { parseYamlDocuments } from '../model/yaml.js';
import type { IngestError, LocationReadResult, ProcessedEntity } from '../storage/types.js';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './limits.js';
import { processDocument } from './process-document.js';
import { expandRoot, originKey, type RootLocation } from './roots.js';
import { ReadPool } from './read-pool.js';
import { readSource, resolveLocationTarget, resolveRelative, type Readers, type SourceFile } from './sources.js';

/** Options of `processLocation`. */
export interface ProcessLocationOptions {
  readers: Readers;
  /** Overrides of `DEFAULT_INGEST_LIMITS`. */
  limits?: Partial<IngestLimits>;
  /** Called after each catalog file: files done, files known so far. */
  onProgress?: (p: { done: number; total: number }) => void;
  /**
   * The entities previously stored from a file (`<type>:<target>`). Used when that file (or a Location entity in
   * it) fails this time: storage keeps those entities, and the walk follows their Location entities' targets so the
   * files below a broken one are still read and kept (as Backstage does). Without it, they are not followed.
   */
  previousEntities?: (sourceFile: string) => Promise<Entity[]>;
  /**
   * Receives each entity as soon as it is processed (awaited: a slow receiver slows the walk down); the entities
   * are then not collected in `result.entities`. See read-stream.ts.
   */
  onEntity?: (p: ProcessedEntity) => void | Promise<void>;
}

/** What `processLocation` produced. */
export interface ProcessOutcome {
  result: LocationReadResult;
  /** True when nothing of the root could be read (root files unreadable, checkout failed, glob matched nothing). */
  rootFailed: boolean;
  /** Catalog files read successfully. */
  files: number;
  /** Entities emitted (also when they went to `onEntity`). */
  emitted: number;
}


/**
 * Documents processed between two yields to the event loop: processing is CPU-bound, and without yielding a big
 * file would block HTTP requests and the lease-renewal timer for seconds.
 */
const YIELD_EVERY = 200;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Files read ahead of the one being processed (bounds memory for locations of many files). */
const READ_AHEAD = 16;
type LocationSpec = { type?: unknown; target?: unknown; targets?: unknown; presence?: unknown };
/** The Location entity that led to a file, and whether its target may be missing (`presence: optional`). */
type Via = { ref: string; optional: boolean };

/**
 * Reads a root location and everything it leads to into a `LocationReadResult` (storage/types.ts):
 * - splits multi-document YAML (model/yaml.ts); syntax errors → `yaml_syntax` with line/col, the file in
 *   `failedFiles` (its other documents still count);
 * - each document → processDocument (placeholders relative to its file, validation, annotations, relations);
 *   invalid → `validation` errors, ref in `invalidRefs`;
 * - follows `Location` entities (`spec.target`, `spec.targets`; `spec.type` defaults to the file's type) relative
 *   to the file holding them, depth ≤ `maxDepth`; a cycle or a too deep target → `location` error; a file reached
 *   twice is read once; `spec.presence: optional` makes a missing target silent (Backstage LocationSpec);
 * - an unreadable file → `fetch` error naming the reason, the file in `failedFiles`;
 * - a ref emitted twice: the first keeps it, later ones → `conflict` error.
 * Location entities are emitted too. Entity-bound problems (placeholders) stay on `ProcessedEntity.errors`.
 * Never throws for input problems.
 */
export async function processLocation(root: RootLocation, opts: ProcessLocationOptions): Promise<ProcessOutcome> {
  return new Walk(root, opts).run();
}

class Walk {
  private readonly limits: IngestLimits;
  private readonly origin: string;
  private readonly entities: ProcessedEntity[] = [];
  private readonly errors: IngestError[] = [];
  private readonly failed = new Set<string>();
  private readonly invalid = new Set<string>();
  private readonly seen = new Map<string, string>();
  private readonly visited = new Set<string>();
  private readonly pool: ReadPool;
  private done = 0;
  private total = 0;
  private stopped = false;

  constructor(
    private readonly root: RootLocation,
    private readonly opts: ProcessLocationOptions,
  ) {
    this.limits = { ...DEFAULT_INGEST_LIMITS, ...opts.limits };
    this.origin = originKey(root);
    this.pool = new ReadPool(opts.readers, this.limits.readConcurrency);
  }

  async run(): Promise<ProcessOutcome> {
    const expanded = await expandRoot(this.root, this.opts.readers, this.limits.maxFiles);
    this.errors.push(...expanded.errors);
    const files = expanded.files;
    this.total = files.length;
    const readable = await this.walkAll(files, 0, [], undefined);
    return {
      result: {
        entities: this.entities,
        errors: this.errors,
        failedFiles: [...this.failed],
        invalidRefs: [...this.invalid].filter((r) => !this.seen.has(r)),
      },
      rootFailed: files.length === 0 || readable === 0,
      files: this.done,
      emitted: this.seen.size,
    };
  }

  /** Processes one file and what its Location entities lead to; returns whether the file could be read. */
  private async walk(src: SourceFile, depth: number, chain: string[], via: Via | undefined): Promise<boolean> {
    if (this.stopped || this.visited.has(src.key)) return true;
    this.visited.add(src.key);
    if (this.visited.size > this.limits.maxFiles) {
      this.stop(src, `more than ${this.limits.maxFiles} files; the rest of the location was not read`);
      return true;
    }
    const read = await this.pool.take(src);
    if (!read.ok) {
      if (!(via?.optional && isTarmacError(read.error, 'NOT_FOUND'))) {
        const from = via ? ` (target of ${via.ref})` : '';
        this.errors.push({ code: 'fetch', message: `${errorMessage(read.error)}${from}`, sourceFile: src.key });
        this.failed.add(src.key);
        await this.followPrevious(src, depth, chain, new Set());
      }
      this.progress();
      return false;
    }
    const parsed = parseYamlDocuments(read.text, {
      maxAliasCount: this.limits.maxAliasCount,
      maxDocuments: this.limits.maxDocumentsPerFile,
    });
    for (const e of parsed.errors) {
      this.errors.push({ code: 'yaml_syntax', message: e.message, sourceFile: src.key, line: e.line, col: e.col });
    }
    const ctx = {
      sourceKey: src.key,
      originKey: this.origin,
      read: (target: string) => readSource(resolveRelative(src, target), this.opts.readers),
    };
    const emittedHere = new Set<string>();
    let invalidHere = 0;
    const locations: ProcessedEntity[] = [];
    for (const [i, doc] of parsed.documents.entries()) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      if (this.seen.size >= this.limits.maxEntities) {
        this.stop(src, `more than ${this.limits.maxEntities} entities; the rest of the location was not read`);
        break;
      }
      const out = await processDocument(doc, ctx);
      if (!out.ok) {
        this.errors.push(...out.errors);
        if (out.ref) this.invalid.add(out.ref);
        invalidHere++;
        continue;
      }
      const p = out.processed;
      const first = this.seen.get(p.ref);
      if (first !== undefined) {
        const message = `entity ${p.ref} is already defined in ${first}; this definition is ignored`;
        this.errors.push({ code: 'conflict', message, sourceFile: src.key, line: doc.line, entityRef: p.ref });
        continue;
      }
      this.seen.set(p.ref, `${src.key}:${doc.line}`);
      if (this.opts.onEntity) await this.opts.onEntity(p);
      else this.entities.push(p);
      emittedHere.add(p.ref);
      if (p.entity.kind.toLowerCase() === 'location') locations.push(p);
    }
    if (parsed.errors.length > 0 || invalidHere > 0) {
      if (parsed.errors.length > 0) this.failed.add(src.key);
      await this.followPrevious(src, depth, chain, emittedHere);
    }
    this.progress();
    for (const loc of locations) await this.follow(loc.entity, loc.ref, src, depth, [...chain, src.key]);
    return true;
  }

  /** Follows the Location entities previously read from `src` that were not emitted again this time. */
  private async followPrevious(src: SourceFile, depth: number, chain: string[], emitted: Set<string>) {
    if (!this.opts.previousEntities) return;
    const previous = await this.opts.previousEntities(src.key).catch(() => []);
    for (const e of previous) {
      const ref = `location:${e.metadata.namespace ?? 'default'}/${e.metadata.name}`.toLowerCase();
      if (e.kind.toLowerCase() !== 'location' || emitted.has(ref) || this.seen.has(ref)) continue;
      await this.follow(e, ref, src, depth, [...chain, src.key]);
    }
  }

  /** Resolves a Location entity's targets and walks them in order (reads start in parallel). */
  private async follow(entity: Entity, ref: string, src: SourceFile, depth: number, chain: string[]) {
    const spec = (entity.spec ?? {}) as LocationSpec;
    const type = typeof spec.type === 'string' ? spec.type : undefined;
    const targets = [spec.target, ...(Array.isArray(spec.targets) ? spec.targets : [])].filter(
      (t): t is string => typeof t === 'string' && t !== '',
    );
    const at = { sourceFile: src.key, entityRef: ref };
    const children: SourceFile[] = [];
    for (const target of targets) {
      try {
        children.push(...(await resolveLocationTarget(src, type, target, this.opts.readers, this.limits.maxFiles)));
      } catch (err) {
        this.errors.push({ code: 'location', message: `target "${target}": ${errorMessage(err)}`, ...at });
      }
    }
    const next: SourceFile[] = [];
    for (const child of children) {
      if (chain.includes(child.key)) {
        const cycle = [...chain.slice(chain.indexOf(child.key)), child.key].join(' → ');
        this.errors.push({ code: 'location', message: `location cycle: ${cycle}`, ...at });
      } else if (depth + 1 > this.limits.maxDepth) {
        const message = `${child.key} is nested deeper than ${this.limits.maxDepth} locations; it was not read`;
        this.errors.push({ code: 'location', message, ...at });
      } else if (!this.visited.has(child.key)) {
        next.push(child);
        this.total++;
      }
    }
    await this.walkAll(next, depth + 1, chain, { ref, optional: spec.presence === 'optional' });
  }

  /** Walks files in order, reading up to `READ_AHEAD` of them ahead; returns how many could be read. */
  private async walkAll(files: SourceFile[], depth: number, chain: string[], via: Via | undefined): Promise<number> {
    let readable = 0;
    for (const [i, file] of files.entries()) {
      for (const ahead of files.slice(i + 1, i + 1 + READ_AHEAD)) {
        if (!this.visited.has(ahead.key)) void this.pool.start(ahead);
      }
      if (await this.walk(file, depth, chain, via)) readable++;
    }
    return readable;
  }

  private stop(src: SourceFile, message: string): void {
    if (!this.stopped) this.errors.push({ code: 'location', message, sourceFile: src.key });
    this.stopped = true;
    this.failed.add(src.key);
  }

  private progress(): void {
    this.done++;
    this.opts.onProgress?.({ done: this.done, total: Math.max(this.total, this.done) });
  }
}
