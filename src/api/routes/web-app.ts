import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * The editor (`web/`, built by `npm run build` into `dist/web`), served at `/` by the API
 * server: same origin, so the browser calls the REST API with the account's Basic credentials
 * and no CORS. Hashed assets are cached for good; `index.html` is always revalidated so a new
 * build is picked up at once.
 */
export function webAppRoutes(dir: string): Router {
  const router = Router();
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    router.get('/', (_req, res) => void res.status(503).type('text/plain').send(`The editor is not built (no ${dir}/index.html): run npm run build.\n`));
    return router;
  }
  router.use(
    express.static(dir, {
      index: 'index.html',
      redirect: false,
      setHeaders: (res, file) => {
        const hashed = file.startsWith(path.join(dir, 'assets') + path.sep);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
