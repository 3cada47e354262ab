import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testEngines } from '../../core/testing/databases.js';
import { api, startTestTarmac, type TestTarmac } from '../../../test/helpers/tarmac.js';

const ENTITY = 'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: slow\nspec:\n  type: service\n  lifecycle: production\n  owner: team-x\n';

describe.each(testEngines())('reads while a location is being read, on %s', (engine) => {
  let t: TestTarmac;
  let server: Server;
  let base = '';
  let arrived!: () => void;
  const requestArrived = new Promise<void>((resolve) => (arrived = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));

  beforeAll(async () => {
    // A catalog host that holds its answer until the test releases it.
    server = createServer((_req, res) => {
      arrived();
      void released.then(() => res.end(ENTITY));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await startTestTarmac(engine, [], (c) => {
      c.catalog.reading.allow = [base];
    });
  });
  afterAll(async () => {
    release();
    await t?.close();
    server?.close();
  });

  it('answers API reads while a slow URL location is still being fetched', async () => {
    const added = await api<{ location: { id: string } }>(t.url, '/api/catalog/locations?wait=false', {
      body: { type: 'url', target: `http://${base}/catalog-info.yaml` },
    });
    expect(added.status).toBe(202);
    await requestArrived; // the refresh is now waiting on the slow host
    // Must answer before the host does: the read may not hold the database (no timing, only order).
    const summary = await api<{ totalEntities: number }>(t.url, '/api/catalog/summary');
    expect(summary.body.totalEntities).toBe(0);
    release();
    let total = 0;
    for (let i = 0; i < 200 && total === 0; i++) {
      total = (await api<{ totalEntities: number }>(t.url, '/api/catalog/summary')).body.totalEntities;
      if (total === 0) await new Promise((r) => setTimeout(r, 25));
    }
    expect(total).toBe(1);
  });
});
