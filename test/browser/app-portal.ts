/**
 * Setup shared by the browser suites of sign-in, tokens, audit and golden paths: a whole Tarmac started with
 * `startTestTarmac` (fresh PGlite, temp data dir, single-user mode unless patched) on the given locations, with
 * the built portal, plus a Chromium page. Expected values in the suites come from their fixtures, never from Tarmac.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PROJECT_ROOT } from '../../src/app.js';
import type { LocationConfig, TarmacConfig } from '../../src/core/config.js';
import { startTestTarmac, type TestTarmac } from '../helpers/tarmac.js';
import { launchBrowser, openPage } from './harness.js';

/** The portal's golden-path fixture (two form pages, three skeleton files, publish:git + catalog:register). */
export const PORTAL_TEMPLATE = path.join(PROJECT_ROOT, 'test', 'browser', 'fixtures', 'portal-template', 'template.yaml');

/** A running Tarmac, a browser and one page on it. */
export interface PortalSession {
  tarmac: TestTarmac;
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Starts Tarmac on `locations` (config changes in `patch`) and Chromium.
 * @throws when the portal is not built (`npx vite build --config web/vite.config.ts`)
 */
export async function startPortal(locations: LocationConfig[], patch?: (c: TarmacConfig) => void): Promise<PortalSession> {
  if (!existsSync(path.join(PROJECT_ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('dist/web/index.html is missing: build the portal first with `npm run build:web`');
  }
  const [tarmac, browser] = await Promise.all([startTestTarmac('pglite', locations, patch), launchBrowser()]);
  const { page, problems } = await openPage(browser);
  page.setDefaultTimeout(15_000);
  return {
    tarmac,
    browser,
    page,
    problems,
    close: async () => {
      await browser.close();
      await tarmac.close();
    },
  };
}

/**
 * Browser messages that are not expected: everything except failed loads answered 400/401/403/404 (probes and
 * refused requests the tests make on purpose) and requests the tests abort. A 5xx is always unexpected.
 */
export function unexpectedProblems(problems: string[]): string[] {
  return problems.filter((p) => !/Failed to load resource: .*status of 40[0134] |net::ERR_(FAILED|ABORTED)/.test(p));
}
