import type { IngestError, LocationReadStream, ProcessedEntity, ReadTrailer } from '../storage/types.js';
import { BatchChannel } from './batch-channel.js';
import { processLocation, type ProcessLocationOptions, type ProcessOutcome } from './process-location.js';
import type { RootLocation } from './roots.js';

/** Entities per batch handed to storage, and batches read ahead of the one storage is writing. */
export const STREAM_BATCH = 500;
const STREAM_QUEUED = 4;

/** A location being read and handed over batch by batch (see `streamLocation`). */
export interface StreamedRead {
  /** For `applyLocationResult`. */
  stream: LocationReadStream;
  /** Settles when the walk ends: the outcome (its `result.entities` is empty), or the walk's unexpected failure. */
  outcome: Promise<ProcessOutcome>;
  /** True once the walk failed unexpectedly (not by `cancel`). */
  failed(): boolean;
  /** The errors attached to the entities emitted so far (`ProcessedEntity.errors`), for metrics. */
  entityErrors: IngestError[];
  /** Stops the walk (its next entity throws); call when storage gave up, so the walk does not wait forever. */
  cancel(): void;
}

/**
 * Starts reading a root location (as `processLocation`, same rules and errors) and hands its entities over in
 * batches of `STREAM_BATCH` while later files are still being read; at most `STREAM_QUEUED` batches wait, so
 * memory holds a few batches, not the whole location. The trailer sets `keepPrevious` when nothing of the root
 * could be read and no entity was emitted (every stored entity of the location is then kept).
 * `opts.previousEntities` must not wait for the apply transaction (on PGlite, any query outside it waits for its
 * end): pass already fetched entities.
 */
export function streamLocation(root: RootLocation, opts: Omit<ProcessLocationOptions, 'onEntity'>): StreamedRead {
  const channel = new BatchChannel<ProcessedEntity>(STREAM_BATCH, STREAM_QUEUED);
  let cancelled = false;
  let failed = false;
  const entityErrors: IngestError[] = [];
  const onEntity = (p: ProcessedEntity): Promise<void> => {
    entityErrors.push(...p.errors);
    return channel.push(p);
  };
  const outcome = processLocation(root, { ...opts, onEntity }).then(
    (out) => {
      channel.end();
      return out;
    },
    (err: unknown) => {
      if (!cancelled) failed = true;
      channel.fail(err);
      throw err;
    },
  );
  outcome.catch(() => undefined); // surfaced through the stream's iteration and `outcome`
  const trailer = async (): Promise<ReadTrailer> => {
    const out = await outcome;
    const { entities: _e, ...rest } = out.result;
    return out.rootFailed && out.emitted === 0 ? { ...rest, keepPrevious: true } : rest;
  };
  return {
    stream: { batches: channel, trailer },
    outcome,
    entityErrors,
    failed: () => failed,
    cancel: () => {
      cancelled = true;
      channel.cancel();
    },
  };
}
