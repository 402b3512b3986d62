import { randomUUID } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { TwilioChannel } from '../../src/channels/twilio';
import { ConfigError, loadConfig } from '../../src/config/env';
import type { FlowDefinition } from '../../src/flow/definition';
import { createLogger } from '../../src/logger';
import { egressAgent } from '../../src/net/egress';
import { createMetrics, type Metrics } from '../../src/observability/metrics';
import { EventOutbox } from '../../src/store/event-outbox';
import { startMetricsServer } from '../../src/observability/metrics-server';
import { installTemporalRuntime } from '../../src/temporal/runtime';
import { startWorker, type RunningWorker } from '../../src/temporal/worker';
import { startTestApi, type TestApi } from '../helpers/api';
import { freshDatabase } from '../helpers/databases';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { serverTimings } from '../helpers/server-timing';
import { eventually } from '../helpers/messaging';
import { freePort } from '../helpers/ports';
import { parsePrometheusText, sampleValue, type Exposition } from '../helpers/prometheus';
import { temporalAddress, workflowBundle } from '../helpers/temporal';
import { postInboundMessage } from '../helpers/twilio-stand-in';
import { sinkConfigurationTakesFlow } from '../../src/events/sink-config';

/** A pino destination that keeps the JSON lines for the test to read. */
function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

const REQUEST_FINISHED = 'request finished';
const GENERATED_ID = /^RQ[0-9a-f]{32}$/;

/**
 * Request ids, request logs and Prometheus metrics, on the real app over HTTP with a real
 * worker sharing the process's metrics (as the `all` role does). The worker's channel is
 * Twilio at a port nobody listens on, so sending a message fails the way an outage does.
 */
