import { DEFAULT_ALL_LIMITS } from '../../src/config/limits';
import type { FlowDefinition } from '../../src/flow/definition';
import { startTestApi, type TestApi } from '../helpers/api';
import { DIALECTS, freshDatabase } from '../helpers/databases';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually } from '../helpers/messaging';
import { startTemporalTestContext, TEST_ACCOUNT, type TemporalTestContext } from '../helpers/temporal';

/** A REST-triggered flow that branches on `flow.data.choice`: `a` sets a variable, `b` calls a failing service, anything else matches nothing. */
function branching(serviceUrl: string): FlowDefinition {
  return flowOf(
    triggerState({ incomingRequest: 'route' }),
    {
      name: 'route',
      type: 'split-based-on',
      properties: { input: '{{flow.data.choice}}' },
      transitions: [
        { event: 'noMatch' },
        { event: 'match', next: 'chose_a', conditions: [{ friendly_name: 'a', arguments: ['{{flow.data.choice}}'], type: 'equal_to', value: 'a' }] },
        { event: 'match', next: 'call_service', conditions: [{ friendly_name: 'b', arguments: ['{{flow.data.choice}}'], type: 'equal_to', value: 'b' }] },
      ],
    },
    setVariablesState('chose_a', [{ key: 'chosen', value: 'a' }]),
    { name: 'call_service', type: 'make-http-request', properties: { method: 'GET', url: serviceUrl, content_type: 'application/json' }, transitions: [{ event: 'success' }, { event: 'failed' }] },
  );
}

