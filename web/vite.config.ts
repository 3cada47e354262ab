import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * Builds the portal (`web/`) into `dist/web`, which the Tarmac server serves at `/` with SPA fallback.
 * `npm run build:web`. In development, `npx vite --config web/vite.config.ts` proxies `/api` to a running Tarmac.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    // The one chunk above 300 kB is the template form's (rjsf + ajv + lodash, ~130 kB gz), loaded only on
    // /create/:namespace/:name; everything on the initial page stays far below.
    chunkSizeWarningLimit: 420,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:7007' } },
});
