import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { XMLValidator } from 'fast-xml-parser';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { FlowDefinition } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { buildProject } from '../helpers/build';
import { corpusFlows, withLoopbackUrls } from '../helpers/corpus';
import { describeOutcome, settle } from '../helpers/corpus-run';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { callParams, callSid, postVoice } from '../helpers/voice';
import { flowOf, triggerState } from '../helpers/flows';
import { freePort, freePortRun } from '../helpers/ports';
import { childPids, isAlive, startProcess, waitFor, type Started } from '../helpers/processes';
import { localTwilioClient } from '../helpers/twilio-client';

/**
 * `npm run cluster` as a user runs it: PostgreSQL, Temporal's own server on it, two API processes
 * and two workers. The official client works through either API, an inbound message through one
 * is answered by a worker and read back through the other, a call is spoken to through both,
 * the whole Studio corpus runs through them, and Ctrl-C leaves nothing behind.
 */
const root = path.resolve(__dirname, '../..');

describe('npm run cluster', () => {
  let dataDir: string;
  let cluster: Started;
  let ports: { api: number; temporal: number; postgres: number };
  let target: TestServer;
  let temporal: { client: Client; connection: Connection } | undefined;

  beforeAll(async () => {
    buildProject();
    // Every outbound HTTP call of the corpus flows, answered on loopback.
    target = await startTestServer((_req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"status":"ok","results":[],"available":true,"output":{"text":["hello"]}}'));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-cluster-'));
    // Temporal's services take the frontend's port and the few above it (and +10, +100…+103): a
    // block of its own below the ephemeral range (32768 and up), which other processes draw from.
    const temporal = 20_000 + Math.floor(Math.random() * 60) * 200;
    // The cluster's two APIs take PORT and PORT+1.
    ports = { api: await freePortRun(2), temporal, postgres: await freePort() };
    cluster = startProcess(process.execPath, ['dist/src/cluster/main.js'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        PORT: String(ports.api),
        TEMPORAL_PORT: String(ports.temporal),
        CLUSTER_POSTGRES_PORT: String(ports.postgres),
        TEMPORAL_UI_PORT: String(ports.temporal + 50),
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
    await temporal?.connection.close();
    await target?.close();
    // A failed test still stops the cluster its own way: PostgreSQL runs as a daemon, not a child.
    if (cluster?.child.exitCode === null) {
      process.kill(cluster.child.pid!, 'SIGINT');
      const stopped = await Promise.race([cluster.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 30_000))]);
      if (!stopped) process.kill(-cluster.child.pid!, 'SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const temporalClient = async () => {
    if (!temporal) {
      const connection = await Connection.connect({ address: `127.0.0.1:${ports.temporal}` });
      temporal = { connection, client: new Client({ connection }) };
    }
    return temporal.client;
  };
  const account = () => JSON.parse(fs.readFileSync(path.join(dataDir, 'credentials.json'), 'utf8')) as { accountSid: string; authToken: string };
  const api = (i: number) => `http://127.0.0.1:${ports.api + i}`;

  it('prints where everything is', () => {
    const output = cluster.output();
    expect(output).toContain(`API 1:        http://localhost:${ports.api}/v2/Flows`);
    expect(output).toContain(`API 2:        http://localhost:${ports.api + 1}/v2/Flows`);
    expect(output).toContain(`Temporal:     127.0.0.1:${ports.temporal} (Temporal server 1.30.4`);
    expect(output).toContain('Workers:      2 polling task queue flow-engine');
    expect(output).toContain(`Temporal UI:  http://localhost:${ports.temporal + 50}/namespaces/default/workflows`);
  });

  it('serves Temporal’s UI on the cluster’s server, listing its executions', async () => {
    const page = await fetch(`http://127.0.0.1:${ports.temporal + 50}/namespaces/default/workflows`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<!doctype html>/i);
    // The UI's own API, as its pages call it, reaches the cluster's frontend.
    const namespaces = (await (await fetch(`http://127.0.0.1:${ports.temporal + 50}/api/v1/namespaces`)).json()) as { namespaces: { namespaceInfo: { name: string } }[] };
    expect(namespaces.namespaces.map((n) => n.namespaceInfo.name)).toContain('default');
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

  /** Until stopped, reports every local call placed to `to` as not answered. */
  const leaveUnanswered = (base: string, to: string) => {
    let stopped = false;
    const { accountSid, authToken } = account();
    const headers = { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}` };
    const loop = (async () => {
      for (let round = 0; round < 200 && !stopped; round++) {
        const { calls } = (await (await fetch(`${base}/v1/Local/Calls`, { headers })).json()) as { calls: { sid: string; to: string; status: string }[] };
        for (const call of calls.filter((c) => c.to === to && ['queued', 'ringing', 'initiated'].includes(c.status))) {
          await fetch(`${base}/v1/Local/Calls/${call.sid}/Status`, { method: 'POST', headers, body: new URLSearchParams({ Status: 'no-answer' }) });
        }
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    return { stop: () => ((stopped = true), loop) };
  };

  it('speaks to a call through both API processes: the first webhook on one, the Gather answer on the other', async () => {
    const { accountSid, authToken } = account();
    const client = localTwilioClient(api(0), accountSid, authToken);
    const definition = flowOf(
      triggerState({ incomingCall: 'menu' }),
      { name: 'menu', type: 'gather-input-on-call', transitions: [{ event: 'keypress', next: 'chosen' }, { event: 'speech' }, { event: 'timeout' }], properties: { say: 'Press 1 for sales', number_of_digits: 1, timeout: 5, stop_gather: true } },
      { name: 'chosen', type: 'say-play', transitions: [{ event: 'audioComplete' }], properties: { say: 'You chose {{widgets.menu.Digits}}' } },
    );
    const flow = await client.studio.v2.flows.create({ friendlyName: 'cluster call', status: 'published', definition });
    const call = callSid();
    const hook = (i: number) => `http://localhost:${ports.api + i}/v1/Accounts/${accountSid}/Flows/${flow.sid}`;
    const first = await postVoice(hook(1), authToken, callParams(call, '+15550003333', '+15559990000', { CallStatus: 'ringing' }));
    expect(first.status).toBe(200);
    expect(first.twiml).toContain('Press 1 for sales');
    expect(first.next).toBeDefined();
    // Twilio follows the Gather's action: here, to the first API process instead.
    const action = new URL(first.next!);
    const answered = await postVoice(`${hook(0)}${action.search}`, authToken, callParams(call, '+15550003333', '+15559990000', { Digits: '1' }));
    expect(answered.status).toBe(200);
    expect(answered.twiml).toContain('You chose 1');
  }, 60_000);

  it('runs the Studio corpus through both API processes: every flow by each trigger it wires, no engine error', async () => {
    const { accountSid, authToken } = account();
    const clients = [localTwilioClient(api(0), accountSid, authToken), localTwilioClient(api(1), accountSid, authToken)];
    const temporalOf = await temporalClient();
    const flows = corpusFlows();
    const lines: string[] = [];
    const counts = { message: 0, rest: 0, call: 0, engineErrors: 0 };
    for (const [i, flow] of flows.entries()) {
      const definition = withLoopbackUrls(flow.definition, target.url) as unknown as FlowDefinition;
      const wired = new Set(definition.states.find((s) => s.type === 'trigger')?.transitions.filter((t) => t.next).map((t) => t.event));
      const contact = (kind: number) => `+1416${String(1000 + i).padStart(4, '0')}${kind}00`;
      // A flow with a real defect cannot be published: it runs as a draft, for its test users.
      const defective = /^(004|015)-/.test(flow.name);
      const created = await clients[i % 2]!.studio.v2.flows.create({ friendlyName: flow.name, status: defective ? 'draft' : 'published', definition });
      if (defective) await clients[i % 2]!.studio.v2.flows(created.sid).testUsers().update({ testUsers: [1, 2, 3].map(contact) });
      const outcomes: string[] = [];
      if (wired.has('incomingMessage')) {
        const url = `http://localhost:${ports.api + (i % 2)}/v1/Accounts/${accountSid}/Flows/${created.sid}`;
        const params = { MessageSid: `SM${randomBytes(16).toString('hex')}`, AccountSid: accountSid, From: contact(1), To: '+15559990000', Body: 'hello' };
        const hook = await fetch(url, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params) }, body: new URLSearchParams(params) });
        expect({ flow: flow.name, status: hook.status }).toEqual({ flow: flow.name, status: 200 });
        const outcome = describeOutcome(await settle(temporalOf, ExecutionService.workflowId(created.sid, contact(1)), definition), definition);
        counts.message++;
        if (outcome.unexpected) counts.engineErrors++;
        outcomes.push(`message: ${outcome.text}`);
      }
      if (wired.has('incomingRequest')) {
        await clients[(i + 1) % 2]!.studio.v2.flows(created.sid).executions.create({ to: contact(2), from: '+15559990000', parameters: { name: 'Corpus', phone: contact(2) } });
        // A call the flow places (Make Outgoing Call) goes unanswered, as the callee would leave it.
        // Through the first API process: the workers' PUBLIC_URL (the call's status callback) is its URL.
        const unanswered = leaveUnanswered(api(0), contact(2));
        const settled = await settle(temporalOf, ExecutionService.workflowId(created.sid, contact(2)), definition).finally(() => unanswered.stop());
        const outcome = describeOutcome(settled, definition);
        counts.rest++;
        // Known: 049's REST trigger leads straight into a Gather, with no call to speak to (Studio's behaviour too).
        if (outcome.unexpected && !(flow.name === '049-manimotion-ivr' && outcome.text.startsWith('voice:no-call'))) counts.engineErrors++;
        outcomes.push(`REST: ${outcome.text}`);
      }
      if (wired.has('incomingCall')) {
        const call = callSid();
        const hook = `http://localhost:${ports.api + ((i + 1) % 2)}/v1/Accounts/${accountSid}/Flows/${created.sid}`;
        const answer = await postVoice(hook, authToken, callParams(call, contact(3), '+15559990000', { CallStatus: 'ringing' }));
        expect({ flow: flow.name, status: answer.status, valid: XMLValidator.validate(answer.twiml) }).toEqual({ flow: flow.name, status: 200, valid: true });
        // The caller hangs up, through the other process; the execution ends without an engine error.
        await postVoice(hook.replace(`:${ports.api + ((i + 1) % 2)}/`, `:${ports.api + (i % 2)}/`), authToken, callParams(call, contact(3), '+15559990000', { CallStatus: 'completed' }));
        const workflowId = ExecutionService.workflowId(created.sid, definition.flags?.allow_concurrent_calls === false ? contact(3) : call);
        const state = await waitFor(`${flow.name} to end`, async () => {
          const s = await temporalOf.workflow.getHandle(workflowId).query(executionSnapshot);
          return s.status === 'ended' ? s : undefined;
        }, 30_000);
        counts.call++;
        if (state.failure && ['widget:unsupported', 'flow:unknown-state'].includes(state.failure.code)) counts.engineErrors++;
        outcomes.push(`call: ${/<Response>(?:<(\w+))?/.exec(answer.twiml)?.[1] ?? 'empty'} first, ${state.steps.length} steps${state.failure ? `, ${state.failure.code}` : ''}`);
      }
      lines.push(`  ${flow.name}: ${outcomes.join('; ') || 'no trigger wired'}`);
    }
    console.log(`Corpus on the cluster: ${flows.length} flows; ${counts.message} by message, ${counts.rest} by REST, ${counts.call} by call; ${counts.engineErrors} engine errors\n${lines.join('\n')}`);
    expect(counts.engineErrors).toBe(0);
  }, 600_000);

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