/** The insights API against executions run by a real worker: the counts equal what the test started. */
describe.each(DIALECTS)('GET /v2/Flows/{FlowSid}/Insights… (%s)', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let t: TemporalTestContext;
  let api: TestApi;
  let service: TestServer;
  let flowSid: string;
  const choices = [...Array<string>(12).fill('a'), ...Array<string>(10).fill('b'), ...Array<string>(8).fill('x')];

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    service = await startTestServer((_req, res) => void res.writeHead(500).end('down'));
    t = await startTemporalTestContext({ database: db.database });
    api = await startTestApi({ taskQueue: t.taskQueue, database: db.database, store: t.store, account: { ...TEST_ACCOUNT, source: 'environment' },
      // Its 30 starts go out in one burst: Studio's 20 a second would refuse some on a fast machine.
      limits: { execution: { ...DEFAULT_ALL_LIMITS.execution, maxNewRestExecutionsPerSecond: choices.length } } });
    const created = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'branching', Status: 'published', Definition: JSON.stringify(branching(`${service.url}/lookup`)) } });
    flowSid = ((await created.json()) as { sid: string }).sid;
    for (const [i, choice] of choices.entries()) {
      const started = await api.request(`/v2/Flows/${flowSid}/Executions`, { method: 'POST', form: { To: `+1555000${String(i).padStart(4, '0')}`, From: '+15005550006', Parameters: JSON.stringify({ choice }) } });
      expect(started.status).toBe(201);
    }
    await eventually('every execution ended', async () => {
      const body = (await (await api.request(`/v2/Flows/${flowSid}/Insights`)).json()) as { executions: { ended: number } };
      return body.executions.ended === choices.length ? true : undefined;
    }, 60_000);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    await t?.close();
    await service?.close();
    await db?.drop();
  });

  const count = (c: string) => choices.filter((x) => x === c).length;

  it('counts the executions', async () => {
    const body = (await (await api.request(`/v2/Flows/${flowSid}/Insights?Revision=1`)).json()) as Record<string, unknown>;
    expect(body).toEqual({
      flow_sid: flowSid,
      revision: 1,
      start_date: null,
      end_date: null,
      executions: { started: 30, active: 0, ended: 30, ended_by: { FLOW_END: 30 }, by_trigger: { incomingRequest: 30 } },
      url: `${api.url}/v2/Flows/${flowSid}/Insights`,
      links: Object.fromEntries(['widgets', 'transitions', 'waits', 'funnel', 'daily'].map((k) => [k, `${api.url}/v2/Flows/${flowSid}/Insights/${k[0]!.toUpperCase()}${k.slice(1)}`])),
    });
  });

  it('counts each widget and transition as the choices went', async () => {
    const widgets = ((await (await api.request(`/v2/Flows/${flowSid}/Insights/Widgets`)).json()) as { widgets: unknown[] }).widgets;
    expect(widgets).toEqual([
      { widget: 'Trigger', reached: 30, waiting: 0, ended: 0 },
      { widget: 'call_service', reached: count('b'), waiting: 0, ended: count('b') },
      { widget: 'chose_a', reached: count('a'), waiting: 0, ended: count('a') },
      { widget: 'route', reached: 30, waiting: 0, ended: count('x') },
    ]);
    const transitions = ((await (await api.request(`/v2/Flows/${flowSid}/Insights/Transitions`)).json()) as { transitions: unknown[] }).transitions;
    expect(transitions).toEqual([
      { widget: 'Trigger', event: 'incomingRequest', next: 'route', taken: 30 },
      { widget: 'call_service', event: 'failed', next: 'Ended', taken: count('b') },
      { widget: 'chose_a', event: 'next', next: 'Ended', taken: count('a') },
      { widget: 'route', event: 'match', next: 'call_service', taken: count('b') },
      { widget: 'route', event: 'match', next: 'chose_a', taken: count('a') },
      { widget: 'route', event: 'noMatch', next: 'Ended', taken: count('x') },
    ]);
  });

  it('follows a funnel, counts per day, and finds no waits in a flow without any', async () => {
    const get = async (path: string) => (await api.request(`/v2/Flows/${flowSid}/Insights/${path}`)).json();
    expect(await get('Funnel?From=Trigger&To=call_service')).toEqual({ from: 'Trigger', to: 'call_service', entered: 30, reached: count('b'), url: `${api.url}/v2/Flows/${flowSid}/Insights/Funnel` });
    expect(await get('Funnel?From=route&To=chose_a')).toMatchObject({ entered: 30, reached: count('a') });
    expect((await api.request(`/v2/Flows/${flowSid}/Insights/Funnel?From=route`)).status).toBe(400);
    const today = new Date().toISOString().slice(0, 10);
    // Run around midnight, the executions may straddle two days: the totals hold either way.
    const { days } = (await get('Daily')) as { days: Array<{ date: string; started: number; ended: number }> };
    expect(days.map((d) => d.date).every((d) => d <= today)).toBe(true);
    expect([days.reduce((n, d) => n + d.started, 0), days.reduce((n, d) => n + d.ended, 0)]).toEqual([30, 30]);
    expect(await get('Waits')).toEqual({ waits: [], url: `${api.url}/v2/Flows/${flowSid}/Insights/Waits` });
  });

  it('exports rows as CSV, asked by Format or by Accept', async () => {
    const byFormat = await api.request(`/v2/Flows/${flowSid}/Insights/Transitions?Format=csv`);
    expect(byFormat.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((await byFormat.text()).split('\n').slice(0, 3)).toEqual(['widget,event,next,taken', 'Trigger,incomingRequest,route,30', `call_service,failed,Ended,${count('b')}`]);
    const byAccept = await api.request(`/v2/Flows/${flowSid}/Insights/Widgets`, { headers: { accept: 'text/csv' } });
    expect(await byAccept.text()).toBe(`widget,reached,waiting,ended\nTrigger,30,0,0\ncall_service,${count('b')},0,${count('b')}\nchose_a,${count('a')},0,${count('a')}\nroute,30,0,${count('x')}\n`);
  });

  it('lists the executions that ended at a widget, and none waiting there', async () => {
    type Listed = { widget: string; state: string; executions: Array<{ execution_sid: string; revision: number; ended_reason: string | null; ended_at: string | null }>; url: string };
    const list = async (query: string) => (await (await api.request(`/v2/Flows/${flowSid}/Insights/Widgets/chose_a/Executions?${query}`)).json()) as Listed;
    const ended = await list('State=ended');
    expect(ended.executions).toHaveLength(count('a'));
    expect(new Set(ended.executions.map((e) => e.execution_sid)).size).toBe(count('a'));
    expect(ended.executions.every((e) => e.revision === 1 && e.ended_reason !== null && e.ended_at !== null)).toBe(true);
    expect(ended.url).toBe(`${api.url}/v2/Flows/${flowSid}/Insights/Widgets/chose_a/Executions`);
    expect((await list('State=ended&PageSize=5')).executions).toHaveLength(5);
    expect((await list('State=waiting')).executions).toEqual([]);
    const bad = await api.request(`/v2/Flows/${flowSid}/Insights/Widgets/chose_a/Executions?State=sleeping`);
    expect(bad.status).toBe(400);
  });

  it('scopes by revision and dates, and refuses what it cannot read', async () => {
    const none = (await (await api.request(`/v2/Flows/${flowSid}/Insights?Revision=2`)).json()) as { executions: { started: number } };
    expect(none.executions.started).toBe(0);
    const later = (await (await api.request(`/v2/Flows/${flowSid}/Insights?StartDate=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json()) as { executions: { started: number } };
    expect(later.executions.started).toBe(0);
    const bad = await api.request(`/v2/Flows/${flowSid}/Insights?StartDate=yesterday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: number }).code).toBeGreaterThan(0);
    expect((await api.request(`/v2/Flows/FW${'0'.repeat(32)}/Insights/Widgets`)).status).toBe(404);
  });
});
