import { createServer, type Server } from 'node:http';
import type { Express } from 'express';
import { listen, type Listening } from '../net/listen';

export interface HttpServer extends Listening {
  readonly server: Server;
}

/** The API's HTTP server on `host:port`; on close, requests in flight get `drainMs` (SHUTDOWN_DRAIN_MS). */
export async function startHttpServer(app: Express, host: string, port: number, drainMs = 10_000): Promise<HttpServer> {
  const server = createServer(app);
  // Slow or stalled clients must not hold connections forever (slowloris); keep-alive stays
  // above common load-balancer idle timeouts.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 65_000;
  return { server, ...(await listen(server, host, port, { portName: 'PORT', drainMs })) };
}
