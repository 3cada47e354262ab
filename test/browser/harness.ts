/**
 * Shared setup of the browser suites: a Tarmac started in-process on the Backstage example catalog (fresh PGlite
 * in a temp dir, no refresh loop), headless Chromium through playwright-core, and screenshots kept as artifacts
 * in `test-artifacts/screenshots/`. The portal must have been built (`npm run build:web`; `npm test` does it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT, startTarmac, type RunningTarmac } from '../../src/app.js';
import { defaultConfig } from '../../src/core/config.js';
import { silentLogger } from '../../src/core/logger.js';

/** Path of the Debian chromium binary the browser suites drive. */
export const CHROMIUM = '/usr/bin/chromium';
/** CI installs Debian's chromium; without it the browser suites are skipped (with this reason in their name). */
export const HAS_CHROMIUM = existsSync(CHROMIUM);
/** Test name suffix used when the browser suites are skipped because chromium is absent. */
export const SKIP_REASON = `skipped: ${CHROMIUM} is missing (install it: apt-get install -y chromium)`;

const EXAMPLES = path.resolve(PROJECT_ROOT, '../shared/catalogs/backstage-examples');
/** The Backstage example catalog's `all.yaml` location, ingested by `startPortalServer`. */
export const ALL_YAML = path.join(EXAMPLES, 'all.yaml');
/** The Backstage example catalog's `acme-corp.yaml` location (groups and users), ingested by `startPortalServer`. */
export const ACME_YAML = path.join(EXAMPLES, 'acme-corp.yaml');
const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-artifacts', 'screenshots');

/** A running Tarmac with the two example locations ingested, and a way to stop it and remove its data. */
export interface PortalServer {
  url: string;
  tarmac: RunningTarmac;
  close(): Promise<void>;
}

/**
 * Starts Tarmac on `all.yaml` and `acme-corp.yaml` and waits until `/readyz` is 200 and both locations have
 * been read once (their `lastStatus` is no longer pending or processing).
 * @throws when the portal is not built, or ingestion does not finish within 90 s
 */
export async function startPortalServer(): Promise<PortalServer> {
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('dist/web/index.html is missing: build the portal first with `npm run build:web`');
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'tarmac-browser-'));
  const base = defaultConfig();
  const tarmac = await startTarmac(
    {
      ...base,
      port: 0,
      dataDir,
      logLevel: 'silent',
      catalog: {
        ...base.catalog,
        demo: false,
        refreshIntervalSeconds: 0,
        locations: [
          { type: 'file', target: ALL_YAML },
          { type: 'file', target: ACME_YAML },
        ],
      },
    },
    { logger: silentLogger() },
  );
  const close = async () => {
    await tarmac.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await fetch(`${tarmac.url}/readyz`)).status === 200, 'GET /readyz to answer 200');
    await waitFor(async () => {
      const res = await fetch(`${tarmac.url}/api/catalog/location-status?limit=10&offset=0`);
      if (!res.ok) return false;
      const body = (await res.json()) as { items: { lastStatus: string }[] };
      return body.items.length === 2 && body.items.every((l) => l.lastStatus !== 'pending' && l.lastStatus !== 'processing');
    }, 'both locations to be ingested');
  } catch (err) {
    await close();
    throw err;
  }
  return { url: tarmac.url, tarmac, close };
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Headless Chromium with the flags CI needs (no sandbox in containers, no network chatter). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A 1280×860 page that records uncaught errors and console errors (for a final "no errors" check). */
export async function openPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
  });
  return { page, problems };
}

/** Saves a full-page PNG as `test-artifacts/screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
