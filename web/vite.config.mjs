// @ts-check
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The editor: a static single-page app built into `dist/web`, which the API server serves at
 * `/`. It imports the pure flow core (`src/flow`) directly, so the browser validates and builds
 * its forms with the very schemas the engine uses. `npm run dev:web` proxies the API to a
 * running `npm start`.
 */
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2048,
    rolldownOptions: {
      // @xyflow/react marks itself "use client" for React Server Components; a plain SPA has none.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    fs: { allow: ['..'] },
    proxy: Object.fromEntries(['/v1', '/v2', '/health'].map((p) => [p, process.env.API_URL ?? 'http://127.0.0.1:3000'])),
  },
});
