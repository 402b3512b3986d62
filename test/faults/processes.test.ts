import { randomBytes } from 'node:crypto';
import { Connection, Client } from '@temporalio/client';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually } from '../helpers/messaging';
import { useStudio } from '../helpers/studio-processes';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import { callParams, callSid, postVoice } from '../helpers/voice';
import { ask, recordFigures, say } from './fault-kit';

/**
 * F1/F2/F3/F5 and the API's drain: the worker and the API die or stop while work is in flight.
 * After each fault the invariant is checked exactly: every execution finished where it should,
 * and the messages the stand-in received are the messages the executions recorded as sent.
 */
describe('process faults: worker killed or stopped, API killed or stopped', () => {
  const studio = useStudio('twilio');
  let target: TestServer;
  let temporal: Client;
  let connection: Connection;
  /** Requests the HTTP target received, by path; `hold` keeps answers back until released. */
  const seen = new Map<string, number>();
  let onRequest: ((path: string) => Promise<void> | void) | undefined;

  beforeAll(async () => {
    target = await startTestServer(async (req, res) => {
      const path = req.url.split('?')[0]!;
      seen.set(path, (seen.get(path) ?? 0) + 1);
      await onRequest?.(path);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path }));
    });
    connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    temporal = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await target?.close();
  });

  const standIn = () => studio().standIn!;
  const publish = async (name: string, definition: FlowDefinition) => (await studio().client.studio.v2.flows.create({ friendlyName: name, status: 'published', definition })).sid;
  const text = (flow: string, from: string, body: string) => postInboundMessage(studio().webhook(flow), studio().account.authToken, { From: from, To: '+15005550006', Body: body });
  const sentTo = (to: string) => standIn().messages.filter((m) => m.to === to).map((m) => m.body);
  const contacts = (n: number) => {
    const base = 1000 + Math.floor(Math.random() * 8000);
    return Array.from({ length: n }, (_, i) => `+1628${String(base)}${String(100 + i)}`);
  };
  const http = (name: string, url: string): FlowState => ({
    name,
    type: 'make-http-request',
    properties: { method: 'GET', url, content_type: 'application/json' },
    transitions: [{ event: 'success', next: 'ok' }, { event: 'failed', next: 'ko' }],
  });
  const httpFlow = (path: string) =>
    flowOf(triggerState({ incomingRequest: 'call' }), http('call', `${target.url}${path}?to={{contact.channel.address}}`), setVariablesState('ok', [{ key: 'branch', value: 'success' }]), setVariablesState('ko', [{ key: 'branch', value: 'failed' }]));
  const startRest = (flow: string, to: string) => studio().client.studio.v2.flows(flow).executions.create({ to, from: '+15005550006' });
  const result = (flow: string, to: string) => temporal.workflow.getHandle(ExecutionService.workflowId(flow, to)).result() as Promise<{ context: { flow: { variables: Record<string, unknown> } }; failure?: unknown }>;

  /** Workflow tasks that failed (a nondeterministic replay would) in the executions' histories. */
  async function failedTasks(flow: string, to: readonly string[]): Promise<number> {
    let failed = 0;
    for (const c of to) {
      const events = (await temporal.workflow.getHandle(ExecutionService.workflowId(flow, c)).fetchHistory()).events ?? [];
      failed += events.filter((e) => e.workflowTaskFailedEventAttributes).length;
    }
    return failed;
  }

  it('F1: worker killed after Twilio accepted a send, before the activity completed: one message, the execution finishes', async () => {
    const flow = await publish('f1-send', flowOf(triggerState({ incomingMessage: 'hello' }), say('hello', 'Hello once', 'bye'), say('bye', 'Bye once')));
    const to = contacts(3);
    let killed = 0;
    standIn().onAccept = async (message) => {
      if (message.body !== 'Hello once' || killed > 0) return;
      killed++;
      await studio().stopWorker('SIGKILL');
    };
    try {
      for (const c of to) expect((await text(flow, c, 'hi')).status).toBe(200);
      await eventually('the kill', () => Promise.resolve(killed > 0 ? true : undefined), 30_000);
      await studio().startWorker();
      await eventually('every execution finished', () => Promise.resolve(to.every((c) => sentTo(c).length === 2) ? true : undefined), 60_000);
    } finally {
      standIn().onAccept = undefined;
    }
    for (const c of to) expect(sentTo(c)).toEqual(['Hello once', 'Bye once']);
    expect(await failedTasks(flow, to)).toBe(0);
    recordFigures('F1', { case: 'send in flight', executions: to.length, killed, messages: to.length * 2, duplicates: 0 });
  }, 120_000);

  it('F1: worker killed while a Make HTTP Request is in flight: one request (Studio does not retry them), the failed path', async () => {
    const path = `/f1-${randomBytes(4).toString('hex')}`;
    const flow = await publish('f1-http', httpFlow(path));
    const [to] = contacts(1);
    let killed = false;
    onRequest = async (p) => {
      if (p !== path || killed) return;
      killed = true;
      await studio().stopWorker('SIGKILL');
    };
    try {
      await startRest(flow, to!);
      await eventually('the kill', () => Promise.resolve(killed ? true : undefined), 30_000);
      await studio().startWorker();
      const ended = await result(flow, to!);
      expect(ended.context.flow.variables.branch).toBe('failed');
    } finally {
      onRequest = undefined;
    }
    expect(seen.get(path)).toBe(1);
    recordFigures('F1', { case: 'HTTP in flight', requests: seen.get(path)!, branch: 'failed' });
  }, 120_000);

  it('F2: worker killed while executions are parked; replies arrive while it is down; all finish, nothing doubled', async () => {
    const flow = await publish('f2', flowOf(triggerState({ incomingMessage: 'q' }), ask('q', 'Parked?', 'done'), say('done', 'Resumed with {{widgets.q.inbound.Body}}')));
    const to = contacts(10);
    for (const c of to) expect((await text(flow, c, 'start')).status).toBe(200);
    await eventually('every execution parked', () => Promise.resolve(to.every((c) => sentTo(c).length === 1) ? true : undefined), 60_000);
    await studio().stopWorker('SIGKILL');
    // The API takes the replies (they wait in Temporal as signals) with no worker running.
    for (const c of to) expect((await text(flow, c, `r${c.slice(-3)}`)).status).toBe(200);
    await studio().startWorker();
    await eventually('every execution finished', () => Promise.resolve(to.every((c) => sentTo(c).length === 2) ? true : undefined), 90_000);
    for (const c of to) expect(sentTo(c)).toEqual(['Parked?', `Resumed with r${c.slice(-3)}`]);
    expect(await failedTasks(flow, to)).toBe(0);
    recordFigures('F2', { parked: to.length, acceptedWhileDown: to.length, finished: to.length, failedWorkflowTasks: 0 });
  }, 180_000);

  it('F3: worker stopped (SIGTERM) under load: in-flight requests finish once, then the executions finish on a new worker', async () => {
    const path = `/f3-${randomBytes(4).toString('hex')}`;
    const flow = await publish('f3', httpFlow(path));
    const to = contacts(8);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    onRequest = (p) => (p === path ? released : undefined);
    try {
      for (const c of to) await startRest(flow, c);
      await eventually('every request in flight', () => Promise.resolve(seen.get(path) === to.length ? true : undefined), 60_000);
      const stopping = studio().stopWorker('SIGTERM');
      // The answers come while the worker drains: its running activities complete.
      setTimeout(release, 1_000);
      await stopping;
      await studio().startWorker();
      for (const c of to) expect((await result(flow, c)).context.flow.variables.branch).toBe('success');
    } finally {
      onRequest = undefined;
      release();
    }
    expect(seen.get(path)).toBe(to.length);
    recordFigures('F3', { inFlight: to.length, requests: seen.get(path)!, succeeded: to.length, lost: 0 });
  }, 180_000);

  it('F5: API killed after starting an execution and before answering; the client retries with its idempotency token', async () => {
    const flow = await publish('f5', flowOf(triggerState({ incomingRequest: 'q' }), ask('q', 'Started once')));
    const [to] = contacts(1);
    const token = randomBytes(8).toString('hex');
    const { accountSid, authToken } = studio().account;
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${studio().url}/v2/Flows/${flow}/Executions`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`, ...headers },
        body: new URLSearchParams({ To: to!, From: '+15005550006' }),
      });
    await studio().restartApi('SIGTERM', { FAILPOINTS: 'executions.after-start=crash' });
    await expect(post({ 'i-twilio-idempotency-token': token })).rejects.toThrow(); // the connection dies with the API
    await studio().api.exited;
    expect(studio().api.child.signalCode).toBe('SIGKILL');
    await studio().restartApi('SIGTERM');
    const retried = await post({ 'i-twilio-idempotency-token': token });
    expect(retried.status).toBe(201);
    const execution = (await retried.json()) as { sid: string; status: string };
    expect(execution.status).toBe('active');
    const again = await post({ 'i-twilio-idempotency-token': token });
    expect(((await again.json()) as { sid: string }).sid).toBe(execution.sid);
    // Without the token, or with another, the contact is busy: 409, nothing new.
    expect((await post()).status).toBe(409);
    expect((await post({ 'i-twilio-idempotency-token': `${token}-other` })).status).toBe(409);
    const listed = await studio().client.studio.v2.flows(flow).executions.list();
    expect(listed.map((e) => e.sid)).toEqual([execution.sid]);
    await eventually('its one message', () => Promise.resolve(sentTo(to!).length === 1 ? true : undefined), 30_000);
    expect(sentTo(to!)).toEqual(['Started once']);
    recordFigures('F5', { executions: listed.length, retries: 2, sameSid: 'yes', messages: 1 });
  }, 120_000);

  it('drain: the API stopped (SIGTERM) while a request is in flight answers it, exits 0, and takes no new connection', async () => {
    const flow = await publish('drain', flowOf(triggerState({ incomingCall: 'hi' }), { name: 'hi', type: 'say-play', properties: { say: 'Hello' }, transitions: [{ event: 'audioComplete' }] }));
    // With no worker the call webhook waits out its deadline (then answers with a hold): a request in flight.
    await studio().stopWorker('SIGTERM');
    const inFlight = postVoice(studio().webhook(flow), studio().account.authToken, callParams(callSid(), '+16285550100', '+15005550006'));
    await new Promise((r) => setTimeout(r, 500));
    const api = studio().api;
    process.kill(-api.child.pid!, 'SIGTERM');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.twiml).toContain('<Response>');
    expect(await api.exited).toBe(0);
    await expect(fetch(`${studio().url}/health`)).rejects.toThrow();
    await studio().restartApi('SIGTERM');
    await studio().startWorker();
    recordFigures('drain', { inFlight: 1, answered: 1, exitCode: 0 });
  }, 120_000);
});
