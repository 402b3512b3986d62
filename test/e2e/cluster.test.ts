import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { buildProject } from '../helpers/build';
import { flowOf, triggerState } from '../helpers/flows';
import { freePort } from '../helpers/ports';
import { childPids, isAlive, startProcess, waitFor, type Started } from '../helpers/processes';
import { localTwilioClient } from '../helpers/twilio-client';

/**
 * `npm run cluster` as a user runs it: PostgreSQL, Temporal's own server on it, two API processes
 * and two workers. The official client works through either API, an inbound message through one
 * is answered by a worker and read back through the other, and Ctrl-C leaves nothing behind.
 */
const root = path.resolve(__dirname, '../..');

describe('npm run cluster', () => {
  let dataDir: string;
  let cluster: Started;
  let ports: { api: number; temporal: number; postgres: number };

  beforeAll(async () => {
    buildProject();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-cluster-'));
    // Temporal's services take the frontend's port and the few above it (and +10, +100…+103): a
    // block of its own below the ephemeral range (32768 and up), which other processes draw from.
    const temporal = 20_000 + Math.floor(Math.random() * 60) * 200;
    ports = { api: await freePort(), temporal, postgres: await freePort() };
    cluster = startProcess(process.execPath, ['dist/src/cluster/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        PORT: String(ports.api),
        TEMPORAL_PORT: String(ports.temporal),
        CLUSTER_POSTGRES_PORT: String(ports.postgres),
        LOG_LEVEL: 'warn',
      },
    });
    const banner = waitFor('the cluster banner', () => Promise.resolve(cluster.output().includes('running as a cluster') ? true : undefined), 600_000);
    const exited = cluster.exited.then((code) => {
      throw new Error(`the cluster exited during start (code ${code})`);
    });
    await Promise.race([banner, exited]).catch((err: Error) => {
      throw new Error(`${err.message}\n--- output ---\n${cluster.output()}`);
    });
  }, 900_000);
  afterAll(async () => {
    // A failed test still stops the cluster its own way: PostgreSQL runs as a daemon, not a child.
    if (cluster?.child.exitCode === null) {
      process.kill(cluster.child.pid!, 'SIGINT');
      const stopped = await Promise.race([cluster.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
      if (!stopped) process.kill(-cluster.child.pid!, 'SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const account = () => JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { accountSid: string; authToken: string };
  const api = (i: number) => `http://127.0.0.1:${ports.api + i}`;

  it('prints where everything is', () => {
    const output = cluster.output();
    expect(output).toContain(`API 1:        http://localhost:${ports.api}/v2/Flows`);
    expect(output).toContain(`API 2:        http://localhost:${ports.api + 1}/v2/Flows`);
    expect(output).toContain(`Temporal:     127.0.0.1:${ports.temporal} (Temporal server 1.30.4`);
    expect(output).toContain('Workers:      2 polling task queue flow-engine');
  });

  it('serves the official client through either API and answers a message through a worker', async () => {
    const { accountSid, authToken } = account();
    const first = localTwilioClient(api(0), accountSid, authToken);
    const second = localTwilioClient(api(1), accountSid, authToken);
    const definition = flowOf(
      triggerState({ incomingMessage: 'reply' }),
      { name: 'reply', type: 'send-message', transitions: [{ event: 'sent' }, { event: 'failed' }], properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: 'Hello from the cluster' } },
    );
    const flow = await first.studio.v2.flows.create({ friendlyName: 'cluster', status: 'published', definition });
    expect((await second.studio.v2.flows(flow.sid).fetch()).revision).toBe(1);

    // A signed inbound message to the second API process.
    const url = `http://localhost:${ports.api + 1}/v1/Accounts/${accountSid}/Flows/${flow.sid}`;
    const params = { MessageSid: `SM${'a'.repeat(32)}`, AccountSid: accountSid, From: '+15550001111', To: '+15559990000', Body: 'hi' };
    const hook = await fetch(`${api(1)}/v1/Accounts/${accountSid}/Flows/${flow.sid}`, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params) }, body: new URLSearchParams(params) });
    expect(hook.status).toBe(200);
    // The reply, read through the first.
    const auth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
    const replies = await waitFor('the reply in the local inbox', async () => {
      const page = (await (await fetch(`${api(0)}/v1/Local/Messages?Contact=%2B15550001111`, { headers: { authorization: auth } })).json()) as { messages: { body: string; direction: string }[] };
      return page.messages.some((m) => m.direction === 'outbound') ? page.messages : undefined;
    }, 30_000);
    expect(replies.filter((m) => m.direction === 'outbound').map((m) => m.body)).toEqual(['Hello from the cluster']);
    const executions = await waitFor('the execution listed as ended', async () => {
      const list = await first.studio.v2.flows(flow.sid).executions.list();
      return list.length === 1 && list[0]!.status === 'ended' ? list : undefined;
    }, 30_000);
    expect(executions[0]!.contactChannelAddress).toBe('+15550001111');

    // A REST start through the second, read back through the first.
    const started = await second.studio.v2.flows(flow.sid).executions.create({ to: '+15550002222', from: '+15559990000' });
    expect((await first.studio.v2.flows(flow.sid).executions(started.sid).fetch()).contactChannelAddress).toBe('+15550002222');
  }, 120_000);

  it('stops everything on Ctrl-C', async () => {
    const pids = childPids(cluster.child.pid!);
    expect(pids.length).toBeGreaterThanOrEqual(5);
    process.kill(cluster.child.pid!, 'SIGINT');
    expect(await cluster.exited).toBe(0);
    await waitFor('every process of the cluster to exit', () => Promise.resolve(pids.every((pid) => !isAlive(pid)) ? true : undefined), 30_000);
    // PostgreSQL (a daemon of pg_ctl's) stopped too: its pid file is gone.
    expect(fs.existsSync(path.join(dataDir, 'postgres', 'data', 'postmaster.pid'))).toBe(false);
  }, 60_000);
});
