#!/usr/bin/env node
// The `tarmac` command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare) and `npm start`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  console.error('tarmac: not built yet; run `npm run build` in the Tarmac folder first.');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
