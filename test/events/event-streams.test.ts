import twilio from 'twilio';
import { EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED } from '../../src/engine/events';
import type { CloudEvent } from '../../src/events/cloudevent';
import type { FlowDefinition } from '../../src/flow/definition';
import { EventSinks } from '../../src/store/event-sinks';
import { newSid } from '../../src/sids';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually } from '../helpers/messaging';
import { startTemporalTestContext, TEST_ACCOUNT, type TemporalTestContext } from '../helpers/temporal';

/**
 * Event Streams end to end on the real server: executions record their events through the
 * worker, a dispatcher delivers them to real HTTP sinks.
 */
describe('event streams', () => {
  let t: TemporalTestContext;
  let sinks: EventSinks;
  let api: TestServer;
  const trigger = { event: 'incomingRequest' as const, data: { to: '+14155550100', from: '+15005550006', parameters: {} }, contactAddress: '+14155550100', channelAddress: '+15005550006' };

  beforeAll(async () => {
    api = await startTestServer((req, res) => void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    t = await startTemporalTestContext({ deliverEvents: { retryInitialMs: 100, retryMaxMs: 400, pollIntervalMs: 100 } });
    sinks = new EventSinks(t.database);
  });
  afterAll(async () => {
    await t?.close();
    await api?.close();
  });

  /** A sink that records what it accepted; `answer` decides each request's status. */
  async function sink(options: { batch?: boolean; flowSids?: string[]; answer?: (n: number) => number } = {}) {
    let requests = 0;
    const accepted: CloudEvent[] = [];
    const server = await startTestServer((req, res) => {
      const status = options.answer?.(++requests) ?? 200;
      // A sink that stored the events but answered an error: the retry brings duplicates.
      if (status < 300 || status === 599) accepted.push(...(JSON.parse(req.body) as CloudEvent[]));
      res.writeHead(status === 599 ? 500 : status).end();
    });
    const sid = newSid('DG');
    const at = new Date().toISOString();
    const configuration = { destination: `${server.url}/events`, method: 'POST', batch_events: options.batch ?? true, ...(options.flowSids ? { flow_sids: options.flowSids } : {}) };
    await sinks.createSink({ sid, accountSid: TEST_ACCOUNT.accountSid, description: 'test sink', sinkType: 'webhook', configuration, status: 'active', dateCreated: at });
    const types = [EXECUTION_STARTED, STEP_ENDED, EXECUTION_ENDED].map((type) => ({ type, schemaVersion: 1 }));
    await sinks.createSubscription({ sid: newSid('DF'), accountSid: TEST_ACCOUNT.accountSid, sinkSid: sid, description: 'all of Studio', dateCreated: at }, types);
    return { sid, server, accepted, requests: () => requests };
  }

  async function run(definition: FlowDefinition, flowSid = newSid('FW')) {
    const input: FlowExecutionInput = { executionSid: newSid('FN'), flow: { sid: flowSid, revision: 3, definition }, trigger };
    const handle = await t.client.workflow.start(flowExecution, { args: [input], taskQueue: t.taskQueue, workflowId: `${flowSid}:${trigger.contactAddress}:${input.executionSid}` });
    return { input, result: await handle.result() };
  }

  const streamOf = (events: readonly CloudEvent[], executionSid: string) => events.filter((e) => e.subject === executionSid);

  it('delivers started, every step (subflow steps included) and ended, in order, signed', async () => {
    const target = await sink();
    const childSid = newSid('FW');
    await t.store.create(childSid, TEST_ACCOUNT.accountSid, {
      friendlyName: 'child',
      status: 'published',
      definition: JSON.stringify(flowOf(triggerState({ incomingParent: 'inner' }), setVariablesState('inner', [{ key: 'x', value: '1' }]))),
      commitMessage: null,
      valid: true,
      errors: [],
      warnings: [],
      at: new Date().toISOString(),
    });
    const flow = flowOf(
      triggerState({ incomingRequest: 'first' }),
      setVariablesState('first', [{ key: 'a', value: '1' }], 'lookup'),
      { name: 'lookup', type: 'make-http-request', properties: { method: 'GET', url: `${api.url}/x`, content_type: 'application/json' }, transitions: [{ event: 'success', next: 'sub' }, { event: 'failed' }] },
      { name: 'sub', type: 'run-subflow', properties: { flow_sid: childSid, flow_revision: 'LatestPublished' }, transitions: [{ event: 'completed', next: 'last' }, { event: 'failed' }] },
      setVariablesState('last', [{ key: 'b', value: '2' }]),
    );
    const { input, result } = await run(flow);
    const events = await eventually('all events at the sink', () => {
      const mine = streamOf(target.accepted, input.executionSid);
      return mine.some((e) => e.type === EXECUTION_ENDED) ? mine : undefined;
    });

    expect(events.map((e) => Number(e.sequence))).toEqual(events.map((_, i) => i + 1));
    expect(events.map((e) => [e.type, e.data.transitioned_from ?? '', e.data.transitioned_to ?? ''])).toEqual([
      [EXECUTION_STARTED, '', ''],
      [STEP_ENDED, 'Trigger', 'first'],
      [STEP_ENDED, 'first', 'lookup'],
      [STEP_ENDED, 'lookup', 'sub'],
      [STEP_ENDED, 'Trigger', 'inner'],
      [STEP_ENDED, 'inner', 'Ended'],
      [STEP_ENDED, 'sub', 'last'],
      [STEP_ENDED, 'last', 'Ended'],
      [EXECUTION_ENDED, '', ''],
    ]);
    const subStep = result.state.steps.find((s) => s.transitioned_from === 'sub')!;
    expect(events[4]!.data).toMatchObject({ flow_sid: childSid, parent_step_sid: subStep.sid, execution_sid: input.executionSid });
    expect(events[1]!.data).toMatchObject({ step_sid: result.state.steps[0]!.sid, name: 'incomingRequest', type: 'trigger', flow_revision: 3, parent_step_sid: null });
    expect(events[0]).toMatchObject({
      specversion: '1.0',
      source: `/v2/Flows/${input.flow.sid}/Executions/${input.executionSid}`,
      datacontenttype: 'application/json',
      dataschema: 'https://events-schemas.twilio.com/Studio.FlowExecutionEvent/2',
      data: { account_sid: TEST_ACCOUNT.accountSid, flow_sid: input.flow.sid, contact_channel_address: '+14155550100', status: 'active', started_by: TEST_ACCOUNT.accountSid, flow_revision: 3 },
    });
    expect(events[8]!.data).toMatchObject({ status: 'ended', ended_reason: 'FLOW_END' });
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);

    const request = target.server.requests[0]!;
    expect(request.headers['content-type']).toBe('application/json');
    expect(twilio.validateRequest(TEST_ACCOUNT.authToken, String(request.headers['x-twilio-signature']), `${target.server.url}/events`, {})).toBe(true);
    await target.server.close();
  });

  it('keeps every event while a sink is down and delivers them in order when it is back; duplicates carry the same id', async () => {
    // Down for the first 4 requests, then a request the sink stored but answered 500, then up.
    const target = await sink({ batch: false, answer: (n) => (n <= 4 ? 503 : n === 5 ? 599 : 200) });
    const runs = await Promise.all([0, 1, 2].map(() => run(flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'k', value: 'v' }], 'b'), setVariablesState('b', [{ key: 'k', value: 'w' }])))));
    for (const { input } of runs) {
      const delivered = await eventually(`all of ${input.executionSid}`, () => {
        const mine = streamOf(target.accepted, input.executionSid);
        return mine.some((e) => e.type === EXECUTION_ENDED) ? mine : undefined;
      }, 30_000);
      // Once each (a duplicate may precede), in order: started, 3 steps, ended.
      const unique = delivered.filter((e, i) => delivered.findIndex((d) => d.id === e.id) === i);
      expect(unique.map((e) => Number(e.sequence))).toEqual([1, 2, 3, 4, 5]);
      const sequences = delivered.map((e) => Number(e.sequence));
      expect(sequences).toEqual([...sequences].sort((x, y) => x - y));
    }
    const all = target.accepted;
    const duplicates = all.filter((e, i) => all.findIndex((d) => d.id === e.id) !== i);
    expect(duplicates).toHaveLength(1);
    expect(target.requests()).toBeGreaterThan(15);
    // The dispatcher forgets a delivery once the sink's answer is in, a moment after the sink saw it.
    await eventually('an empty backlog', async () => (((await t.outbox.backlog()).get(target.sid) ?? 0) === 0 ? true : undefined));
    expect((await t.outbox.backlog()).get(target.sid) ?? 0).toBe(0);
    await target.server.close();
  }, 60_000);

  it('feeds flow insights with the same executions and steps the outbox holds', async () => {
    const flowSid = newSid('FW');
    const { input } = await run(flowOf(triggerState({ incomingRequest: 'first' }), setVariablesState('first', [{ key: 'a', value: '1' }], 'last'), setVariablesState('last', [{ key: 'b', value: '2' }])), flowSid);
    const events = await eventually('the execution ended event', async () => {
      const stream = (await t.outbox.stream(input.executionSid)) as unknown as CloudEvent[];
      return stream.some((e) => e.type === EXECUTION_ENDED) ? stream : undefined;
    });
    const db = t.database.db;
    const steps = await db.selectFrom('insight_steps').select(['sequence', 'widget', 'event', 'next']).where('execution_sid', '=', input.executionSid).orderBy('sequence').execute();
    expect(steps.map((r) => [Number(r.sequence), r.widget, r.event, r.next])).toEqual(
      events.filter((e) => e.type === STEP_ENDED).map((e) => [Number(e.sequence), e.data.transitioned_from, e.data.name, e.data.transitioned_to]),
    );
    expect(steps.map((r) => r.widget)).toEqual(['Trigger', 'first', 'last']);
    const execution = await db.selectFrom('insight_executions').selectAll().where('execution_sid', '=', input.executionSid).executeTakeFirstOrThrow();
    expect([execution.flow_sid, Number(execution.revision), execution.trigger, execution.ended_reason]).toEqual([flowSid, 3, 'incomingRequest', 'FLOW_END']);
  });

  it('limits a sink to the flows it names', async () => {
    const wanted = newSid('FW');
    const filtered = await sink({ flowSids: [wanted] });
    const everything = await sink();
    const simple = flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'k', value: 'v' }]));
    const mine = await run(simple, wanted);
    const other = await run(simple);
    await eventually('both executions at the unfiltered sink', () =>
      [mine, other].every(({ input }) => streamOf(everything.accepted, input.executionSid).length === 4) ? true : undefined,
    );
    await eventually('the wanted execution at the filtered sink', () => (streamOf(filtered.accepted, mine.input.executionSid).length === 4 ? true : undefined));
    expect(streamOf(filtered.accepted, other.input.executionSid)).toEqual([]);
    expect(new Set(filtered.accepted.map((e) => e.subject))).toEqual(new Set([mine.input.executionSid]));
    await filtered.server.close();
    await everything.server.close();
  });
});
