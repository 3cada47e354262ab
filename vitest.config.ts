import { defineConfig } from 'vitest/config';

/**
 * Vitest runs every `*.test.ts` beside the code (src/) and the browser suites (test/).
 * Suites touching a database run on PGlite and, when TARMAC_TEST_DATABASE_URL is set, on PostgreSQL too.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
    // Template skeletons and fixtures hold templated code (`${{ values.name }}`), not Tarmac's tests.
    exclude: ['**/node_modules/**', 'dist/**', 'test/fixtures/**', 'examples/**', '**/skeleton/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: keep parallelism modest so PGlite instances and Chromium don't starve each other.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
