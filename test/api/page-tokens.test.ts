import { newSid } from '../../src/sids';
import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';

/**
 * Issue 16: page tokens are ours, signed with a key derived from the account's auth token. A
 * token we did not issue (forged, altered, another list's, another account's) is the caller's
 * mistake, answered 400 at once — it never reaches Temporal, so it can neither hang the
 * request nor make the process believe Temporal is away.
 */
describe('page tokens', () => {
  const CALL_TIMEOUT_MS = 1_500;
  let api: TestApi;
  let flowSid: string;
  beforeAll(async () => {
    api = await startTestApi({ availability: { callTimeoutMs: CALL_TIMEOUT_MS, probeIntervalMs: 1_000 } });
    flowSid = await createFlow(api, 'paged');
    for (let i = 0; i < 2; i++) expect((await startExecution(api, flowSid, `+1415555${String(3000 + i)}`)).status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  /** What the probe sent: `PT` and base64url JSON, the shape of our tokens, but not one we issued. */
  const forged = (position: unknown) => `PT${Buffer.from(JSON.stringify(position), 'utf8').toString('base64url')}`;

  async function expectInvalidToken(res: Response): Promise<void> {
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 20001, message: 'Invalid parameter PageToken', status: 400 });
  }

  it('answers a forged executions token 400 at once, and no other client sees a 503 meanwhile or after', async () => {
    const list = `/v2/Flows/${flowSid}/Executions`;
    const started = performance.now();
    const forgedRequest = api.request(`${list}?PageToken=${forged({ t: 'AAAA' })}`).then((res) => ({ res, ms: performance.now() - started }));
    // Another client's requests, which need Temporal, while the forged one is answered…
    const during = await Promise.all(Array.from({ length: 4 }, () => fetch(`${api.url}${list}`, { headers: basicHeader(api) })));
    const { res, ms } = await forgedRequest;
    // …and right after it: a latch tripped by the forged request would refuse these.
    const after: Response[] = [];
    for (let i = 0; i < 4; i++) after.push(await fetch(`${api.url}${list}`, { headers: basicHeader(api) }));

    await expectInvalidToken(res);
    // Refused before any Temporal call: well inside the call deadline it would otherwise run into.
    expect(ms).toBeLessThan(CALL_TIMEOUT_MS);
    expect([...during, ...after].map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(api.availability?.reachable).toBe(true);
  });

  it('refuses a token of the right shape that we did not issue, on every list', async () => {
    const lists: Array<[string, unknown]> = [
      ['/v2/Flows', { d: new Date().toISOString(), s: `FW${'f'.repeat(32)}` }],
      [`/v2/Flows/${flowSid}/Revisions`, { r: 99 }],
      [`/v2/Flows/${flowSid}/Executions`, { t: Buffer.from('{"x":1}').toString('base64url') }],
      ['/v1/Sinks', { a: 'DG0', f: {} }],
      ['/v1/Subscriptions', { a: 'DF0', f: {} }],
      ['/v1/Types', { a: 'a', f: {} }],
    ];
    for (const [list, position] of lists) await expectInvalidToken(await api.request(`${list}?PageToken=${forged(position)}`));
  });

  it('refuses an issued token that was altered, or used on another list', async () => {
    for (let i = 0; i < 2; i++) await createFlow(api, `more ${i}`);
    const next = await nextPageToken(api, '/v2/Flows?PageSize=1');
    expect((await api.request(`/v2/Flows?PageSize=1&PageToken=${next}`)).status).toBe(200);

    const payload = next.slice(2, next.indexOf('.') > 0 ? next.indexOf('.') : undefined);
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { d: string; s: string };
    const altered = next.replace(payload, Buffer.from(JSON.stringify({ ...decoded, d: '2000-01-01T00:00:00.000Z' })).toString('base64url'));
    await expectInvalidToken(await api.request(`/v2/Flows?PageSize=1&PageToken=${altered}`));
    await expectInvalidToken(await api.request(`/v2/Flows/${flowSid}/Revisions?PageSize=1&PageToken=${next}`));
  });

  it("takes a token issued by another API process of the same account, and refuses another account's", async () => {
    const same = await startTestApi({ account: api.account, database: api.database, store: api.store });
    const other = await startTestApi();
    try {
      const next = await nextPageToken(api, '/v1/Types?PageSize=1');
      expect((await same.request(`/v1/Types?PageSize=1&PageToken=${next}`)).status).toBe(200);
      await expectInvalidToken(await other.request(`/v1/Types?PageSize=1&PageToken=${next}`));
    } finally {
      await same.close();
      await other.close();
    }
  });
});

function basicHeader(api: TestApi): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${api.account.accountSid}:${api.account.authToken}`).toString('base64')}` };
}

async function createFlow(api: TestApi, name: string): Promise<string> {
  const definition = JSON.stringify(flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', [])));
  const res = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: name, Status: 'published', Definition: definition } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { sid: string }).sid;
}

/** A REST start; no worker polls this app's task queue, so the execution stays active. */
function startExecution(api: TestApi, flowSid: string, to: string): Promise<Response> {
  return api.request(`/v2/Flows/${flowSid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006', Parameters: JSON.stringify({ id: newSid('') }) } });
}

async function nextPageToken(api: TestApi, list: string): Promise<string> {
  const body = (await (await api.request(list)).json()) as { meta: { next_page_url: string | null } };
  const token = new URL(body.meta.next_page_url ?? 'http://x/').searchParams.get('PageToken');
  if (!token) throw new Error(`${list} has no next page`);
  return token;
}
