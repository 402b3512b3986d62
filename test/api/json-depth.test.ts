import type { FlowDefinition } from '../../src/flow/definition';
import { DEFAULT_LIMITS } from '../../src/engine/limits';
import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';

/**
 * JSON nested deeper than LIMIT_MAX_JSON_DEPTH never enters an execution or the store (issue 16,
 * findings 1 and 5). Found by an outside probe: a Make HTTP Request answered with `[[[…]]]`
 * 30,000 deep made the workflow task fail forever ("Unable to convert [object Object] to
 * payload"); 6,000–12,000 deep ended the execution but its Context answered 500; a definition
 * nested 10,000 deep was saved (then its flow's routes answered 500); `Parameters` nested 5,000
 * deep answered 500.
 */
describe('JSON depth at every entry', () => {
  let t: TemporalTestContext;
  let api: TestApi;
  let server: TestServer;

  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
  // As text: JSON.stringify itself overflows on objects nested a few thousand deep.
  const nestedObject = (depth: number) => '{"a":'.repeat(depth) + '{}' + '}'.repeat(depth);
  const withDeep = (value: unknown, depth: number) => JSON.stringify(value).replace('"__DEEP__"', nestedObject(depth));

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const depth = Number(new URL(req.url, 'http://x').searchParams.get('depth'));
      res.writeHead(200, { 'content-type': 'application/json' }).end(nested(depth));
    });
    t = await startTemporalTestContext();
    api = await startTestApi({ taskQueue: t.taskQueue, store: t.store });
  });
  afterAll(async () => {
    await api?.close();
    await t?.close();
    await server?.close();
  });

  async function publish(definition: unknown): Promise<Response> {
    return api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'depth', Status: 'published', Definition: typeof definition === 'string' ? definition : JSON.stringify(definition) } });
  }
  async function flowCount(): Promise<number> {
    const res = await api.request('/v2/Flows?PageSize=1000');
    return ((await res.json()) as { flows: unknown[] }).flows.length;
  }

  const deepResponse: FlowDefinition = flowOf(
    triggerState({ incomingRequest: 'lookup' }),
    {
      name: 'lookup',
      type: 'make-http-request',
      properties: { method: 'GET', url: `http://127.0.0.1:{{flow.data.port}}/deep?depth={{flow.data.depth}}`, content_type: 'application/json' },
      transitions: [{ event: 'success' }, { event: 'failed', next: 'after' }],
    },
    setVariablesState('after', [{ key: 'status', value: '{{widgets.lookup.status_code}}' }]),
  );

  it.each([30_000, 8_000, DEFAULT_LIMITS.maxJsonDepth + 1])('an HTTP response nested %i deep takes the failed path; context and steps are served', async (depth) => {
    const flow = (await (await publish(deepResponse)).json()) as { sid: string };
    const to = `+1415555${String(depth).padStart(4, '0').slice(-4)}`;
    const created = await api.request(`/v2/Flows/${flow.sid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006', Parameters: JSON.stringify({ port: server.port, depth }) } });
    expect(created.status).toBe(201);
    const execution = (await created.json()) as { sid: string };
    const handle = t.client.workflow.getHandle(`${flow.sid}:${to}`);
    const result = (await handle.result()) as { failure?: unknown; state: { steps: Array<{ name: string; transitioned_to: string; error?: { code: string } }> } };
    expect(result.failure).toBeUndefined();
    expect(result.state.steps.map((s) => [s.name, s.transitioned_to, s.error?.code])).toEqual([
      ['incomingRequest', 'lookup', undefined],
      ['failed', 'after', 'http:json-too-deep'],
      ['next', 'Ended', undefined],
    ]);
    const history = await handle.fetchHistory();
    expect((history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);

    const context = await api.request(`/v2/Flows/${flow.sid}/Executions/${execution.sid}/Context`);
    expect(context.status).toBe(200);
    const body = (await context.json()) as { context: { widgets: { lookup: Record<string, unknown> }; flow: { variables: Record<string, unknown> } } };
    expect(body.context.widgets.lookup).toMatchObject({ status_code: 200, content_type: 'application/json' });
    expect(body.context.widgets.lookup.parsed).toBeUndefined();
    expect(body.context.flow.variables.status).toBe(200);
    const steps = await api.request(`/v2/Flows/${flow.sid}/Executions/${execution.sid}/Steps`);
    expect(steps.status).toBe(200);
    expect(((await steps.json()) as { steps: unknown[] }).steps).toHaveLength(3);
  });

  it('a response nested exactly LIMIT_MAX_JSON_DEPTH deep is parsed', async () => {
    const flow = (await (await publish(deepResponse)).json()) as { sid: string };
    const to = '+14155550064';
    const created = await api.request(`/v2/Flows/${flow.sid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006', Parameters: JSON.stringify({ port: server.port, depth: DEFAULT_LIMITS.maxJsonDepth }) } });
    expect(created.status).toBe(201);
    const result = (await t.client.workflow.getHandle(`${flow.sid}:${to}`).result()) as { state: { steps: Array<{ name: string }> } };
    expect(result.state.steps.map((s) => s.name)).toEqual(['incomingRequest', 'success']);
  });

  it('a "parse as JSON" value nested too deep ends the execution with a named reason', async () => {
    const flow = flowOf(triggerState({ incomingRequest: 'parse' }), {
      name: 'parse',
      type: 'set-variables',
      properties: { variables: [{ key: 'v', value: '{{flow.data.text}}', type: 'json' }] },
      transitions: [{ event: 'next' }],
    });
    const { sid } = (await (await publish(flow)).json()) as { sid: string };
    const created = await api.request(`/v2/Flows/${sid}/Executions`, { method: 'POST', form: { To: '+14155550065', From: '+15005550006', Parameters: JSON.stringify({ text: nested(5_000) }) } });
    expect(created.status).toBe(201);
    const handle = t.client.workflow.getHandle(`${sid}:+14155550065`);
    const result = (await handle.result()) as { failure?: { code: string; twilioCode?: number; widget?: string } };
    expect(result.failure).toMatchObject({ code: 'limit:json-depth', twilioCode: 84003, widget: 'parse' });
    expect(((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  });

  it('refuses Parameters nested too deep, as form text and as a JSON body object (400 84004), and starts nothing', async () => {
    const { sid } = (await (await publish(deepResponse)).json()) as { sid: string };
    const asText = await api.request(`/v2/Flows/${sid}/Executions`, { method: 'POST', form: { To: '+14155550066', From: '+15005550006', Parameters: JSON.stringify({ a: JSON.parse(nested(100)) as unknown }).replace('[]', nested(5_000)) } });
    expect(asText.status).toBe(400);
    expect(await asText.json()).toMatchObject({ code: 84004, status: 400, message: expect.stringContaining('levels deep') });
    const asObject = await api.request(`/v2/Flows/${sid}/Executions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: withDeep({ To: '+14155550066', From: '+15005550006', Parameters: '__DEEP__' }, 5_000),
    });
    expect(asObject.status).toBe(400);
    expect(await asObject.json()).toMatchObject({ code: 84004, status: 400 });
    await expect(t.client.workflow.getHandle(`${sid}:+14155550066`).describe()).rejects.toThrow(/not found/i);
  });

  it('refuses a definition nested 10,000 deep (form text, JSON body, Validate, update) with 400 and stores nothing', async () => {
    const deep = flowOf(triggerState({}));
    // Nested inside a widget's properties, which Studio leaves open to any value.
    const withNote = (note: unknown) => ({ ...deep, states: [{ ...deep.states[0]!, properties: { ...deep.states[0]!.properties, note } }] });
    const text = JSON.stringify(withNote('__DEEP__')).replace('"__DEEP__"', nested(10_000));
    const before = await flowCount();
    const created = await publish(text);
    expect(created.status).toBe(400);
    expect(await created.json()).toMatchObject({ code: 81022, status: 400, details: { errors: [{ property_path: '#', message: expect.stringContaining('levels deep') }] } });
    const draft = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'deep', Status: 'draft', Definition: text } });
    expect(draft.status).toBe(400);
    const asObject = await api.request('/v2/Flows', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: withDeep({ FriendlyName: 'deep', Status: 'draft', Definition: withNote('__DEEP__') }, 10_000),
    });
    expect(asObject.status).toBe(400);
    expect(await asObject.json()).toMatchObject({ status: 400, message: expect.stringContaining('levels deep') });
    const validate = await api.request('/v2/Flows/Validate', { method: 'POST', form: { FriendlyName: 'deep', Status: 'draft', Definition: text } });
    expect(validate.status).toBe(400);
    expect(await flowCount()).toBe(before);

    const good = (await (await publish(deep)).json()) as { sid: string; revision: number };
    const update = await api.request(`/v2/Flows/${good.sid}`, { method: 'POST', form: { Status: 'draft', Definition: text } });
    expect(update.status).toBe(400);
    const fetched = await api.request(`/v2/Flows/${good.sid}`);
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as { revision: number }).revision).toBe(good.revision);
    for (const path of ['/Revisions', '/Revisions/1']) expect((await api.request(`/v2/Flows/${good.sid}${path}`)).status).toBe(200);
  });
});
