import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** e.g. `http://127.0.0.1:3000` — the bound address, useful with port 0 in tests. */
  readonly url: string;
  /**
   * Stops accepting connections and closes idle keep-alives at once; requests in flight get
   * `drainMs` to finish, then their connections are closed too. Idempotent.
   */
  close(): Promise<void>;
}

/** Listens on `host:port`; a taken port is reported under its variable's name (`PORT`, `METRICS_PORT`). */
export async function listen(server: Server, host: string, port: number, options: { readonly portName: string; readonly drainMs: number }): Promise<Listening> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'EADDRINUSE' ? new Error(`${options.portName} ${port} is already in use on ${host}`) : err));
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        const overdue = setTimeout(() => server.closeAllConnections(), options.drainMs);
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
