import { randomBytes } from 'node:crypto';
import { ExecutionService } from '../../src/services/executions';
import { useCluster } from '../helpers/cluster';
import { flowOf, triggerState } from '../helpers/flows';
import { waitFor } from '../helpers/processes';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import { ask, say } from '../faults/fault-kit';

const REST_RATE = 5;
/** A claim whose process died is taken over after this (30 s by default; short here to keep the test short). */
const LEASE_MS = 3_000;

/**
 * What several API processes must agree on, shown through both of them at once: the account's
 * rate of new executions (one bucket in the store, not one per process), one execution per
 * contact however its first messages are spread, one delivery per MessageSid, and Twilio's
 * idempotency token whichever process gets the retry.
 */
describe('two API processes, one account: shared limits and de-duplication', () => {
  const cluster = useCluster({ apis: 2, workers: 2, env: { LIMIT_MAX_NEW_REST_EXECUTIONS_PER_SECOND: String(REST_RATE), INBOUND_CLAIM_LEASE_MS: String(LEASE_MS) } });
  const contacts = (n: number) => {
    const base = 1000 + Math.floor(Math.random() * 8000);
    return Array.from({ length: n }, (_, i) => `+1629${base}${String(100 + i)}`);
  };
  const sentTo = (to: string) => cluster().standIn.messages.filter((m) => m.to === to).map((m) => m.body);
  const publish = async (name: string, definition: object) => (await cluster().client(0).studio.v2.flows.create({ friendlyName: name, status: 'published', definition })).sid;
  const restStart = (i: number, flow: string, to: string, headers: Record<string, string> = {}) => {
    const { accountSid, authToken } = cluster().account;
    return fetch(`${cluster().apiUrls[i]}/v2/Flows/${flow}/Executions`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`, ...headers },
      body: new URLSearchParams({ To: to, From: '+15005550006' }),
    });
  };

  it('a burst of REST starts split over both processes admits the account’s rate once, not twice', async () => {
    const flow = await publish('burst', flowOf(triggerState({ incomingRequest: 'hi' }), say('hi', 'Hello')));
    await new Promise((r) => setTimeout(r, 1_500)); // the bucket full again after the publish's neighbours
    const targets = contacts(40);
    const started = performance.now();
    const responses = await Promise.all(targets.map((to, i) => restStart(i % 2, flow, to)));
    const elapsed = (performance.now() - started) / 1000;
    const admitted = responses.filter((r) => r.status === 201).length;
    const refused = responses.filter((r) => r.status === 429).length;
    console.log(`cluster rate limit: ${targets.length} REST starts over 2 API processes in ${Math.round(elapsed * 1000)} ms at ${REST_RATE}/s: ${admitted} admitted, ${refused} refused (429)`);
    expect(admitted + refused).toBe(targets.length);
    // One bucket: the burst plus at most what refilled while the burst lasted. A bucket per process
    // would admit twice the burst plus twice the refill, above this bound however long it took.
    expect(admitted).toBeGreaterThanOrEqual(REST_RATE);
    expect(admitted).toBeLessThanOrEqual(REST_RATE + Math.floor(elapsed * REST_RATE));
  }, 60_000);

  it('50 concurrent first messages from one contact, split over both processes, make one execution that takes all 50', async () => {
    const flow = await publish('one', flowOf(triggerState({ incomingMessage: 'first' }), ask('first', 'Hello?', 'second'), ask('second', 'And?')));
    const [contact] = contacts(1) as [string];
    const sids = Array.from({ length: 50 }, () => `SM${randomBytes(16).toString('hex')}`);
    const responses = await Promise.all(sids.map((MessageSid, i) => postInboundMessage(cluster().webhook(flow, i % 2), cluster().account.authToken, { From: contact, To: '+15005550006', Body: `m${i}`, MessageSid })));
    expect(responses.map((r) => r.status)).toEqual(sids.map(() => 200));
    const workflowId = ExecutionService.workflowId(flow, contact);
    await waitFor('the first question', () => Promise.resolve(sentTo(contact).length >= 1 ? true : undefined), 30_000);
    const runs = await collect(cluster().temporal.workflow.list({ query: `WorkflowId = '${workflowId}'` }));
    // Signals that arrive while a workflow task runs are buffered by the server and written to
    // history when the task completes: read it until all 50 are there (or the time is up).
    const historyEvents = async () => (await cluster().temporal.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const signalsIn = (events: Awaited<ReturnType<typeof historyEvents>>) => events.filter((e) => e.workflowExecutionSignaledEventAttributes).length;
    await waitFor('all 50 signals in history', async () => (signalsIn(await historyEvents()) >= 50 ? true : undefined), 15_000).catch(() => undefined);
    const history = await historyEvents();
    const signals = signalsIn(history);
    const started = history.filter((e) => e.workflowExecutionStartedEventAttributes).length;
    console.log(`cluster first messages: 50 over 2 API processes → ${runs.length} execution(s), ${signals} signals in its history`);
    expect(runs).toHaveLength(1);
    expect(started).toBe(1);
    expect(signals).toBe(50);
  }, 60_000);

  it('one MessageSid posted to both processes at the same moment is delivered once', async () => {
    const flow = await publish('twice', flowOf(triggerState({ incomingMessage: 'first' }), ask('first', 'Hello?', 'thanks'), say('thanks', 'Got {{widgets.first.inbound.Body}}')));
    const targets = contacts(10);
    const rounds = await Promise.all(
      targets.map(async (contact) => {
        const MessageSid = `SM${randomBytes(16).toString('hex')}`;
        const post = (i: number) => postInboundMessage(cluster().webhook(flow, i), cluster().account.authToken, { From: contact, To: '+15005550006', Body: 'hi', MessageSid });
        const first = await Promise.all([post(0), post(1)]);
        // A duplicate that found the first attempt still at work is told to retry (503): it does.
        const retried = await Promise.all(first.map((r, i) => (r.status === 503 ? post(i) : Promise.resolve(r))));
        return { first: first.map((r) => r.status), retried: retried.map((r) => r.status) };
      }),
    );
    expect(rounds.flatMap((r) => r.retried)).toEqual(targets.flatMap(() => [200, 200]));
    await waitFor('every question', () => Promise.resolve(targets.every((c) => sentTo(c).length === 1) ? true : undefined), 30_000);
    for (const contact of targets) {
      const history = (await cluster().temporal.workflow.getHandle(ExecutionService.workflowId(flow, contact)).fetchHistory()).events ?? [];
      expect(history.filter((e) => e.workflowExecutionSignaledEventAttributes)).toHaveLength(1);
    }
    console.log(`cluster same MessageSid twice: ${targets.length} messages × 2 processes → first answers ${JSON.stringify(rounds.map((r) => r.first))}; 1 signal each`);
  }, 60_000);

  it('a retry with the same idempotency token on the other process gets the first execution', async () => {
    const flow = await publish('token', flowOf(triggerState({ incomingRequest: 'hi' }), ask('hi', 'Still there?')));
    await new Promise((r) => setTimeout(r, 1_000));
    const [to] = contacts(1) as [string];
    const token = randomBytes(12).toString('hex');
    const first = await restStart(0, flow, to, { 'i-twilio-idempotency-token': token });
    const retried = await restStart(1, flow, to, { 'i-twilio-idempotency-token': token });
    expect([first.status, retried.status]).toEqual([201, 201]);
    expect(((await retried.json()) as { sid: string }).sid).toBe(((await first.json()) as { sid: string }).sid);
    expect((await restStart(1, flow, to)).status).toBe(409);
    await waitFor('the question', () => Promise.resolve(sentTo(to).length === 1 ? true : undefined), 30_000);
    expect(sentTo(to)).toEqual(['Still there?']);
  }, 60_000);

  it('a process that dies after delivering a reply, before recording it: the retry on the other process finds it taken, no second execution', async () => {
    const c = cluster();
    const flow = await publish('dies', flowOf(triggerState({ incomingMessage: 'name' }), ask('name', 'Your name?', 'thanks'), say('thanks', 'Thanks {{widgets.name.inbound.Body}}')));
    const [contact] = contacts(1) as [string];
    const post = (i: number, Body: string, MessageSid: string) => postInboundMessage(c.webhook(flow, i), c.account.authToken, { From: contact, To: '+15005550006', Body, MessageSid });
    expect((await post(1, 'hi', `SM${randomBytes(16).toString('hex')}`)).status).toBe(200);
    await waitFor('the question', () => Promise.resolve(sentTo(contact).length === 1 ? true : undefined), 30_000);
    // API process 1 now dies right after delivering a message, before marking it taken.
    await c.stopApi(0, 'SIGTERM');
    await c.startApi(0, { env: { FAILPOINTS: 'messaging.before-taken=crash' } });
    const reply = `SM${randomBytes(16).toString('hex')}`;
    await expect(post(0, 'Ada', reply)).rejects.toThrow();
    // The reply finished the execution; Twilio retries on the other process.
    await waitFor('the thanks', () => Promise.resolve(sentTo(contact).length === 2 ? true : undefined), 30_000);
    const started = performance.now();
    let retry = await post(1, 'Ada', reply);
    for (let i = 0; i < 5 && retry.status === 503; i++) retry = await post(1, 'Ada', reply);
    const waited = Math.round(performance.now() - started);
    expect(retry.status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_000));
    const runs = await collect(c.temporal.workflow.list({ query: `WorkflowId = '${ExecutionService.workflowId(flow, contact)}'` }));
    console.log(`cluster claim taken over: the retry answered 200 after ${waited} ms (lease ${LEASE_MS} ms); ${runs.length} execution(s); sent ${JSON.stringify(sentTo(contact))}`);
    expect(runs).toHaveLength(1);
    expect(sentTo(contact)).toEqual(['Your name?', 'Thanks Ada']);
    await c.stopApi(0, 'SIGKILL');
    await c.startApi(0);
  }, 90_000);
});

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}
