/**
 * Catalog ingestion: readers (file, url, git), location processing into a `LocationReadResult`, and the refresh
 * loop with leases. The catalog module (src/catalog/index.ts, service.ts) uses only what is exported here.
 */
export { createRefreshLoop } from './refresh-loop.js';
export type { RefreshLoop, RefreshLoopOptions } from './refresh-loop.js';
export type { RefreshStore } from './refresh-store.js';
export { processLocation } from './process-location.js';
export type { ProcessLocationOptions, ProcessOutcome } from './process-location.js';
export { originKey } from './roots.js';
export type { RootLocation } from './roots.js';
export { DEFAULT_INGEST_LIMITS } from './limits.js';
export type { IngestLimits } from './limits.js';
export { createReaders, createFileReader, createUrlReader, createGitReader, gitCheckoutDir, DEFAULT_GIT_PATH } from './readers/index.js';
export type { Reader, ReadResult, FileReader, GitReader, GitCheckout } from './readers/index.js';
export type { Readers, SourceFile } from './sources.js';
