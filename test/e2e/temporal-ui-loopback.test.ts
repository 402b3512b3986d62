import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildProject } from '../helpers/build';
import { freePorts } from '../helpers/ports';
import { startProcess, whenStarted, type Started } from '../helpers/processes';

/**
 * The embedded Temporal UI shows every contact's executions and has no sign-in. In containers
 * HOST is 0.0.0.0 so that the API is reachable; the UI (and Temporal's frontend) must stay on
 * loopback all the same unless TEMPORAL_UI_HOST asks for more.
 */
const root = path.resolve(__dirname, '../..');

/**
 * An address of this machine that is not 127.0.0.1: a socket bound to 127.0.0.1 refuses
 * connections to it, one bound to 0.0.0.0 accepts them. A non-loopback interface's address when
 * there is one; else 127.0.0.2 (Linux routes all of 127/8 to loopback).
 */
function otherLocalAddress(): string {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal);
  return external?.address ?? '127.0.0.2';
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('npm start with HOST=0.0.0.0 (as in containers)', () => {
  let dataDir: string;
  const running: Started[] = [];
  beforeAll(() => {
    buildProject();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ui-bind-'));
  }, 120_000);
  afterEach(() => {
    for (const app of running.splice(0)) if (app.child.exitCode === null) process.kill(-app.child.pid!, 'SIGKILL');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  /** `npm start` on three new ports; new ones again when one was taken (see `whenStarted`). */
  async function start(extra: NodeJS.ProcessEnv, attempt = 1): Promise<{ app: Started; ports: { http: number; temporal: number; ui: number } }> {
    const [http, temporal, ui] = (await freePorts(3)) as [number, number, number];
    const ports = { http, temporal, ui };
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      HOST: '0.0.0.0',
      PORT: String(ports.http),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
      TEMPORAL_CLI_PATH: process.env.TEST_TEMPORAL_CLI_PATH,
      LOG_LEVEL: 'warn',
      ...extra,
    };
    const app = startProcess(process.execPath, ['dist/src/main.js'], { cwd: root, env });
    running.push(app);
    const outcome = await whenStarted(app, 'the start banner', () => Promise.resolve(app.output().includes('Ctrl-C stops it')), 90_000);
    if (outcome === 'port taken' && attempt < 3) return start(extra, attempt + 1);
    if (outcome === 'port taken') throw new Error(`ports still taken after ${attempt} attempts\n--- output ---\n${app.output()}`);
    return { app, ports };
  }

  async function stop(app: Started): Promise<void> {
    process.kill(-app.child.pid!, 'SIGINT');
    expect(await app.exited).toBe(0);
  }

  it('keeps the Temporal UI and frontend on loopback, says so, and exposes the UI only when TEMPORAL_UI_HOST asks', async () => {
    const elsewhere = otherLocalAddress();
    const { app, ports } = await start({});
    // The API follows HOST; the UI and Temporal's frontend do not.
    const reach = async (port: number) => ({ loopback: await accepts('127.0.0.1', port), elsewhere: await accepts(elsewhere, port) });
    expect({ api: await reach(ports.http), ui: await reach(ports.ui), frontend: await reach(ports.temporal) }).toEqual({
      api: { loopback: true, elsewhere: true },
      ui: { loopback: true, elsewhere: false },
      frontend: { loopback: true, elsewhere: false },
    });
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    expect(app.output()).toContain(`Temporal UI:  http://localhost:${ports.ui}  (loopback only; set TEMPORAL_UI_HOST=0.0.0.0 to expose it: it has no sign-in)`);
    await stop(app);

    const exposed = await start({ TEMPORAL_UI_HOST: '0.0.0.0' });
    expect(exposed.app.output()).toMatch(/Temporal UI: {2}http:\/\/localhost:\d+ {2}\(on every interface \(TEMPORAL_UI_HOST=0\.0\.0\.0\): it has no sign-in/);
    expect({ ui: await reach(exposed.ports.ui), frontend: await reach(exposed.ports.temporal) }).toEqual({
      ui: { loopback: true, elsewhere: true },
      frontend: { loopback: true, elsewhere: false },
    });
    await stop(exposed.app);
  }, 240_000);
});
