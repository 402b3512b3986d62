import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';

const valid = flowOf(triggerState({ incomingRequest: 'set' }), setVariablesState('set', [{ key: 'a', value: '{{flow.data.x}}' }]));
const validText = JSON.stringify(valid);

interface Flow {
  sid: string;
  revision: number;
  status: string;
  friendly_name: string;
  valid: boolean;
  errors: Array<{ property_path: string; message: string }>;
  warnings: unknown[];
  definition: unknown;
  commit_message: string | null;
  date_updated: string | null;
}
interface TwilioError {
  code: number;
  message: string;
  status: number;
  more_info: string;
  details?: { errors: Array<{ property_path?: string; parameter?: string; message: string }> };
}

describe('Flows API', () => {
  let api: TestApi;
  beforeEach(async () => {
    api = await startTestApi('sqlite');
  });
  afterEach(async () => {
    await api.close();
  });

  const create = async (form: Record<string, string>) => api.request('/v2/Flows', { method: 'POST', form });
  const flowCount = async () => ((await (await api.request('/v2/Flows?PageSize=1000')).json()) as { flows: unknown[] }).flows.length;

  describe('when the request is good', () => {
    it('creates from a form body with Studio fields and 201', async () => {
      const res = await create({ FriendlyName: 'Greeter', Status: 'draft', Definition: validText, CommitMessage: 'first' });
      expect(res.status).toBe(201);
      const flow = (await res.json()) as Flow & Record<string, unknown>;
      expect(flow).toMatchObject({
        account_sid: api.account.accountSid,
        author_sid: null,
        friendly_name: 'Greeter',
        definition: valid,
        status: 'draft',
        revision: 1,
        commit_message: 'first',
        valid: true,
        errors: [],
        warnings: [],
        date_updated: null,
        url: `${api.url}/v2/Flows/${flow.sid}`,
        webhook_url: `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/${flow.sid}`,
        links: { test_users: `${api.url}/v2/Flows/${flow.sid}/TestUsers`, revisions: `${api.url}/v2/Flows/${flow.sid}/Revisions`, executions: `${api.url}/v2/Flows/${flow.sid}/Executions` },
      });
      expect(flow.sid).toMatch(/^FW[0-9a-f]{32}$/);
      expect(flow.date_created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });

    it('creates from a JSON body with the definition as an object', async () => {
      const res = await api.request('/v2/Flows', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ FriendlyName: 'JSON', Status: 'published', Definition: valid }),
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ status: 'published', definition: valid });
    });

    it('saves each update as a new revision, renames, publishes and keeps the history', async () => {
      const { sid } = (await (await create({ FriendlyName: 'v1', Status: 'draft', Definition: validText })).json()) as Flow;
      const changed = flowOf(triggerState({}));
      let res = await api.request(`/v2/Flows/${sid}`, { method: 'POST', form: { Status: 'draft', Definition: JSON.stringify(changed), CommitMessage: 'simpler' } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ revision: 2, definition: changed, commit_message: 'simpler', friendly_name: 'v1' });

      res = await api.request(`/v2/Flows/${sid}`, { method: 'POST', form: { Status: 'published', FriendlyName: 'Renamed' } });
      const published = (await res.json()) as Flow;
      expect(published).toMatchObject({ revision: 3, status: 'published', friendly_name: 'Renamed', definition: changed, commit_message: null });
      expect(published.date_updated).not.toBeNull();

      const revisions = (await (await api.request(`/v2/Flows/${sid}/Revisions`)).json()) as { meta: { key: string }; revisions: Array<Record<string, unknown>> };
      expect(revisions.meta.key).toBe('revisions');
      expect(revisions.revisions.map((r) => [r.revision, r.status, r.friendly_name, r.definition])).toEqual([
        [3, 'published', 'Renamed', null],
        [2, 'draft', 'v1', null],
        [1, 'draft', 'v1', null],
      ]);
      expect(revisions.revisions[0]).not.toHaveProperty('warnings');
      expect(revisions.revisions[0]).not.toHaveProperty('links');

      const first = (await (await api.request(`/v2/Flows/${sid}/Revisions/1`)).json()) as Record<string, unknown>;
      expect(first).toMatchObject({ sid, revision: 1, definition: valid, url: `${api.url}/v2/Flows/${sid}/Revisions/1` });
      expect(await (await api.request(`/v2/Flows/${sid}/Revisions/LatestPublished`)).json()).toMatchObject({ revision: 3 });
      expect(await (await api.request(`/v2/Flows/${sid}/Revisions/LatestRevision`)).json()).toMatchObject({ revision: 3 });
      expect((await api.request(`/v2/Flows/${sid}/Revisions/9`)).status).toBe(404);
      expect(await (await api.request(`/v2/Flows/${sid}/Revisions/latest`)).json()).toMatchObject({ status: 400, code: 81021 });
    });

    it('stores an invalid draft with valid:false and its errors, but refuses to publish it', async () => {
      const broken = flowOf(triggerState({ incomingRequest: 'nowhere' }));
      const res = await create({ FriendlyName: 'Broken', Status: 'draft', Definition: JSON.stringify(broken) });
      expect(res.status).toBe(201);
      const flow = (await res.json()) as Flow;
      expect(flow.valid).toBe(false);
      expect(flow.errors).toEqual([{ property_path: '#/states/0/transitions/3/next', message: 'transition to "nowhere", which is not a widget of this flow', code: 'transition:unknown-target' }]);

      const publish = await api.request(`/v2/Flows/${flow.sid}`, { method: 'POST', form: { Status: 'published' } });
      expect(publish.status).toBe(400);
      const error = (await publish.json()) as TwilioError;
      expect(error).toMatchObject({ code: 81022, status: 400, more_info: 'https://www.twilio.com/docs/errors/81022' });
      expect(error.details?.errors[0]?.property_path).toBe('#/states/0/transitions/3/next');
      expect(await (await api.request(`/v2/Flows/${flow.sid}`)).json()).toMatchObject({ revision: 1, status: 'draft' });
    });

    it('validates without saving: {valid:true}, or 81022 with every error', async () => {
      const ok = await api.request('/v2/Flows/Validate', { method: 'POST', form: { FriendlyName: 'x', Status: 'draft', Definition: validText } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ valid: true });

      const dup = flowOf(triggerState({ incomingRequest: 'a' }), setVariablesState('a', []), setVariablesState('a', []));
      const bad = await api.request('/v2/Flows/Validate', { method: 'POST', form: { FriendlyName: 'x', Status: 'draft', Definition: JSON.stringify(dup) } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as TwilioError).details?.errors).toEqual([
        { property_path: '#/states/2/name', message: 'duplicate widget name "a"', code: 'widget:duplicate-name' },
      ]);
      expect(await flowCount()).toBe(0);
    });

    it('pages the list with next_page_url and PageToken', async () => {
      for (let i = 0; i < 5; i++) await create({ FriendlyName: `f${i}`, Status: 'draft', Definition: validText });
      const seen: string[] = [];
      let url: string | null = '/v2/Flows?PageSize=2';
      let pages = 0;
      while (url) {
        const body = (await (await api.request(url.replace(api.url, ''))).json()) as { meta: { page: number; next_page_url: string | null; page_size: number }; flows: Flow[] };
        expect(body.meta.page).toBe(pages);
        expect(body.flows.every((f) => f.definition === null && f.valid === null)).toBe(true);
        seen.push(...body.flows.map((f) => f.friendly_name));
        url = body.meta.next_page_url;
        pages++;
      }
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(['f0', 'f1', 'f2', 'f3', 'f4']);
      expect((await api.request('/v2/Flows?PageToken=garbage')).status).toBe(400);
    });

    it('duplicates a flow as a new draft', async () => {
      const { sid } = (await (await create({ FriendlyName: 'Original', Status: 'published', Definition: validText })).json()) as Flow;
      const res = await api.request(`/v2/Flows/${sid}/Duplicate`, { method: 'POST', form: {} });
      expect(res.status).toBe(201);
      const copy = (await res.json()) as Flow;
      expect(copy).toMatchObject({ friendly_name: 'Copy of Original', status: 'draft', revision: 1, definition: valid });
      expect(copy.sid).not.toBe(sid);
    });

    it('replaces test users and reads them back', async () => {
      const { sid } = (await (await create({ FriendlyName: 't', Status: 'draft', Definition: validText })).json()) as Flow;
      expect(await (await api.request(`/v2/Flows/${sid}/TestUsers`)).json()).toEqual({ sid, test_users: [], url: `${api.url}/v2/Flows/${sid}/TestUsers` });
      const res = await api.request(`/v2/Flows/${sid}/TestUsers`, { method: 'POST', form: { TestUsers: ['+14155551234', 'client:alice', '+14155551234'] } });
      expect(await res.json()).toMatchObject({ test_users: ['+14155551234', 'client:alice'] });
      await api.request(`/v2/Flows/${sid}/TestUsers`, { method: 'POST', form: { TestUsers: '' } });
      expect(await (await api.request(`/v2/Flows/${sid}/TestUsers`)).json()).toMatchObject({ test_users: [] });
      const tooLong = await api.request(`/v2/Flows/${sid}/TestUsers`, { method: 'POST', form: { TestUsers: 'x'.repeat(301) } });
      expect(tooLong.status).toBe(400);
    });

    it('deletes a flow with 204, after which it is gone', async () => {
      const { sid } = (await (await create({ FriendlyName: 'd', Status: 'draft', Definition: validText })).json()) as Flow;
      const res = await api.request(`/v2/Flows/${sid}`, { method: 'DELETE' });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
      expect((await api.request(`/v2/Flows/${sid}`)).status).toBe(404);
      expect((await api.request(`/v2/Flows/${sid}/Revisions`)).status).toBe(404);
      expect((await api.request(`/v2/Flows/${sid}`, { method: 'DELETE' })).status).toBe(404);
    });
  });

  describe('when the input is bad, it answers 400 with details and stores nothing', () => {
    const cases: Array<[string, Record<string, string>, number, RegExp | string]> = [
      ['a missing FriendlyName', { Status: 'draft', Definition: validText }, 20001, 'Missing required parameter FriendlyName'],
      ['a missing Definition', { FriendlyName: 'x', Status: 'draft' }, 20001, 'Missing required parameter Definition'],
      ['an unknown Status', { FriendlyName: 'x', Status: 'live', Definition: validText }, 20001, /Invalid parameter Status: expected draft or published/],
      ['an absurd FriendlyName', { FriendlyName: 'x'.repeat(10_000), Status: 'draft', Definition: validText }, 20001, /FriendlyName: at most 255 characters/],
      ['malformed JSON', { FriendlyName: 'x', Status: 'draft', Definition: '{"states": [' }, 81022, /the definition is not valid JSON/],
      ['a definition that is not an object', { FriendlyName: 'x', Status: 'draft', Definition: '[1,2]' }, 81022, /must be a JSON object/],
      ['an unknown widget type', { FriendlyName: 'x', Status: 'draft', Definition: JSON.stringify(flowOf(triggerState({}), { name: 'w', type: 'teleport', properties: {}, transitions: [] })) }, 81022, /#\/states\/1\/type unknown widget type "teleport"/],
      ['a wrong property type', { FriendlyName: 'x', Status: 'draft', Definition: JSON.stringify(flowOf(triggerState({}), { name: 'w', type: 'send-and-wait-for-reply', properties: { body: 'hi', timeout: { seconds: 5 } }, transitions: [] })) }, 81022, /#\/states\/1\/properties\/timeout/],
      ['an event the widget does not have', { FriendlyName: 'x', Status: 'draft', Definition: JSON.stringify(flowOf(triggerState({}), { name: 'w', type: 'send-message', properties: { body: 'hi' }, transitions: [{ event: 'delivered' }] })) }, 81022, /"delivered" is not an event of send-message/],
      ['an absurd widget name', { FriendlyName: 'x', Status: 'draft', Definition: JSON.stringify(flowOf(triggerState({}), setVariablesState('{{ evil }} name', []))) }, 81022, /may only contain letters, digits/],
    ];

    it.each(cases)('%s', async (_name, form, code, message) => {
      const res = await create(form);
      expect(res.status).toBe(400);
      const error = (await res.json()) as TwilioError;
      expect(error.code).toBe(code);
      expect(error.message).toMatch(message);
      expect(error.details?.errors.length).toBeGreaterThan(0);
      expect(await flowCount()).toBe(0);
    });

    it('refuses 10,000 widgets', async () => {
      // Compact widgets, so that the widget limit (not the size limit) is what refuses it.
      const states = [triggerState({}), ...Array.from({ length: 9_999 }, (_, i) => ({ name: `w${i}`, type: 'set-variables', properties: {}, transitions: [] }))];
      const res = await create({ FriendlyName: 'big', Status: 'draft', Definition: JSON.stringify(flowOf(...states)) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as TwilioError).details?.errors).toEqual([{ property_path: '#/states', message: 'a flow has at most 2000 widgets (got 10000)', code: 'limit:widgets' }]);
      expect(await flowCount()).toBe(0);
    });

    it('refuses a definition over the size limit', async () => {
      const padded = { ...valid, description: 'x'.repeat(1024 * 1024) };
      const res = await create({ FriendlyName: 'huge', Status: 'draft', Definition: JSON.stringify(padded) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as TwilioError).message).toMatch(/over the 1048576-byte limit/);
      expect(await flowCount()).toBe(0);
    });

    it('refuses a malformed JSON request body', async () => {
      const res = await api.request('/v2/Flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"FriendlyName": ' });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 20001, status: 400 });
    });

    it('keeps the flow unchanged when an update is refused', async () => {
      const { sid } = (await (await create({ FriendlyName: 'keep', Status: 'draft', Definition: validText })).json()) as Flow;
      const res = await api.request(`/v2/Flows/${sid}`, { method: 'POST', form: { Status: 'draft', Definition: '{"nope": true}' } });
      expect(res.status).toBe(400);
      expect(await (await api.request(`/v2/Flows/${sid}`)).json()).toMatchObject({ revision: 1, definition: valid });
      expect(((await (await api.request(`/v2/Flows/${sid}/Revisions`)).json()) as { revisions: unknown[] }).revisions).toHaveLength(1);
    });

    it('answers 404 for unknown or malformed flow SIDs', async () => {
      for (const sid of [`FW${'0'.repeat(32)}`, 'FWnope', '..%2F..%2Fetc']) {
        const res = await api.request(`/v2/Flows/${sid}`);
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({ code: 20404, status: 404 });
      }
    });
  });

  describe('authentication', () => {
    it.each([
      ['no credentials', undefined],
      ['a wrong token', 'wrong'],
      ['another account', 'other-account'],
      ['a malformed header', 'malformed'],
    ])('answers 401 with %s', async (_name, kind) => {
      const headers: Record<string, string> = {};
      if (kind === 'wrong') headers.authorization = `Basic ${Buffer.from(`${api.account.accountSid}:nope`).toString('base64')}`;
      if (kind === 'other-account') headers.authorization = `Basic ${Buffer.from(`AC${'9'.repeat(32)}:${api.account.authToken}`).toString('base64')}`;
      if (kind === 'malformed') headers.authorization = 'Bearer token';
      const res = await fetch(`${api.url}/v2/Flows`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="Twilio API"');
      expect(await res.json()).toEqual({ code: 20003, message: 'Authentication Error - invalid username or password', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    });

    it('answers a script (X-Requested-With) 401 without a challenge, so a browser does not ask for a password itself', async () => {
      const authorization = `Basic ${Buffer.from(`${api.account.accountSid}:nope`).toString('base64')}`;
      const res = await fetch(`${api.url}/v2/Flows`, { headers: { authorization, 'x-requested-with': 'XMLHttpRequest' } });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBeNull();
      expect(await res.json()).toMatchObject({ code: 20003, status: 401 });
    });

    it('does not create anything without credentials', async () => {
      const res = await fetch(`${api.url}/v2/Flows`, { method: 'POST', body: new URLSearchParams({ FriendlyName: 'x', Status: 'draft', Definition: validText }) });
      expect(res.status).toBe(401);
      expect(await flowCount()).toBe(0);
    });
  });
});
