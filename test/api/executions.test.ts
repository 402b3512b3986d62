import { DEFAULT_LIMITS } from '../../src/engine/limits';
import type { FlowDefinition } from '../../src/flow/definition';
import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { eventually } from '../helpers/messaging';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';
import { localTwilioClient } from '../helpers/twilio-client';

/** The Executions API through the official `twilio` client, against a real worker and server. */
describe('Executions API', () => {
  let t: TemporalTestContext;
  let api: TestApi;
  let server: TestServer;
  let client: ReturnType<typeof localTwilioClient>;
  let release: () => void = () => undefined;

  beforeAll(async () => {
    server = await startTestServer(async (req, res) => {
      if (req.url.startsWith('/wait')) await new Promise<void>((resolve) => (release = resolve));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"tier":"gold"}');
    });
    t = await startTemporalTestContext();
    api = await startTestApi({ taskQueue: t.taskQueue, store: t.store });
    client = localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
  });
  afterAll(async () => {
    release();
    await api?.close();
    await t?.close();
    await server?.close();
  });

  async function publish(definition: FlowDefinition) {
    return client.studio.v2.flows.create({ friendlyName: 'exec', status: 'published', definition });
  }

  const greeter = flowOf(
    triggerState({ incomingRequest: 'lookup' }),
    {
      name: 'lookup',
      type: 'make-http-request',
      properties: { method: 'GET', url: `http://127.0.0.1:{{flow.data.port}}/tier`, content_type: 'application/json' },
      transitions: [{ event: 'success', next: 'greet' }, { event: 'failed' }],
    },
    setVariablesState('greet', [{ key: 'greeting', value: 'Hello {{flow.data.name}}, {{widgets.lookup.parsed.tier}} member' }]),
  );

  it('creates an execution with Parameters as flow.data, and serves it, its context, steps and step contexts', async () => {
    const flow = await publish(greeter);
    const created = await client.studio.v2.flows(flow.sid).executions.create({
      to: '+14155551234',
      from: '+15005550006',
      parameters: { name: 'Zeke', port: server.port },
    });
    expect(created.sid).toMatch(/^FN[0-9a-f]{32}$/);
    expect(created).toMatchObject({ flowSid: flow.sid, contactChannelAddress: '+14155551234', status: 'active', flowVersion: 1, accountSid: api.account.accountSid });

    const handle = t.client.workflow.getHandle(`${flow.sid}:+14155551234`);
    // An execution lives at most EXECUTION_RETENTION_DAYS (1 day in this test app), as in Studio.
    expect(Number((await handle.describe()).raw.executionConfig?.workflowExecutionTimeout?.seconds)).toBe(86_400);
    await handle.result();
    const fetched = await client.studio.v2.flows(flow.sid).executions(created.sid).fetch();
    expect(fetched.status).toBe('ended');

    const context = await client.studio.v2.flows(flow.sid).executions(created.sid).executionContext().fetch();
    expect(context.context).toMatchObject({
      flow: { flow_sid: flow.sid, sid: created.sid, channel: { address: '+15005550006' }, data: { name: 'Zeke' }, variables: { greeting: 'Hello Zeke, gold member' } },
      trigger: { request: { from: '+15005550006', to: '+14155551234', parameters: { name: 'Zeke' } } },
      contact: { channel: { address: '+14155551234' } },
      widgets: { lookup: { status_code: 200, parsed: { tier: 'gold' } } },
    });

    const steps = await client.studio.v2.flows(flow.sid).executions(created.sid).steps.list();
    expect(steps.map((s) => [s.name, s.transitionedFrom, s.transitionedTo])).toEqual([
      ['incomingRequest', 'Trigger', 'lookup'],
      ['success', 'lookup', 'greet'],
      ['next', 'greet', 'Ended'],
    ]);
    expect(steps.every((s) => s.executionSid === created.sid && /^FT[0-9a-f]{32}$/.test(s.sid))).toBe(true);
    const step = await client.studio.v2.flows(flow.sid).executions(created.sid).steps(steps[1]!.sid).fetch();
    expect(step).toMatchObject({ name: 'success', type: 'make-http-request', parentStepSid: null });
    const stepContext = await client.studio.v2.flows(flow.sid).executions(created.sid).steps(steps[1]!.sid).stepContext().fetch();
    expect(stepContext.context).toMatchObject({ widgets: { lookup: { parsed: { tier: 'gold' } } } });
    expect((stepContext.context as { flow: { variables: object } }).flow.variables).toEqual({});
  });

  it('answers 409 to a second create for a contact with an active execution, and ends it on request', async () => {
    const flow = await publish(
      flowOf(
        triggerState({ incomingRequest: 'wait' }),
        { name: 'wait', type: 'make-http-request', properties: { method: 'GET', url: `${server.url}/wait`, content_type: 'application/json' }, transitions: [{ event: 'success' }, { event: 'failed' }] },
      ),
    );
    const first = await client.studio.v2.flows(flow.sid).executions.create({ to: '+14155550001', from: '+15005550006' });
    await expect(client.studio.v2.flows(flow.sid).executions.create({ to: '+14155550001', from: '+15005550006' })).rejects.toMatchObject({ status: 409, code: 20409 });
    const other = await client.studio.v2.flows(flow.sid).executions.create({ to: '+14155550002', from: '+15005550006' });

    // Temporal's visibility store is eventually consistent: a just-started workflow can be missing from a list for a
    // moment, so poll until both appear, then assert the exact set (nothing else is active).
    const active = await eventually('both executions listed as active', async () => {
      const list = await client.studio.v2.flows(flow.sid).executions.list({ status: 'active' } as never);
      const sids = list.map((e) => e.sid);
      return sids.includes(first.sid) && sids.includes(other.sid) ? sids : undefined;
    });
    expect(active.sort()).toEqual([first.sid, other.sid].sort());

    const ended = await client.studio.v2.flows(flow.sid).executions(first.sid).update({ status: 'ended' });
    expect(ended.status).toBe('ended');
    expect((await client.studio.v2.flows(flow.sid).executions(first.sid).fetch()).status).toBe('ended');
    const context = await client.studio.v2.flows(flow.sid).executions(first.sid).executionContext().fetch();
    expect(context.context).toMatchObject({ contact: { channel: { address: '+14155550001' } } });

    // The contact is free again once its execution has ended.
    const again = await client.studio.v2.flows(flow.sid).executions.create({ to: '+14155550001', from: '+15005550006' });
    expect(again.sid).not.toBe(first.sid);
    for (const e of [other, again]) await client.studio.v2.flows(flow.sid).executions(e.sid).update({ status: 'ended' });
    release();
  });

  it('pins the configured limits on each execution it starts', async () => {
    // A second API on the same worker, configured as LIMIT_MAX_STEPS=3 would configure it.
    const strict = await startTestApi({ taskQueue: t.taskQueue, store: t.store, account: api.account, limits: { engine: { ...DEFAULT_LIMITS, maxSteps: 3 } } });
    try {
      const chain = flowOf(triggerState({ incomingRequest: 's1' }), ...[1, 2, 3, 4, 5].map((i) => setVariablesState(`s${i}`, [{ key: `v${i}`, value: `${i}` }], i < 5 ? `s${i + 1}` : undefined)));
      const flow = await publish(chain);
      const strictClient = localTwilioClient(strict.url, api.account.accountSid, api.account.authToken);
      const limited = await strictClient.studio.v2.flows(flow.sid).executions.create({ to: '+14155550031', from: '+15005550006' });
      const free = await client.studio.v2.flows(flow.sid).executions.create({ to: '+14155550032', from: '+15005550006' });
      const limitedResult = await t.client.workflow.getHandle(`${flow.sid}:+14155550031`).result();
      expect(limitedResult.failure).toMatchObject({ code: 'limit:steps', message: 'Execution reached the limit of 3 steps' });
      expect((await t.client.workflow.getHandle(`${flow.sid}:+14155550032`).result()).failure).toBeUndefined();
      expect(await client.studio.v2.flows(flow.sid).executions(limited.sid).steps.list()).toHaveLength(3);
      expect(await client.studio.v2.flows(flow.sid).executions(free.sid).steps.list()).toHaveLength(6);
    } finally {
      await strict.close();
    }
  });

  it('lists with date filters and paging, deletes, and 404s what is gone', async () => {
    const flow = await publish(flowOf(triggerState({ incomingRequest: 'set' }), setVariablesState('set', [{ key: 'x', value: '1' }])));
    const sids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const e = await client.studio.v2.flows(flow.sid).executions.create({ to: `+1415555100${i}`, from: '+15005550006' });
      sids.push(e.sid);
      await t.client.workflow.getHandle(`${flow.sid}:+1415555100${i}`).result();
    }
    let listed: string[] = [];
    for (let attempt = 0; attempt < 30 && listed.length < 3; attempt++) {
      listed = (await client.studio.v2.flows(flow.sid).executions.list({ pageSize: 2 })).map((e) => e.sid);
      if (listed.length < 3) await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed.sort()).toEqual([...sids].sort());
    const future = await client.studio.v2.flows(flow.sid).executions.list({ dateCreatedFrom: new Date(Date.now() + 3_600_000) });
    expect(future).toEqual([]);
    const page = await client.studio.v2.flows(flow.sid).executions.page({ pageSize: 2 });
    expect(page.instances).toHaveLength(2);
    expect((await page.nextPage())?.instances).toHaveLength(1);
    // Page 2 of a filtered list is still filtered: the filters ride along in next_page_url.
    const since = new Date(Date.now() - 3_600_000).toISOString();
    const first = (await (await api.request(`/v2/Flows/${flow.sid}/Executions?Status=ended&DateCreatedFrom=${encodeURIComponent(since)}&PageSize=2`)).json()) as { meta: { next_page_url: string }; executions: Array<{ sid: string; status: string }> };
    expect(first.executions).toHaveLength(2);
    const next = new URL(first.meta.next_page_url);
    expect(Object.fromEntries(next.searchParams)).toMatchObject({ Status: 'ended', DateCreatedFrom: since, PageSize: '2', Page: '1' });
    const second = (await (await api.request(`${next.pathname}${next.search}`)).json()) as { executions: Array<{ sid: string; status: string }> };
    expect([...first.executions, ...second.executions].map((e) => e.sid).sort()).toEqual([...sids].sort());
    expect(second.executions.every((e) => e.status === 'ended')).toBe(true);

    expect(await client.studio.v2.flows(flow.sid).executions(sids[0]!).remove()).toBe(true);
    await expect(client.studio.v2.flows(flow.sid).executions(sids[0]!).fetch()).rejects.toMatchObject({ status: 404 });
  });

  it('refuses bad input with Studio codes', async () => {
    const flow = await publish(flowOf(triggerState({})));
    const post = (form: Record<string, string>) => api.request(`/v2/Flows/${flow.sid}/Executions`, { method: 'POST', form });
    expect(await (await post({ From: '+15005550006' })).json()).toMatchObject({ status: 400, code: 20001, message: 'Missing required parameter To' });
    expect(await (await post({ To: 'x'.repeat(200), From: 'y'.repeat(200) })).json()).toMatchObject({ status: 400, code: 81023 });
    expect(await (await post({ To: '+14155550100', From: '+15005550006', Parameters: '{oops' })).json()).toMatchObject({ status: 400, code: 84004 });
    expect(await (await post({ To: '+14155550100', From: '+15005550006', Parameters: '[1]' })).json()).toMatchObject({ status: 400, code: 84004 });
    const draft = await client.studio.v2.flows.create({ friendlyName: 'draft only', status: 'draft', definition: flowOf(triggerState({})) });
    const res = await api.request(`/v2/Flows/${draft.sid}/Executions`, { method: 'POST', form: { To: '+14155550100', From: '+15005550006' } });
    expect(await res.json()).toMatchObject({ status: 400, message: expect.stringMatching(/no published revision/) });
    expect((await api.request(`/v2/Flows/${flow.sid}/Executions/FN${'0'.repeat(32)}`)).status).toBe(404);
    expect((await api.request(`/v2/Flows/${flow.sid}/Executions/nope`)).status).toBe(404);
  });

  it('refuses addresses that are not E.164 numbers or channel addresses (21211 To, 21212 From), starting nothing', async () => {
    const flow = await publish(flowOf(triggerState({})));
    const post = (form: Record<string, string>) => api.request(`/v2/Flows/${flow.sid}/Executions`, { method: 'POST', form });
    for (const To of ['12345', 'abc', '+0123456', '+1234567890123456', '+1 415 555 0100', '4155550100', 'whatsapp:4155550100', 'tel:+14155550100', 'constructor:x', '+']) {
      const res = await post({ To, From: '+15005550006' });
      expect({ To, status: res.status, body: await res.json() }).toMatchObject({ To, status: 400, body: { status: 400, code: 21211, message: expect.stringContaining('E.164') } });
    }
    for (const From of ['12345', 'MG123', 'whatsapp:+0', 'sms:+15005550006']) {
      expect(await (await post({ To: '+14155550100', From })).json()).toMatchObject({ status: 400, code: 21212 });
    }
    expect((await client.studio.v2.flows(flow.sid).executions.list()).length).toBe(0);
    for (const [To, From] of [
      ['+14155550101', `MG${'0'.repeat(32)}`],
      ['whatsapp:+14155550102', 'whatsapp:+15005550006'],
      ['messenger:1234567890', 'messenger:987654321'],
      ['client:alice', '+15005550006'],
      ['sip:bob@example.test', '+15005550006'],
    ] as const) {
      expect({ To, status: (await post({ To, From })).status }).toEqual({ To, status: 201 });
    }
  });
});
