import { DEFAULT_ALL_LIMITS } from '../../src/config/limits';
import { resolvePinnedLimits } from '../../src/engine/limits';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';

/**
 * What an execution keeps stays within LIMIT_MAX_EXECUTION_STATE_BYTES (issue 16, finding 1's
 * "bounded in size"). Found while fixing it: a polling loop of forty Make HTTP Requests, each
 * answered with ~55 KB of JSON (under the 64 KB limit), made the state — the workflow's result,
 * continue-as-new's input, the Context query's answer — larger than Temporal's 2 MiB payload
 * limit: "[TMPRL1103] Attempted to upload payloads with size that exceeded the error limit",
 * the workflow task failed forever and the Context answered 503.
 */
describe('execution state size', () => {
  let t: TemporalTestContext;
  let api: TestApi;
  let small: TestApi;
  let server: TestServer;
  const smallLimit = 700_000;

  beforeAll(async () => {
    server = await startTestServer((req, res) => {
      const items = Array.from({ length: 600 }, (_, i) => ({ id: i, name: `${req.url} `.padEnd(80, 'x') }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ items }));
    });
    t = await startTemporalTestContext();
    api = await startTestApi({ taskQueue: t.taskQueue, store: t.store });
    small = await startTestApi({ taskQueue: t.taskQueue, store: t.store, database: api.database, account: api.account, limits: { engine: { ...DEFAULT_ALL_LIMITS.engine, maxExecutionStateBytes: smallLimit } } });
  });
  afterAll(async () => {
    await small?.close();
    await api?.close();
    await t?.close();
    await server?.close();
  });

  const http = (name: string, next: string | undefined): FlowState => ({
    name,
    type: 'make-http-request',
    properties: { method: 'GET', url: `http://127.0.0.1:{{flow.data.port}}/${name}`, content_type: 'application/json' },
    transitions: [next ? { event: 'success', next } : { event: 'success' }, { event: 'failed' }],
  });

  async function run(app: TestApi, definition: FlowDefinition, to: string) {
    const flow = (await (await app.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'size', Status: 'published', Definition: JSON.stringify(definition) } })).json()) as { sid: string };
    const created = await app.request(`/v2/Flows/${flow.sid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006', Parameters: JSON.stringify({ port: server.port }) } });
    expect(created.status).toBe(201);
    const { sid } = (await created.json()) as { sid: string };
    const handle = t.client.workflow.getHandle(`${flow.sid}:${to}`);
    const result = (await handle.result()) as { failure?: { code: string; widget?: string } };
    const failedTasks = ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowTaskFailedEventAttributes);
    return { base: `/v2/Flows/${flow.sid}/Executions/${sid}`, result, failedTasks };
  }

  it('a polling loop of 20 large JSON responses finishes; the oldest steps keep only their transitions', async () => {
    const loop = flowOf(
      triggerState({ incomingRequest: 'poll' }),
      http('poll', 'count'),
      { name: 'count', type: 'set-variables', properties: { variables: [{ key: 'n', value: '{{flow.variables.n | plus: 1}}' }] }, transitions: [{ event: 'next', next: 'check' }] },
      {
        name: 'check',
        type: 'split-based-on',
        properties: { input: '{{flow.variables.n}}' },
        transitions: [{ event: 'noMatch' }, { event: 'match', next: 'poll', conditions: [{ friendly_name: 'more', arguments: ['{{flow.variables.n}}'], type: 'less_than', value: '20' }] }],
      },
    );
    const { base, result, failedTasks } = await run(api, loop, '+14155550101');
    expect(failedTasks).toEqual([]);
    expect(result.failure).toBeUndefined();

    const context = await api.request(`${base}/Context`);
    expect(context.status).toBe(200);
    const body = (await context.json()) as { context: { flow: { variables: { n: number } }; widgets: { poll: { parsed: { items: unknown[] } } } } };
    expect(body.context.flow.variables.n).toBe(20);
    expect(body.context.widgets.poll.parsed.items).toHaveLength(600);

    // Every step is listed, in order, as before; the events and the canvas path read these.
    const steps = ((await (await api.request(`${base}/Steps?PageSize=1000`)).json()) as { steps: Array<{ sid: string; name: string }> }).steps;
    expect(steps).toHaveLength(1 + 20 * 3);
    expect(steps.map((s) => s.name).slice(0, 4)).toEqual(['incomingRequest', 'success', 'next', 'match']);
    const first = await api.request(`${base}/Steps/${steps[1]!.sid}/Context`);
    expect(first.status).toBe(404);
    expect(await first.json()).toMatchObject({ code: 20404, message: expect.stringContaining('LIMIT_MAX_EXECUTION_STATE_BYTES') });
    const last = await api.request(`${base}/Steps/${steps[steps.length - 1]!.sid}/Context`);
    expect(last.status).toBe(200);
    expect(((await last.json()) as { context: { flow: { variables: { n: number } } } }).context.flow.variables.n).toBe(20);
    // The step before the last still has its own context: what it saw then, not now.
    const earlier = await api.request(`${base}/Steps/${steps[steps.length - 3]!.sid}/Context`);
    expect(((await earlier.json()) as { context: { flow: { variables: { n: number } } } }).context.flow.variables.n).toBe(19);
  });

  it('a widget whose outputs would make the context alone too large ends the execution, named, and the rest is served', async () => {
    // Each response is ~55 KB of text plus its parsed copy, and each step keeps what it changed:
    // a third response would need over 700,000 bytes even with the earlier steps folded (their base is a copy of the context).
    const chain = flowOf(triggerState({ incomingRequest: 'a' }), http('a', 'b'), http('b', 'c'), http('c', 'd'), http('d', undefined));
    const { base, result, failedTasks } = await run(small, chain, '+14155550102');
    expect(failedTasks).toEqual([]);
    expect(result.failure).toMatchObject({ code: 'limit:state-size', widget: 'c' });
    const context = (await (await small.request(`${base}/Context`)).json()) as { context: { widgets: Record<string, unknown>; error: unknown } };
    expect(Object.keys(context.context.widgets).sort()).toEqual(['a', 'b']);
    expect(context.context.error).toMatchObject({ reason: 'limit:state-size', widget: 'c', message: expect.stringContaining(`${smallLimit} bytes`) });
  });

  it('an execution that pinned its limits before this one existed keeps running without it (replay)', () => {
    const { maxExecutionStateBytes: _state, maxJsonDepth: _depth, ...before } = DEFAULT_ALL_LIMITS.engine;
    expect(resolvePinnedLimits(before)).toMatchObject({ maxExecutionStateBytes: Number.MAX_SAFE_INTEGER, maxJsonDepth: Number.MAX_SAFE_INTEGER });
    expect(resolvePinnedLimits(DEFAULT_ALL_LIMITS.engine)).toMatchObject({ maxExecutionStateBytes: 1024 * 1024, maxJsonDepth: 64 });
    expect(resolvePinnedLimits(undefined)).toMatchObject({ maxExecutionStateBytes: 1024 * 1024 });
  });
});
