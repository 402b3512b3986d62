import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { localTwilioClient } from '../helpers/twilio-client';

/** API keys through Twilio's Keys API, with the official client, and used in place of the auth token. */
describe('API keys with the twilio client', () => {
  let api: TestApi;
  let client: ReturnType<typeof localTwilioClient>;
  beforeAll(async () => {
    api = await startTestApi('sqlite');
    client = localTwilioClient(api.url, api.account.accountSid, api.account.authToken);
  });
  afterAll(async () => {
    await api?.close();
  });

  const definition = flowOf(triggerState({ incomingMessage: 'set' }), setVariablesState('set', [{ key: 'k', value: 'v' }]));

  it('creates a key, uses it for flows and executions, lists, fetches, renames and deletes it; deleted, it gets 401', async () => {
    const created = await client.newKeys.create({ friendlyName: 'CI' });
    expect(created.sid).toMatch(/^SK[0-9a-f]{32}$/);
    expect(created.friendlyName).toBe('CI');
    expect(created.secret.length).toBeGreaterThanOrEqual(32);
    expect(created.dateCreated).toBeInstanceOf(Date);

    const keyed = localTwilioClient(api.url, created.sid, created.secret, api.account.accountSid);
    const flow = await keyed.studio.v2.flows.create({ friendlyName: 'Key flow', status: 'published', definition });
    const execution = await keyed.studio.v2.flows(flow.sid).executions.create({ to: '+14155551234', from: '+14155550000' });
    expect(execution.sid).toMatch(/^FN[0-9a-f]{32}$/);

    const listed = await client.keys.list();
    expect(listed.map((k) => [k.sid, k.friendlyName])).toEqual([[created.sid, 'CI']]);
    const fetched = await client.keys(created.sid).fetch();
    expect(fetched.friendlyName).toBe('CI');
    expect(JSON.stringify(fetched.toJSON())).not.toContain(created.secret);
    expect(JSON.stringify(listed.map((k) => k.toJSON()))).not.toContain(created.secret);
    expect((await client.keys(created.sid).update({ friendlyName: 'Deploys' })).friendlyName).toBe('Deploys');

    // Twilio: a standard key cannot manage keys.
    await expect(keyed.keys.list()).rejects.toMatchObject({ status: 403 });

    const wrong = localTwilioClient(api.url, created.sid, `${created.secret}x`, api.account.accountSid);
    await expect(wrong.studio.v2.flows.list()).rejects.toMatchObject({ status: 401, code: 20003 });

    expect(await client.keys(created.sid).remove()).toBe(true);
    await expect(keyed.studio.v2.flows(flow.sid).fetch()).rejects.toMatchObject({ status: 401, code: 20003 });
    await expect(client.keys(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('tells the editor which account a key signs in to; a deleted key is refused there too', async () => {
    const session = (user: string, password: string) =>
      fetch(`${api.url}/v1/Local/Session`, { headers: { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } });
    const key = await client.newKeys.create({ friendlyName: 'Editor' });
    const byKey = await session(key.sid, key.secret);
    expect(byKey.status).toBe(200);
    expect(await byKey.json()).toEqual({ account_sid: api.account.accountSid, credential: 'api_key', api_key_sid: key.sid });
    expect(await (await session(api.account.accountSid, api.account.authToken)).json()).toEqual({ account_sid: api.account.accountSid, credential: 'auth_token', api_key_sid: null });
    await client.keys(key.sid).remove();
    const revoked = await session(key.sid, key.secret);
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ code: 20003, status: 401 });
  });
});
