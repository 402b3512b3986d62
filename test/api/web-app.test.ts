import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { webAppRoutes } from '../../src/api/routes/web-app';
import { startHttpServer } from '../../src/api/server';
import { webDir } from '../../src/config/paths';
import { startTestApi, type TestApi } from '../helpers/api';
import { buildEditor } from '../helpers/build';

/** The editor as the API serves it: same origin, cached assets, a clear answer when it is not built. */
describe('the editor at /', () => {
  let api: TestApi;
  beforeAll(async () => {
    buildEditor();
    api = await startTestApi();
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('serves the app without auth, revalidated, with a CSP that allows it and no HTTPS upgrade', async () => {
    const res = await fetch(`${api.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    const html = await res.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${api.url}${script!}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${api.url}/favicon.svg`)).status).toBe(200);
  });

  it('leaves the API alone: unknown paths are still Twilio 404s, the API still wants credentials', async () => {
    const missing = await fetch(`${api.url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 20404, status: 404 });
    expect((await fetch(`${api.url}/v2/Flows`)).status).toBe(401);
  });

  it('says how to build it when dist/web is missing', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-editor-'));
    const app = express().use(webAppRoutes(empty));
    const server = await startHttpServer(app, '127.0.0.1', 0);
    try {
      const res = await fetch(`${server.url}/`);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
    } finally {
      await server.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
    expect(fs.existsSync(path.join(webDir(), 'index.html'))).toBe(true);
  });
});