describe('observability: request ids, logs and metrics', () => {
  let metrics: Metrics;
  let log: ReturnType<typeof logCapture>;
  let api: TestApi;
  let taskQueue: string;
  let worker: RunningWorker;
  let dispatcher: ReturnType<typeof egressAgent>;

  beforeAll(async () => {
    installTemporalRuntime(createLogger('warn', 'test'));
    metrics = createMetrics();
    log = logCapture();
    taskQueue = `observability-${randomUUID()}`;
    api = await startTestApi({ taskQueue, metrics, logger: createLogger('debug', 'test', log.stream) });
    dispatcher = egressAgent({ blockPrivate: false }, 2_000);
    const outage = `http://127.0.0.1:${await freePort()}`;
    worker = await startWorker({
      address: temporalAddress(),
      namespace: 'default',
      taskQueue,
      activities: {
        store: api.store,
        account: api.account,
        dispatcher,
        channel: new TwilioChannel({ apiBaseUrl: outage, conversationsBaseUrl: outage, accountSid: api.account.accountSid, authToken: api.account.authToken, timeoutMs: 2_000 }),
        publicUrl: api.url,
        outbox: new EventOutbox(api.database, sinkConfigurationTakesFlow),
      },
      workflowBundle: await workflowBundle(),
      metrics,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await dispatcher?.close();
  });

  async function scrape(): Promise<Exposition> {
    const response = await fetch(`${api.url}/metrics`);
    expect(response.status).toBe(200);
    return parsePrometheusText(await response.text());
  }

  async function publish(definition: FlowDefinition): Promise<string> {
    const response = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'observed', Status: 'published', Definition: JSON.stringify(definition) } });
    expect(response.status).toBe(201);
    return ((await response.json()) as { sid: string }).sid;
  }

  const finished = (requestId: string) => log.lines.filter((l) => l.request_id === requestId && l.msg === REQUEST_FINISHED);

  it('serves /metrics without credentials in the Prometheus text format, every sample in a TYPEd family', async () => {
    const response = await fetch(`${api.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    const exposition = parsePrometheusText(await response.text());
    for (const name of ['studio_http_request_duration_seconds', 'studio_webhook_duration_seconds']) expect(exposition.families.get(name)?.type).toBe('histogram');
    for (const name of ['studio_activity_failures_total', 'studio_executions_started_total', 'studio_steps_total']) expect(exposition.families.get(name)?.type).toBe('counter');
    expect(exposition.families.get('studio_process_cpu_seconds_total')?.help).toBeTruthy();
    expect(exposition.samples.length).toBeGreaterThan(0);
    expect(exposition.samples.filter((s) => !exposition.families.has(s.family))).toEqual([]);
  });

  it('rejects malformed expositions (the parser is strict)', () => {
    expect(() => parsePrometheusText('x_total 1\n')).toThrow(/no declared TYPE/);
    expect(() => parsePrometheusText('# TYPE x counter\nx{a="b} 1\n')).toThrow(/malformed label set/);
    expect(() => parsePrometheusText('# TYPE x counter\nx{a="\\q"} 1\n')).toThrow(/malformed label set/);
    expect(() => parsePrometheusText('# HELP x a \\q\n# TYPE x counter\n')).toThrow(/bad escape/);
    expect(() => parsePrometheusText('# TYPE x counter\nx 1\nx 2\n')).toThrow(/series given twice/);
    expect(() => parsePrometheusText('x 1\n# TYPE x counter\n')).toThrow(/no declared TYPE/);
    expect(() => parsePrometheusText('# TYPE x histogram\nx_bucket 1\n')).toThrow(/no declared TYPE/);
    expect(() => parsePrometheusText('# TYPE x gauge\nx one\n')).toThrow(/not a float/);
    expect(() => parsePrometheusText('# TYPE x gauge\nx -NaN\n')).toThrow(/not a float/);
    expect(parsePrometheusText('# TYPE x gauge\nx{a="1"} Nan\nx{a="2"} +inf\nx{a="3"} 1.5e3\n').samples.map((s) => s.value)).toEqual([NaN, Infinity, 1500]);
    expect(parsePrometheusText('# HELP x a \\\\ b\\n\n# TYPE x gauge\nx{a="q\\"\\n",b="+"} -Inf\n').samples).toEqual([{ name: 'x', labels: { a: 'q"\n', b: '+' }, value: -Infinity, family: 'x' }]);
  });

  it('counts API requests by route pattern, never by raw path; unknown paths as unmatched', async () => {
    const flowSid = await publish(flowOf(triggerState({})));
    const before = await scrape();
    const count = (e: Exposition, labels: Record<string, string>) => sampleValue(e, 'studio_http_request_duration_seconds_count', labels);
    for (let i = 0; i < 3; i++) expect((await api.request('/v2/Flows')).status).toBe(200);
    expect((await api.request(`/v2/Flows/${flowSid}`)).status).toBe(200);
    expect((await api.request('/v2/Flows', { headers: { authorization: 'Basic eDp5' } })).status).toBe(401);
    expect((await api.request('/no/such/path')).status).toBe(404);
    const after = await scrape();
    expect(count(after, { method: 'GET', route: '/v2/Flows', status: '200' }) - count(before, { method: 'GET', route: '/v2/Flows', status: '200' })).toBe(3);
    expect(count(after, { route: '/v2/Flows', status: '401' }) - count(before, { route: '/v2/Flows', status: '401' })).toBe(1);
    expect(count(after, { route: '/v2/Flows/:FlowSid', status: '200' }) - count(before, { route: '/v2/Flows/:FlowSid', status: '200' })).toBe(1);
    expect(count(after, { route: 'unmatched', status: '404' }) - count(before, { route: 'unmatched', status: '404' })).toBe(1);
    const routes = after.samples.filter((s) => s.family === 'studio_http_request_duration_seconds').map((s) => s.labels.route ?? '');
    expect(routes.filter((r) => r.includes(flowSid) || r.includes('/no/such'))).toEqual([]);
  });

  it('times signed inbound message webhooks by kind and status, and logs their flow', async () => {
    const flowSid = await publish(flowOf(triggerState({})));
    const url = `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/${flowSid}`;
    const webhooks = (e: Exposition, status: string) => sampleValue(e, 'studio_webhook_duration_seconds_count', { kind: 'message', status });
    const before = await scrape();
    const accepted = await postInboundMessage(url, api.account.authToken, { From: '+14155550199', To: '+15005550006', Body: 'hi' });
    expect(accepted.status).toBe(200);
    const forged = await postInboundMessage(url, api.account.authToken, { From: '+14155550199', To: '+15005550006', Body: 'hi' }, { signature: 'forged' });
    expect(forged.status).toBe(403);
    const after = await scrape();
    expect(webhooks(after, '200') - webhooks(before, '200')).toBe(1);
    expect(webhooks(after, '403') - webhooks(before, '403')).toBe(1);
    expect(finished(accepted.headers.get('x-request-id') ?? '')).toEqual([
      expect.objectContaining({ route: '/v1/Accounts/:AccountSid/Flows/:FlowSid', method: 'POST', status: 200, flow_sid: flowSid }),
    ]);
    // Labels stay bounded: kinds and statuses only, no contact, no SID.
    const labels = after.samples.filter((s) => s.family === 'studio_webhook_duration_seconds').flatMap((s) => Object.values(s.labels));
    expect(labels.filter((v) => v.includes('+1415') || v.includes(flowSid))).toEqual([]);
  });

  it('tells call status callbacks and unclassifiable webhooks apart by kind', async () => {
    const flowSid = await publish(flowOf(triggerState({})));
    const url = `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/${flowSid}`;
    const signedPost = (target: string, params: Record<string, string>) =>
      fetch(target, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(api.account.authToken, target, params) }, body: new URLSearchParams(params) });
    const kinds = (e: Exposition) => ({
      callStatus: sampleValue(e, 'studio_webhook_duration_seconds_count', { kind: 'call-status', status: '200' }),
      other: sampleValue(e, 'studio_webhook_duration_seconds_count', { kind: 'other', status: '400' }),
    });
    const before = kinds(await scrape());
    const call = { CallSid: `CA${'1'.repeat(32)}`, From: '+14155550177', To: '+15005550006', CallStatus: 'completed' };
    expect((await signedPost(url, call)).status).toBe(200);
    expect((await signedPost(`${url}?FlowEvent=status&WorkflowId=${flowSid}%3A${call.CallSid}`, { ...call, CallStatus: 'busy' })).status).toBe(200);
    expect((await signedPost(url, { Foo: 'bar' })).status).toBe(400);
    const after = kinds(await scrape());
    expect({ callStatus: after.callStatus - before.callStatus, other: after.other - before.other }).toEqual({ callStatus: 2, other: 1 });
  });

  it('echoes a sane X-Request-Id and logs the request under it', async () => {
    const id = 'trace-42.a:B';
    const response = await api.request('/v2/Flows', { headers: { 'X-Request-Id': id } });
    expect(response.headers.get('x-request-id')).toBe(id);
    const [line, ...more] = finished(id);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 30, method: 'GET', route: '/v2/Flows', status: 200, request_id: id });
    expect(typeof line?.duration_ms).toBe('number');
  });

  it("says where a request's time went: Server-Timing and the summary line, with its part waiting on Temporal", async () => {
    const listed = await api.request('/v2/Flows', { headers: { 'X-Request-Id': 'timing-list' } });
    // Nothing asked of Temporal: the whole request only.
    expect(listed.headers.get('server-timing')).toMatch(/^app;dur=\d+(\.\d)?$/);
    expect(finished('timing-list')[0]).not.toHaveProperty('temporal_ms');

    const flow = await publish(flowOf(triggerState({ incomingRequest: 'set' }), setVariablesState('set', [{ key: 'a', value: '1' }])));
    const started = await api.request(`/v2/Flows/${flow}/Executions`, { method: 'POST', headers: { 'X-Request-Id': 'timing-start' }, form: { To: '+15005550100', From: '+15005550006' } });
    expect(started.status).toBe(201);
    const timing = serverTimings(started.headers.get('server-timing'));
    expect(timing.temporal).toBeGreaterThan(0);
    expect(timing.app).toBeGreaterThanOrEqual(timing.temporal!);
    const [line] = finished('timing-start');
    expect(line).toMatchObject({ route: '/v2/Flows/:FlowSid/Executions', status: 201 });
    expect(line!.temporal_calls).toBeGreaterThanOrEqual(1);
    expect(line!.temporal_ms).toBeGreaterThan(0);
    expect(line!.temporal_ms).toBeLessThanOrEqual(line!.duration_ms as number);
  });

  it.each([
    ['absent', undefined],
    ['with spaces', 'not a sane id'],
    ['too long', 'a'.repeat(129)],
    ['with a quote', 'abc"def'],
  ])('generates a request id when the given one is %s', async (_, given) => {
    const response = await api.request('/v2/Flows', given === undefined ? {} : { headers: { 'X-Request-Id': given } });
    const id = response.headers.get('x-request-id') ?? '';
    expect(id).toMatch(GENERATED_ID);
    expect(finished(id)).toHaveLength(1);
  });

  it('logs health checks and scrapes at debug, not info', async () => {
    const health = await fetch(`${api.url}/health`);
    const scraped = await fetch(`${api.url}/metrics`);
    await scraped.text();
    expect(finished(health.headers.get('x-request-id') ?? '')).toEqual([expect.objectContaining({ level: 20, route: '/health' })]);
    expect(finished(scraped.headers.get('x-request-id') ?? '')).toEqual([expect.objectContaining({ level: 20, route: '/metrics' })]);
  });

  it('counts executions started and ended by reason, and steps by widget type and event', async () => {
    const flowSid = await publish(flowOf(triggerState({ incomingRequest: 'first' }), setVariablesState('first', [{ key: 'a', value: '1' }], 'second'), setVariablesState('second', [{ key: 'b', value: '2' }])));
    const figures = (e: Exposition) => ({
      started: sampleValue(e, 'studio_executions_started_total', { trigger: 'incomingRequest' }),
      ended: sampleValue(e, 'studio_executions_ended_total', { reason: 'FLOW_END' }),
      triggerSteps: sampleValue(e, 'studio_steps_total', { widget_type: 'trigger', event: 'incomingRequest' }),
      setVariablesSteps: sampleValue(e, 'studio_steps_total', { widget_type: 'set-variables', event: 'next' }),
    });
    // Executions of earlier tests share these counters: start once none of them runs any more
    // (an execution's counts are recorded before its workflow closes), so none moves them meanwhile.
    await eventually('earlier executions to close', async () => ((await api.client.workflow.count(`TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`)).count === 0 ? true : undefined));
    const before = figures(await scrape());
    for (const to of ['+14155550161', '+14155550162']) {
      const created = await api.request(`/v2/Flows/${flowSid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006' } });
      expect(created.status).toBe(201);
    }
    const moved = await eventually('both executions counted as ended', async () => {
      const now = figures(await scrape());
      return now.ended - before.ended >= 2 ? now : undefined;
    });
    expect({
      started: moved.started - before.started,
      ended: moved.ended - before.ended,
      triggerSteps: moved.triggerSteps - before.triggerSteps,
      setVariablesSteps: moved.setVariablesSteps - before.setVariablesSteps,
    }).toEqual({ started: 2, ended: 2, triggerSteps: 2, setVariablesSteps: 4 });
  });

  it('logs execution starts and ends with their SIDs, and counts failed activity attempts on the worker', async () => {
    const flowSid = await publish(
      flowOf(triggerState({ incomingRequest: 'notify' }), {
        name: 'notify',
        type: 'send-message',
        properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: 'hello' },
        transitions: [{ event: 'sent' }, { event: 'failed' }],
      }),
    );
    const failures = (e: Exposition) => sampleValue(e, 'studio_activity_failures_total', { activity: 'sendMessage' });
    const before = failures(await scrape());
    const created = await api.request(`/v2/Flows/${flowSid}/Executions`, { method: 'POST', form: { To: '+14155550142', From: '+15005550006' } });
    expect(created.status).toBe(201);
    const executionSid = ((await created.json()) as { sid: string }).sid;
    expect(finished(created.headers.get('x-request-id') ?? '')).toEqual([
      expect.objectContaining({ route: '/v2/Flows/:FlowSid/Executions', status: 201, flow_sid: flowSid, execution_sid: executionSid }),
    ]);

    await eventually('a failed sendMessage attempt', async () => (failures(await scrape()) > before ? true : undefined));
    const ended = await api.request(`/v2/Flows/${flowSid}/Executions/${executionSid}`, { method: 'POST', form: { Status: 'ended' } });
    expect(ended.status).toBe(200);
    expect(finished(ended.headers.get('x-request-id') ?? '')).toEqual([
      expect.objectContaining({ route: '/v2/Flows/:FlowSid/Executions/:ExecutionSid', status: 200, flow_sid: flowSid, execution_sid: executionSid }),
    ]);
  });
});

