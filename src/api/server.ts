import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface HttpServer {
  readonly server: Server;
  /** e.g. `http://127.0.0.1:3000` — the bound address, useful with port 0 in tests. */
  readonly url: string;
  /**
   * Stops accepting connections and closes idle keep-alives at once; requests in flight get
   * `drainMs` to finish, then their connections are closed too. Idempotent.
   */
  close(): Promise<void>;
}

export async function startHttpServer(app: Express, host: string, port: number, drainMs = 10_000): Promise<HttpServer> {
  const server = createServer(app);
  // Slow or stalled clients must not hold connections forever (slowloris); keep-alive stays
  // above common load-balancer idle timeouts.
  server.requestTimeout = 30_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`PORT ${port} is already in use on ${host}`) : err),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${shownHost}:${address.port}`,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        const overdue = setTimeout(() => server.closeAllConnections(), drainMs);
        server.close((err) => {
          clearTimeout(overdue);
          return err ? reject(err) : resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
