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
    chunkSizeWarningLimit: 300,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:7007' } },
});
