import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { buildProject } from '../helpers/build';
import { newSid } from '../../src/sids';
import { flowExecution } from '../../workflows/flow-execution';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { freePort, freePorts } from '../helpers/ports';
import { childPids, isAlive, startProcess, waitFor, whenStarted, type Started } from '../helpers/processes';

/**
 * `npm start` as a user runs it: the built entry point with the embedded Temporal dev server,
 * the worker and the HTTP server; Ctrl-C to stop; a second start on the same DATA_DIR.
 */
const root = path.resolve(__dirname, '../..');

describe('npm start (embedded everything)', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let ports: { http: number; temporal: number; ui: number };

  beforeAll(async () => {
    buildProject();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-start-'));
    await choosePorts();
  }, 120_000);

  /**
   * Free ports come from the ephemeral range, which other suites' connections also draw from: one
   * may take a port between this choice and the server's bind. A start that fails on a taken port
   * picks new ones (see `start`).
   */
  async function choosePorts(): Promise<void> {
    const [http, temporal, ui] = (await freePorts(3)) as [number, number, number];
    ports = { http, temporal, ui };
    // A test's own settings (its DATA_DIR, an account) survive a change of ports.
    env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      DATA_DIR: dataDir,
      TEMPORAL_CLI_PATH: process.env.TEST_TEMPORAL_CLI_PATH,
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(ports.http),
      TEMPORAL_PORT: String(ports.temporal),
      TEMPORAL_UI_PORT: String(ports.ui),
    };
  }
  const running: Started[] = [];
  afterEach(() => {
    // A failed assertion must not leave a server behind.
    for (const app of running.splice(0)) if (app.child.exitCode === null) process.kill(-app.child.pid!, 'SIGKILL');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function start(attempt = 1): Promise<{ app: Started; serverPid: number; healthyAfterMs: number }> {
    const began = Date.now();
    const app = startProcess(process.execPath, ['dist/src/main.js'], { cwd: root, env });
    running.push(app);
    const outcome = await whenStarted(
      app,
      '/health to answer 200 and the start banner',
      async () => (await fetch(`http://127.0.0.1:${ports.http}/health`)).status === 200 && app.output().includes('Ctrl-C stops it'),
      65_000,
    );
    if (outcome === 'port taken') {
      if (attempt >= 3) throw new Error(`ports still taken after ${attempt} attempts\n--- output ---\n${app.output()}`);
      await choosePorts();
      return start(attempt + 1);
    }
    const [serverPid] = childPids(app.child.pid!);
    expect(serverPid).toBeDefined();
    return { app, serverPid: serverPid!, healthyAfterMs: Date.now() - began };
  }

  async function ctrlC({ app, serverPid }: { app: Started; serverPid: number }): Promise<void> {
    process.kill(-app.child.pid!, 'SIGINT');
    expect(await app.exited).toBe(0);
    await waitFor('the Temporal dev server to exit', () => Promise.resolve(isAlive(serverPid) ? undefined : true), 15_000);
    expect(childPids(app.child.pid!)).toEqual([]);
  }

  it('starts, runs a flow, stops cleanly on Ctrl-C, and finds its data on the next start', async () => {
    const first = await start();
    const output = first.app.output();
    const accountSid = /Account SID:\s+(AC[0-9a-f]{32})/.exec(output)?.[1];
    expect(accountSid).toBeDefined();
    expect(output).toContain(`Temporal UI:  http://localhost:${ports.ui}`);
    expect(output).toContain(`API:          http://localhost:${ports.http}/v2/Flows`);
    expect(output).toContain(`Webhooks:     http://localhost:${ports.http}/v1/Accounts/${accountSid}/Flows/{FlowSid}`);
    expect(first.healthyAfterMs).toBeLessThan(60_000);
    expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
    // The editor is served by the same process, at the API's origin.
    expect(output).toContain(`Editor:       http://localhost:${ports.http}/`);
    const editor = await fetch(`http://127.0.0.1:${ports.http}/`);
    expect(editor.status).toBe(200);
    expect(await editor.text()).toContain('<div id="root">');

    // The REST API answers with the printed account, and what it stores survives a restart.
    const authToken = /Auth token:\s+([0-9a-f]{32})/.exec(output)?.[1];
    const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const created = await fetch(`http://127.0.0.1:${ports.http}/v2/Flows`, {
      method: 'POST',
      headers: { authorization },
      body: new URLSearchParams({ FriendlyName: 'Kept', Status: 'published', Definition: JSON.stringify(flowOf(triggerState({}))) }),
    });
    expect(created.status).toBe(201);
    const flowSid = ((await created.json()) as { sid: string }).sid;

    // The started worker runs executions on the embedded server.
    const workflowId = `${newSid('FW')}:+14155551234`;
    const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      const client = new Client({ connection });
      const result = await client.workflow.execute(flowExecution, {
        taskQueue: 'flow-engine',
        workflowId,
        args: [
          {
            executionSid: newSid('FN'),
            flow: { sid: workflowId.slice(0, 34), revision: 1, definition: flowOf(triggerState({ incomingRequest: 's' }), setVariablesState('s', [{ key: 'k', value: 'v' }])) },
            trigger: { event: 'incomingRequest', data: {}, contactAddress: '+14155551234', channelAddress: '+15005550006' },
          },
        ],
      });
      expect(result.context).toMatchObject({ flow: { variables: { k: 'v' } } });
    } finally {
      await connection.close();
    }
    await ctrlC(first);

    const second = await start();
    expect(second.app.output()).toContain(`Account SID:  ${accountSid}`);
    expect(second.app.output()).toMatch(/stored in .*credentials\.json/);
    const kept = await fetch(`http://127.0.0.1:${ports.http}/v2/Flows/${flowSid}`, { headers: { authorization } });
    expect(await kept.json()).toMatchObject({ sid: flowSid, friendly_name: 'Kept', status: 'published', revision: 1 });
    const again = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
    try {
      const described = await new Client({ connection: again }).workflow.getHandle(workflowId).describe();
      expect(described.status.name).toBe('COMPLETED');
    } finally {
      await again.close();
    }
    await ctrlC(second);
  }, 180_000);

  it('creates a DATA_DIR that does not exist yet when the account comes from the environment', async () => {
    const fresh = path.join(dataDir, 'not', 'yet');
    const account = { TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}`, TWILIO_AUTH_TOKEN: '2'.repeat(32) };
    env = { ...env, DATA_DIR: fresh, ...account };
    try {
      const started = await start();
      expect(started.app.output()).toContain(`Account SID:  ${account.TWILIO_ACCOUNT_SID}`);
      expect(fs.existsSync(path.join(fresh, 'temporal.db'))).toBe(true);
      await ctrlC(started);
    } finally {
      const { TWILIO_ACCOUNT_SID: _sid, TWILIO_AUTH_TOKEN: _token, ...rest } = env;
      env = { ...rest, DATA_DIR: dataDir };
    }
  }, 120_000);

  it('stops with a message naming the variable when the configuration is wrong', async () => {
    const app = startProcess(process.execPath, ['dist/src/main.js'], { cwd: root, env: { ...env, PORT: 'eighty' } });
    expect(await app.exited).toBe(2);
    expect(app.output()).toMatch(/PORT: expected a port number \(got "eighty"\)/);
  });
});

describe('npm run api / npm run worker (roles apart, external Temporal)', () => {
  it('serves the API from one process and runs executions in another', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-roles-'));
    const port = await freePort();
    const address = process.env.TEST_TEMPORAL_ADDRESS!;
    const taskQueue = `roles-${newSid('')}`;
    const env = { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: String(port), TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' };
    const api = startProcess(process.execPath, ['dist/src/main.js', 'api'], { cwd: root, env });
    const worker = startProcess(process.execPath, ['dist/src/main.js', 'worker'], { cwd: root, env });
    try {
      await waitFor('the API to be healthy', async () => ((await fetch(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined), 60_000);
      await waitFor('the worker to start', () => Promise.resolve(worker.output().includes('Ctrl-C stops it') ? true : undefined), 90_000);
      expect(worker.output()).not.toContain('Temporal UI');
      expect(api.output()).not.toContain('Worker:');

      const connection = await Connection.connect({ address });
      try {
        const result = await new Client({ connection }).workflow.execute(flowExecution, {
          taskQueue,
          workflowId: `${newSid('FW')}:roles`,
          args: [
            {
              executionSid: newSid('FN'),
              flow: { sid: newSid('FW'), revision: 1, definition: flowOf(triggerState({ incomingRequest: 's' }), setVariablesState('s', [{ key: 'role', value: 'worker' }])) },
              trigger: { event: 'incomingRequest', data: {}, contactAddress: 'roles', channelAddress: '+15005550006' },
            },
          ],
        });
        expect(result.context).toMatchObject({ flow: { variables: { role: 'worker' } } });
      } finally {
        await connection.close();
      }
      // Both roles share one account, stored once in DATA_DIR.
      const sid = (out: string) => /Account SID:\s+(AC[0-9a-f]{32})/.exec(out)?.[1];
      expect(sid(api.output())).toBeDefined();
      expect(sid(api.output())).toBe(sid(worker.output()));
    } finally {
      // A process that ended early (a port taken between freePort and listen, say) shows its output.
      const running = (p: typeof api) => p.child.exitCode === null && p.child.signalCode === null;
      const early = [api, worker].filter((p) => !running(p)).map((p) => p.output().slice(-3_000));
      for (const p of [api, worker]) if (running(p)) process.kill(-p.child.pid!, 'SIGTERM');
      const exits = { api: await api.exited, worker: await worker.exited };
      fs.rmSync(dataDir, { recursive: true, force: true });
      expect({ exits, early }).toEqual({ exits: { api: 0, worker: 0 }, early: [] });
    }
  }, 180_000);
});
