import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import { listen, type Listening } from '../net/listen';

export type MetricsServer = Listening;

/**
 * `GET /metrics` for a process without the API (the worker role): nothing else is served, so
 * the port exposes no more than the scrape. No Express: one route needs no framework.
 */
export async function startMetricsServer(registry: Registry, host: string, port: number, logger: Logger): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method not allowed\n');
    registry.metrics().then(
      (text) => void res.writeHead(200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (err: unknown) => {
        logger.error({ err }, 'collecting metrics failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Collecting metrics failed\n');
      },
    );
  });
  // A scrape is one short request: do not let stalled clients hold sockets.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  return listen(server, host, port, { portName: 'METRICS_PORT', drainMs: 1_000 });
}
