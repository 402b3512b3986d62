import { randomBytes } from 'node:crypto';
import type { CloudEvent } from '../../src/events/cloudevent';
import { SINK_TEST_EVENT } from '../../src/events/cloudevent';
import { STEP_ENDED } from '../../src/engine/events';
import type { FlowState } from '../../src/flow/definition';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually } from '../helpers/messaging';
import { useStudio } from '../helpers/studio-processes';
import { recordFigures } from './fault-kit';

/**
 * F8: Twilio's REST API fails sends with 5xx, answers too late, or refuses with 4xx. A send is
 * retried a bounded number of times through 5xx and timeouts and delivers exactly one message
 * per Send Message step (the idempotency token and the duplicate check); a refusal is not
 * retried and takes the widget's `failed` transition, its error published with the step.
 *
 * The send activity: `startToCloseTimeout` 12 s, at most 5 attempts (1 s, 2 s, 4 s, … backoff);
 * each Twilio request is bounded at 10 s by the channel, so a response held for 11 s times the
 * attempt out.
 */

/** How long the stand-in holds an accepted message's response: past the channel's 10 s request bound. */
const HOLD_MS = 11_000;
/** The send activity's maximum attempts (workflows/temporal-host.ts). */
const MAX_ATTEMPTS = 5;

interface Run {
  readonly to: string;
  readonly sid: string;
  readonly body: string;
}

