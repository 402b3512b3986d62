import net from 'node:net';
import { freePorts } from '../../src/net/ports';

/** Whether 127.0.0.1:port can be bound right now. */
function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('freePorts', () => {
  // A process given the same port twice (TEMPORAL_PORT = TEMPORAL_UI_PORT) refuses to start:
  // ports asked for together must be distinct, however soon the kernel reuses a closed one.
  it('gives distinct ports, each free again once returned', async () => {
    const ports = await freePorts(40);
    expect(ports).toHaveLength(40);
    expect(new Set(ports).size).toBe(40);
    expect(await Promise.all(ports.slice(0, 5).map(bindable))).toEqual([true, true, true, true, true]);
  });
});
