import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/** The portal's initial JavaScript: the files `index.html` loads before any user action. */
export interface PortalJsSize {
  /** Paths relative to the web folder, e.g. `assets/index-abc123.js`. */
  files: string[];
  /** Sum of the files' sizes, bytes. */
  rawBytes: number;
  /** Sum of each file gzipped on its own at level 9 (what a server sending `Content-Encoding: gzip` ships), bytes. */
  gzipBytes: number;
}

/**
 * Measures the portal's initial JS from the built `index.html` in `webDir` (normally `dist/web`): every
 * `<script type="module" src>` and `<link rel="modulepreload" href>` (Vite's entry and its static imports), each
 * gzipped with zlib. Lazily loaded chunks (dynamic `import()`) are not counted: they are not needed to start.
 * Returns undefined when `index.html` is missing (portal not built).
 * @throws Error when a referenced file is missing
 */
export function measurePortalJs(webDir: string): PortalJsSize | undefined {
  const indexFile = path.join(webDir, 'index.html');
  if (!existsSync(indexFile)) return undefined;
  const html = readFileSync(indexFile, 'utf8');
  const refs = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
    if (/^<script/i.test(tag) && attr('type') === 'module' && attr('src')) refs.add(attr('src') ?? '');
    if (/^<link/i.test(tag) && attr('rel') === 'modulepreload' && attr('href')) refs.add(attr('href') ?? '');
  }
  const files: string[] = [];
  let rawBytes = 0;
  let gzipBytes = 0;
  for (const ref of refs) {
    if (/^(https?:)?\/\//.test(ref)) continue; // not served by Tarmac
    const rel = ref.replace(/^\//, '').split(/[?#]/)[0] ?? '';
    const data = readFileSync(path.join(webDir, rel));
    files.push(rel);
    rawBytes += data.length;
    gzipBytes += gzipSync(data, { level: 9 }).length;
  }
  return { files, rawBytes, gzipBytes };
}