describe('F8: the Twilio REST API fails, times out or refuses sends', () => {
  const studio = useStudio('twilio');
  const standIn = () => studio().standIn!;
  const client = () => studio().client;
  let sinkServer: TestServer;
  const received: CloudEvent[] = [];

  beforeAll(async () => {
    sinkServer = await startTestServer((req, res) => {
      received.push(...(JSON.parse(req.body) as CloudEvent[]));
      res.writeHead(200).end();
    });
  });
  afterAll(async () => {
    standIn().onAccept = undefined;
    await sinkServer?.close();
  });

  /** Trigger → Send Message (a unique marker and the contact) → a variable saying which branch ran. */
  async function publish(marker: string): Promise<string> {
    const send: FlowState = {
      name: 'send',
      type: 'send-message',
      properties: { body: `${marker} {{contact.channel.address}}` },
      transitions: [
        { event: 'sent', next: 'on_sent' },
        { event: 'failed', next: 'on_failed' },
      ],
    };
    const definition = flowOf(
      triggerState({ incomingRequest: 'send' }),
      send,
      setVariablesState('on_sent', [{ key: 'branch', value: 'sent' }]),
      setVariablesState('on_failed', [{ key: 'branch', value: 'failed' }]),
    );
    return (await client().studio.v2.flows.create({ friendlyName: `f8 ${marker}`, status: 'published', definition })).sid;
  }

  const contacts = (n: number) => {
    const base = 2000 + Math.floor(Math.random() * 7000);
    return Array.from({ length: n }, (_, i) => `+1415${String(base).padStart(4, '0')}${String(100 + i).padStart(3, '0')}`);
  };

  async function start(flow: string, marker: string, to: string): Promise<Run> {
    const execution = await client().studio.v2.flows(flow).executions.create({ to, from: '+15005550006' });
    return { to, sid: execution.sid, body: `${marker} ${to}` };
  }

  async function ended(flow: string, run: Run, timeoutMs: number): Promise<void> {
    await eventually(`execution ${run.sid} ended`, async () => ((await client().studio.v2.flows(flow).executions(run.sid).fetch()).status === 'ended' ? true : undefined), timeoutMs);
  }

  /** Which branch the execution took and how many of its Send Message steps were recorded as sent. */
  async function outcome(flow: string, run: Run): Promise<{ branch: unknown; sentSteps: number; sendSteps: number }> {
    const execution = client().studio.v2.flows(flow).executions(run.sid);
    const { context } = await execution.executionContext().fetch();
    const steps = await execution.steps.list();
    const sendSteps = steps.filter((s) => s.transitionedFrom === 'send');
    const branch = (context as { flow?: { variables?: Record<string, unknown> } }).flow?.variables?.branch;
    return { branch, sentSteps: sendSteps.filter((s) => s.name === 'sent').length, sendSteps: sendSteps.length };
  }

  const delivered = (marker: string) => standIn().messages.filter((m) => m.body.startsWith(`${marker} `));

  /** The invariant: the stand-in's messages for the marker are exactly the send steps recorded as sent. */
  async function expectDeliveredEqualsSent(flow: string, marker: string, runs: Run[]): Promise<number> {
    const expected: string[] = [];
    for (const run of runs) {
      const o = await outcome(flow, run);
      for (let i = 0; i < o.sentSteps; i++) expected.push(run.body);
    }
    expect(delivered(marker).map((m) => m.body).sort()).toEqual(expected.sort());
    return expected.length;
  }

  it('retries a send through two 500s and delivers it once, taking `sent`', async () => {
    const marker = `F8-5xx-${randomBytes(4).toString('hex')}`;
    const flow = await publish(marker);
    const [to] = contacts(1);
    const before = { attempts: standIn().attempts, lookups: standIn().lookups };
    standIn().failNext(2);
    const run = await start(flow, marker, to!);
    await ended(flow, run, 60_000);

    expect(await outcome(flow, run)).toEqual({ branch: 'sent', sentSteps: 1, sendSteps: 1 });
    expect(delivered(marker).map((m) => m.body)).toEqual([run.body]);
    const attempts = standIn().attempts - before.attempts;
    expect(attempts).toBe(3);
    expect(await expectDeliveredEqualsSent(flow, marker, [run])).toBe(1);
    recordFigures('F8', { case: '5xx', attempts, retries: attempts - 1, lookups: standIn().lookups - before.lookups, messages: delivered(marker).length });
  }, 90_000);

  it('retries a send whose response came too late and still delivers it once, taking `sent`', async () => {
    const marker = `F8-timeout-${randomBytes(4).toString('hex')}`;
    const flow = await publish(marker);
    const [to] = contacts(1);
    let held = 0;
    standIn().onAccept = async (message) => {
      if (!message.body.startsWith(`${marker} `) || held > 0) return;
      held++;
      await new Promise((r) => setTimeout(r, HOLD_MS));
    };
    const before = { attempts: standIn().attempts, lookups: standIn().lookups };
    try {
      const run = await start(flow, marker, to!);
      await ended(flow, run, 90_000);

      expect(held).toBe(1);
      expect(await outcome(flow, run)).toEqual({ branch: 'sent', sentSteps: 1, sendSteps: 1 });
      expect(delivered(marker).map((m) => m.body)).toEqual([run.body]);
      // The attempt that timed out was retried: the retry checked for the accepted message first.
      const lookups = standIn().lookups - before.lookups;
      expect(lookups).toBeGreaterThanOrEqual(1);
      const attempts = standIn().attempts - before.attempts;
      expect(attempts).toBeGreaterThanOrEqual(1);
      expect(attempts).toBeLessThanOrEqual(MAX_ATTEMPTS);
      expect(await expectDeliveredEqualsSent(flow, marker, [run])).toBe(1);
      recordFigures('F8', { case: 'timeout', holdMs: HOLD_MS, attempts, lookups, messages: delivered(marker).length });
    } finally {
      standIn().onAccept = undefined;
    }
  }, 120_000);

  it('does not retry a 4xx refusal (21211): `failed`, no message, the error published with the step', async () => {
    // A sink subscribed to step events, to see the published error.
    const sink = await client().events.v1.sinks.create({ description: 'f8', sinkType: 'webhook', sinkConfiguration: { destination: `${sinkServer.url}/events`, method: 'POST', batch_events: true } });
    await client().events.v1.sinks(sink.sid).sinkTest.create();
    const test = await eventually('the test event at the sink', () => received.find((e) => e.type === SINK_TEST_EVENT && e.subject === sink.sid), 30_000);
    await client().events.v1.sinks(sink.sid).sinkValidate.create({ testId: (test.data as { test_id: string }).test_id });
    await client().events.v1.subscriptions.create({ description: 'steps', sinkSid: sink.sid, types: [{ type: STEP_ENDED }] });

    const marker = `F8-4xx-${randomBytes(4).toString('hex')}`;
    const flow = await publish(marker);
    const [to] = contacts(1);
    standIn().refuse(to!);
    const before = { attempts: standIn().attempts, lookups: standIn().lookups };
    const run = await start(flow, marker, to!);
    await ended(flow, run, 60_000);

    expect(await outcome(flow, run)).toEqual({ branch: 'failed', sentSteps: 0, sendSteps: 1 });
    expect(delivered(marker)).toEqual([]);
    expect(standIn().attempts - before.attempts).toBe(1);
    expect(standIn().lookups - before.lookups).toBe(0);
    const step = await eventually('the send step at the sink', () =>
      received.find((e) => e.type === STEP_ENDED && e.subject === run.sid && (e.data as { transitioned_from?: string }).transitioned_from === 'send'), 30_000);
    expect(step.data).toMatchObject({ name: 'failed', transitioned_to: 'on_failed', error: { code: 'message:rejected', message: expect.stringContaining('21211') } });
    expect(await expectDeliveredEqualsSent(flow, marker, [run])).toBe(0);
    // Still no retry after the execution ended.
    expect(standIn().attempts - before.attempts).toBe(1);
    recordFigures('F8', { case: '4xx', attempts: standIn().attempts - before.attempts, retries: 0, messages: 0 });
  }, 90_000);

  it('a burst of 20 sends through 10 500s delivers exactly one message per execution, all `sent`', async () => {
    const marker = `F8-burst-${randomBytes(4).toString('hex')}`;
    const flow = await publish(marker);
    const to = contacts(20);
    const before = { attempts: standIn().attempts, lookups: standIn().lookups };
    standIn().failNext(10);
    const runs = await Promise.all(to.map((c) => start(flow, marker, c)));
    for (const run of runs) await ended(flow, run, 120_000);

    for (const run of runs) expect(await outcome(flow, run)).toEqual({ branch: 'sent', sentSteps: 1, sendSteps: 1 });
    expect(delivered(marker).map((m) => m.body).sort()).toEqual(runs.map((r) => r.body).sort());
    const attempts = standIn().attempts - before.attempts;
    // Every 500 was retried once more, and nothing else was sent: 20 accepted + 10 refused with 500.
    expect(attempts).toBe(30);
    expect(await expectDeliveredEqualsSent(flow, marker, runs)).toBe(20);
    recordFigures('F8', { case: 'burst', executions: runs.length, attempts, retries: attempts - runs.length, lookups: standIn().lookups - before.lookups, messages: delivered(marker).length });
  }, 240_000);

  it('two steps sending the same text to the same contact: a retried second send is sent, not mistaken for the first', async () => {
    const marker = `F8-same-${randomBytes(4).toString('hex')}`;
    const body = `${marker} {{contact.channel.address}}`;
    const definition = flowOf(
      triggerState({ incomingRequest: 'send' }),
      { name: 'send', type: 'send-message', properties: { body }, transitions: [{ event: 'sent', next: 'again' }, { event: 'failed' }] },
      { name: 'again', type: 'send-message', properties: { body }, transitions: [{ event: 'sent', next: 'on_sent' }, { event: 'failed', next: 'on_failed' }] },
      setVariablesState('on_sent', [{ key: 'branch', value: 'sent' }]),
      setVariablesState('on_failed', [{ key: 'branch', value: 'failed' }]),
    );
    const flow = (await client().studio.v2.flows.create({ friendlyName: `f8 ${marker}`, status: 'published', definition })).sid;
    const [to] = contacts(1);
    // The first message is accepted; the next create (the second step's first attempt) answers 500.
    standIn().onAccept = (message) => {
      if (message.body.startsWith(`${marker} `)) {
        standIn().onAccept = undefined;
        standIn().failNext(1);
      }
    };
    const before = { attempts: standIn().attempts };
    try {
      const run = await start(flow, marker, to!);
      await ended(flow, run, 60_000);
      const steps = await client().studio.v2.flows(flow).executions(run.sid).steps.list();
      expect(steps.filter((s) => s.transitionedFrom === 'send' || s.transitionedFrom === 'again').map((s) => s.name)).toEqual(['sent', 'sent']);
      // Both steps were recorded as sent, and the contact got both messages.
      expect(delivered(marker).map((m) => m.body)).toEqual([run.body, run.body]);
      recordFigures('F8', { case: 'same text twice', attempts: standIn().attempts - before.attempts, messages: delivered(marker).length });
    } finally {
      standIn().onAccept = undefined;
    }
  }, 90_000);
});