describe('observability: failures and the worker role', () => {
  it('logs a 500 through the request logger, with its request id', async () => {
    const log = logCapture();
    const db = await freshDatabase('sqlite');
    const api = await startTestApi({ database: db.database, logger: createLogger('info', 'test', log.stream) });
    try {
      await db.database.close(); // the store goes away: every flow request now fails inside
      const response = await api.request('/v2/Flows', { headers: { 'X-Request-Id': 'broken-store-1' } });
      expect(response.status).toBe(500);
      expect(response.headers.get('x-request-id')).toBe('broken-store-1');
      expect(log.lines.filter((l) => l.request_id === 'broken-store-1').map((l) => [l.level, l.msg])).toEqual([
        [50, 'request failed'],
        [30, REQUEST_FINISHED],
      ]);
    } finally {
      await api.close();
      await db.drop();
    }
  });

  it('reads METRICS_PORT as an optional port', () => {
    expect(loadConfig({}).METRICS_PORT).toBeUndefined();
    expect(loadConfig({ METRICS_PORT: '9464' }).METRICS_PORT).toBe(9464);
    expect(() => loadConfig({ METRICS_PORT: 'metrics' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT: expected a port between 1 and 65535/);
  });

  it('serves only GET /metrics on the worker role metrics server', async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.activityFailures.inc({ activity: 'sendMessage' });
    const server = await startMetricsServer(metrics.registry, '127.0.0.1', 0, createLogger('silent'));
    try {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(metrics.registry.contentType);
      expect(sampleValue(parsePrometheusText(await response.text()), 'studio_activity_failures_total', { activity: 'sendMessage' })).toBe(1);
      expect((await fetch(`${server.url}/other`)).status).toBe(404);
      expect((await fetch(`${server.url}/metrics`, { method: 'POST' })).status).toBe(405);
    } finally {
      await server.close();
    }
  });
});
