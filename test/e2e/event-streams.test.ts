import twilio from 'twilio';
import { SINK_TEST_EVENT, type CloudEvent } from '../../src/events/cloudevent';
import { EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED } from '../../src/engine/events';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually } from '../helpers/messaging';
import { parsePrometheusText, sampleValue } from '../helpers/prometheus';
import { useStudio } from '../helpers/studio-processes';

/**
 * Event Streams with the real processes: a sink set up through the official `twilio` client
 * (create, test, validate, subscribe), delivered to by the worker process, watched through the
 * API's and the worker's `/metrics`.
 */
describe('event streams with the real processes', () => {
  const studio = useStudio('local');
  const client = () => studio().client;
  let sinkServer: TestServer;
  let down = false;
  const received: CloudEvent[] = [];

  beforeAll(async () => {
    sinkServer = await startTestServer((req, res) => {
      if (down) return void res.writeHead(503).end();
      received.push(...(JSON.parse(req.body) as CloudEvent[]));
      res.writeHead(200).end();
    });
  });
  afterAll(async () => {
    await sinkServer?.close();
  });

  const streamOf = (executionSid: string) => received.filter((e) => e.subject === executionSid);
  const scrape = async (url: string) => parsePrometheusText(await (await fetch(url)).text());

  async function activeSink(): Promise<string> {
    const sink = await client().events.v1.sinks.create({ description: 'warehouse', sinkType: 'webhook', sinkConfiguration: { destination: `${sinkServer.url}/events`, method: 'POST', batch_events: true } });
    expect(sink.status).toBe('initialized');
    await client().events.v1.sinks(sink.sid).sinkTest.create();
    const test = await eventually('the test event at the sink', () => received.find((e) => e.type === SINK_TEST_EVENT && e.subject === sink.sid), 30_000);
    const testId = (test.data as { test_id: string }).test_id;
    await client().events.v1.sinks(sink.sid).sinkValidate.create({ testId });
    expect((await client().events.v1.sinks(sink.sid).fetch()).status).toBe('active');
    await client().events.v1.subscriptions.create({ description: 'Studio', sinkSid: sink.sid, types: [EXECUTION_STARTED, STEP_ENDED, EXECUTION_ENDED].map((type) => ({ type })) });
    return sink.sid;
  }

  async function runFlow(flowSid: string, to: string): Promise<string> {
    const execution = await client().studio.v2.flows(flowSid).executions.create({ to, from: '+15005550006' });
    return execution.sid;
  }

  it('delivers a REST execution in order, signed; a sink that was down gets everything after', async () => {
    const sinkSid = await activeSink();
    const flow = await client().studio.v2.flows.create({
      friendlyName: 'observed',
      status: 'published',
      definition: flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [{ key: 'x', value: '1' }], 'b'), setVariablesState('b', [{ key: 'y', value: '{{flow.variables.x}}2' }])),
    });

    const first = await runFlow(flow.sid, '+14155550401');
    const events = await eventually('the first execution ended at the sink', () => (streamOf(first).some((e) => e.type === EXECUTION_ENDED) ? streamOf(first) : undefined), 30_000);
    expect(events.map((e) => [e.type, Number(e.sequence)])).toEqual([
      [EXECUTION_STARTED, 1],
      [STEP_ENDED, 2],
      [STEP_ENDED, 3],
      [STEP_ENDED, 4],
      [EXECUTION_ENDED, 5],
    ]);
    expect(events.map((e) => (e.data as { transitioned_to?: string }).transitioned_to ?? null)).toEqual([null, 'a', 'b', 'Ended', null]);
    expect(events[4]!.data).toMatchObject({ execution_sid: first, flow_sid: flow.sid, status: 'ended', ended_reason: 'FLOW_END', account_sid: studio().account.accountSid });
    const signed = sinkServer.requests.at(-1)!;
    expect(twilio.validateRequest(studio().account.authToken, String(signed.headers['x-twilio-signature']), `${sinkServer.url}/events`, {})).toBe(true);

    down = true;
    const second = await runFlow(flow.sid, '+14155550402');
    await eventually('a failed delivery counted by the worker', async () => {
      const failed = sampleValue(await scrape(studio().workerMetricsUrl), 'studio_sink_deliveries_total', { sink: sinkSid, outcome: 'failed' });
      return failed > 0 ? failed : undefined;
    }, 30_000);
    expect(sampleValue(await scrape(`${studio().url}/metrics`), 'studio_sink_backlog_events', { sink: sinkSid })).toBe(5);
    expect(streamOf(second)).toEqual([]);

    down = false;
    const late = await eventually('the second execution at the sink once it is back', () => (streamOf(second).length >= 5 ? streamOf(second) : undefined), 60_000);
    expect(late.map((e) => Number(e.sequence))).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(late.map((e) => e.id)).size).toBe(5);
    await eventually('the backlog drained', async () => (sampleValue(await scrape(`${studio().url}/metrics`), 'studio_sink_backlog_events', { sink: sinkSid }) === 0 ? true : undefined));
    const worker = await scrape(studio().workerMetricsUrl);
    expect(sampleValue(worker, 'studio_executions_started_total', { trigger: 'incomingRequest' })).toBe(2);
    expect(sampleValue(worker, 'studio_executions_ended_total', { reason: 'FLOW_END' })).toBe(2);
    expect(sampleValue(worker, 'studio_steps_total', { widget_type: 'set-variables', event: 'next' })).toBe(4);
  }, 120_000);
});
