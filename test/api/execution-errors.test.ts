import { DEFAULT_LIMITS } from '../../src/engine/limits';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { DEFAULT_ALL_LIMITS } from '../../src/config/limits';
import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';

/**
 * Why an execution ended is shown where Studio users look (issue 16, finding 7): on the
 * Execution Context and on the failing step's context, with Studio's error code and message.
 * Before, a blocked address, a timeout, an oversized response or a Liquid work limit ended the
 * execution with `status: ended`, an empty `widgets.<name>` and no reason through the REST API.
 */
describe('the reason an execution or a step failed, through the REST API', () => {
  let t: TemporalTestContext;
  let api: TestApi;
  let server: TestServer;
  const httpTimeoutMs = 500;

  beforeAll(async () => {
    server = await startTestServer(async (req, res) => {
      if (req.url.startsWith('/slow')) await new Promise((resolve) => setTimeout(resolve, httpTimeoutMs * 4));
      if (req.url.startsWith('/large')) return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(DEFAULT_LIMITS.httpMaxResponseBytes + 1));
      if (!res.destroyed) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    t = await startTemporalTestContext();
    api = await startTestApi({ taskQueue: t.taskQueue, store: t.store, limits: { engine: { ...DEFAULT_ALL_LIMITS.engine, httpTimeoutMs, liquidWorkPerTemplate: 100_000 } } });
  });
  afterAll(async () => {
    await api?.close();
    await t?.close();
    await server?.close();
  });

  let contacts = 0;
  /** Publishes the flow, runs it once through the REST API to its end, and reads what the API serves. */
  async function run(definition: FlowDefinition) {
    const flow = (await (await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'errors', Status: 'published', Definition: JSON.stringify(definition) } })).json()) as { sid: string };
    const to = `+1415555${String(++contacts).padStart(4, '0')}`;
    const created = await api.request(`/v2/Flows/${flow.sid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006', Parameters: JSON.stringify({ port: server.port }) } });
    expect(created.status).toBe(201);
    const { sid } = (await created.json()) as { sid: string };
    await t.client.workflow.getHandle(`${flow.sid}:${to}`).result();
    const base = `/v2/Flows/${flow.sid}/Executions/${sid}`;
    const context = (await (await api.request(`${base}/Context`)).json()) as { context: Record<string, unknown> };
    const steps = (await (await api.request(`${base}/Steps`)).json()) as { steps: Array<{ sid: string; name: string }> };
    const stepContexts = await Promise.all(steps.steps.map(async (s) => ((await (await api.request(`${base}/Steps/${s.sid}/Context`)).json()) as { context: Record<string, unknown> }).context));
    return { context: context.context, steps: steps.steps, stepContexts };
  }

  const http = (url: string, failed?: string): FlowState => ({
    name: 'call_api',
    type: 'make-http-request',
    properties: { method: 'GET', url, content_type: 'application/json' },
    transitions: [{ event: 'success' }, failed ? { event: 'failed', next: failed } : { event: 'failed' }],
  });

  it.each([
    ['a blocked address', 'http://169.254.169.254/latest/meta-data', 'http:blocked'],
    ['a timeout', 'http://127.0.0.1:{{flow.data.port}}/slow', 'http:timeout'],
    ['an oversized response', 'http://127.0.0.1:{{flow.data.port}}/large', 'http:too-large'],
  ])('%s that ends the execution: Context and the step context say why (81014)', async (_case, url, reason) => {
    const { context, steps, stepContexts } = await run(flowOf(triggerState({ incomingRequest: 'call_api' }), http(url)));
    expect(steps.map((s) => s.name)).toEqual(['incomingRequest', 'failed']);
    const error = { code: 81014, message: expect.any(String), widget: 'call_api', reason };
    expect(context.error).toEqual(error);
    expect(stepContexts[1]!.error).toEqual(error);
    expect(stepContexts[0]!.error).toBeUndefined();
    // The context Liquid sees is unchanged: the widget published nothing, as in Studio.
    expect((context.widgets as Record<string, unknown>).call_api).toEqual({});
  });

  it('a failure the flow handles is on its step only; the execution that went on has no error', async () => {
    const { context, steps, stepContexts } = await run(
      flowOf(triggerState({ incomingRequest: 'call_api' }), http('http://169.254.169.254/', 'after'), setVariablesState('after', [{ key: 'handled', value: 'yes' }])),
    );
    expect(steps.map((s) => s.name)).toEqual(['incomingRequest', 'failed', 'next']);
    expect(context.error).toBeUndefined();
    expect(stepContexts.map((c) => (c.error as { reason?: string } | undefined)?.reason)).toEqual([undefined, 'http:blocked', undefined]);
  });

  it('a Liquid work limit that ends the execution: Context says why (84003)', async () => {
    // 15⁴ iterations that write nothing: over this app's LIMIT_LIQUID_WORK_PER_TEMPLATE of 100,000 units.
    const bomb = '{% for a in (1..15) %}{% for b in (1..15) %}{% for c in (1..15) %}{% for d in (1..15) %}{% assign x = "y" %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}';
    const { context, steps } = await run(flowOf(triggerState({ incomingRequest: 'liquid' }), setVariablesState('liquid', [{ key: 'v', value: bomb }])));
    expect(steps.map((s) => s.name)).toEqual(['incomingRequest']);
    expect(context.error).toEqual({ code: 84003, message: expect.stringContaining('units of Liquid work'), widget: 'liquid', reason: 'template:limit' });
  });

  it('an execution that ended well has no error anywhere', async () => {
    const { context, stepContexts } = await run(flowOf(triggerState({ incomingRequest: 'call_api' }), http('http://127.0.0.1:{{flow.data.port}}/ok')));
    expect(context.error).toBeUndefined();
    expect(stepContexts.every((c) => c.error === undefined)).toBe(true);
    expect((context.widgets as Record<string, { parsed?: unknown }>).call_api!.parsed).toEqual({ ok: true });
  });
});
