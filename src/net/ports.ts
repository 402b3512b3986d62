import net from 'node:net';

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0]!;
}

/**
 * `count` distinct TCP ports, all free a moment ago on 127.0.0.1. Every socket stays open until
 * all are bound: calling freePort() several times may be handed the same port twice, since the
 * kernel is free to reuse a port as soon as it is closed.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await listening());
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

function listening(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Where consecutive ports are sought: below the ephemeral range (32768 and up on Linux). */
const RUN_FLOOR = 10_000;
const RUN_CEILING = 19_999;
const RUN_ATTEMPTS = 50;

/**
 * `count` consecutive TCP ports, all free a moment ago on 127.0.0.1, for a process that takes a
 * port and the ones after it (`npm run cluster` takes PORT and PORT+1). They are sought below the
 * ephemeral range: a port beside one the kernel just handed out is soon handed to the next
 * outgoing connection of some other process.
 */
export async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < RUN_ATTEMPTS; attempt++) {
    const first = RUN_FLOOR + Math.floor(Math.random() * (RUN_CEILING - RUN_FLOOR - count));
    const free = await Promise.all(Array.from({ length: count }, (_, i) => isFree(first + i)));
    if (free.every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports between ${RUN_FLOOR} and ${RUN_CEILING} after ${RUN_ATTEMPTS} attempts`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
