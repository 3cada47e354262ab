/**
 * A second Tarmac process for the kill -9 test (concurrency.test.ts): bundled by the test with Vite, run with
 * `node`, it refreshes one location on PostgreSQL with its own pool and lease owner, then exits 0.
 * argv: <connection string> <schema> <location id> <data dir> <lease ms>
 */
import { defaultConfig } from '../../../core/config.js';
import { openPostgres } from '../../../core/db/index.js';
import { silentLogger } from '../../../core/logger.js';
import { createMetrics } from '../../../core/metrics.js';
import { createCatalogStore } from '../../storage/index.js';
import { createRefreshLoop } from '../refresh-loop.js';

const [connectionString, schema, locationId, dataDir, leaseMs] = process.argv.slice(2);
if (!connectionString || !schema || !locationId || !dataDir || !leaseMs) {
  process.stderr.write('usage: import-child <url> <schema> <location id> <data dir> <lease ms>\n');
  process.exit(2);
}
const db = await openPostgres({ connectionString, schema, max: 3 });
const loop = createRefreshLoop({
  store: createCatalogStore(db),
  logger: silentLogger(),
  metrics: createMetrics(),
  config: { catalog: { refreshIntervalSeconds: 100, reading: defaultConfig().catalog.reading } },
  dataDir,
  processId: `child-${process.pid}`,
  leaseMs: Number(leaseMs),
});
const summary = await loop.refreshNow(locationId);
process.stdout.write(`${JSON.stringify(summary)}\n`);
await db.close();
