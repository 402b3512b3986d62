import { newExecutionSid } from '../../src/temporal/execution-sids';
import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, triggerState } from '../helpers/flows';

/**
 * Fetching an execution by SID. Visibility is eventually consistent, so an execution another
 * API process started a moment ago may not be listed yet; an unknown SID must still be answered
 * at once. Counted structurally: the visibility queries the app makes on its Temporal client.
 */
describe('Execution lookup by SID', () => {
  let api: TestApi;
  let flow: string;

  beforeAll(async () => {
    api = await startTestApi();
    const res = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'lookup', Status: 'published', Definition: JSON.stringify(flowOf(triggerState({}))) } });
    flow = ((await res.json()) as { sid: string }).sid;
  });
  afterAll(async () => {
    await api?.close();
  });
  afterEach(() => jest.restoreAllMocks());

  /** Counts (and passes on) the app's visibility list queries. */
  const countListQueries = () => jest.spyOn(api.client.workflowService, 'listWorkflowExecutions');

  it('answers 404 for a well-formed unknown SID with one visibility query, not a poll', async () => {
    for (const sid of [`FN${'0'.repeat(32)}`, `FN${'f'.repeat(32)}`, 'FN0123456789abcdef0123456789abcdef']) {
      const queries = countListQueries();
      expect((await api.request(`/v2/Flows/${flow}/Executions/${sid}`)).status).toBe(404);
      expect({ sid, queries: queries.mock.calls.length }).toEqual({ sid, queries: 1 });
      queries.mockRestore();
    }
  });

  it('still waits for visibility on a SID minted moments ago (another process may have just started it)', async () => {
    const queries = countListQueries();
    expect((await api.request(`/v2/Flows/${flow}/Executions/${newExecutionSid()}`)).status).toBe(404);
    expect(queries.mock.calls.length).toBeGreaterThan(1);
  });

  it('gives a start retried with its idempotency token the execution it started, through another API process too', async () => {
    const other = await startTestApi({ database: api.database, store: api.store, account: api.account });
    try {
      const start = (target: TestApi, token: string) =>
        target.request(`/v2/Flows/${flow}/Executions`, { method: 'POST', headers: { 'i-twilio-idempotency-token': token }, form: { To: '+14155550299', From: '+15005550006' } });
      const first = await start(api, 'retry-me');
      expect(first.status).toBe(201);
      const { sid } = (await first.json()) as { sid: string };
      await new Promise((r) => setTimeout(r, 5)); // a retry is minted at another millisecond
      for (const target of [api, other]) expect(await (await start(target, 'retry-me')).json()).toMatchObject({ sid, status: 'active' });
      expect((await start(other, 'another')).status).toBe(409);
    } finally {
      await other.close();
    }
  });

  it('finds an execution another API process has just started, on the same database', async () => {
    const other = await startTestApi({ database: api.database, store: api.store, account: api.account });
    try {
      for (let i = 0; i < 5; i++) {
        const created = await other.request(`/v2/Flows/${flow}/Executions`, { method: 'POST', form: { To: `+1415555020${i}`, From: '+15005550006' } });
        expect(created.status).toBe(201);
        const { sid } = (await created.json()) as { sid: string };
        const fetched = await api.request(`/v2/Flows/${flow}/Executions/${sid}`);
        expect({ i, status: fetched.status }).toEqual({ i, status: 200 });
        expect(await fetched.json()).toMatchObject({ sid, status: 'active', contact_channel_address: `+1415555020${i}` });
      }
    } finally {
      await other.close();
    }
  });
});
