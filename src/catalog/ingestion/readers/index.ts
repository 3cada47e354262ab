import type { ReadingConfig } from '../../../core/config.js';
import type { Readers } from '../sources.js';
import { createFileReader } from './file.js';
import { createGitReader } from './git.js';
import { createUrlReader } from './url.js';

export type { Reader, ReadResult } from './types.js';
export type { FileReader } from './file.js';
export type { GitCheckout, GitReader } from './git.js';
export { createFileReader } from './file.js';
export { createGitReader, gitCheckoutDir, DEFAULT_GIT_PATH } from './git.js';
export { createUrlReader } from './url.js';

/**
 * The three readers configured from `catalog.reading`.
 * @param opts.dataDir where git checkouts live (`<dataDir>/git/`)
 * @throws TarmacError BAD_REQUEST when an allow entry is malformed
 */
export function createReaders(opts: { reading: ReadingConfig; dataDir: string; gitTimeoutMs?: number }): Readers {
  const git = createGitReader({
    dataDir: opts.dataDir,
    reading: opts.reading,
    ...(opts.gitTimeoutMs !== undefined ? { timeoutMs: opts.gitTimeoutMs } : {}),
  });
  return { file: createFileReader({ maxBytes: opts.reading.maxBytes }), url: createUrlReader(opts.reading), git };
}
