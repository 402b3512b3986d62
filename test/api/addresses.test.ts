import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { postInboundMessage } from '../helpers/twilio-stand-in';

/**
 * Contact addresses enter through REST starts, the signed webhook, the local channel and Test
 * Users. They become workflow IDs and search attributes, so each entry point applies the same
 * rules: a known shape, no control characters, at most 300 bytes (Studio's 81023). Executions
 * start with no worker: they stay active, which is all these tests need.
 */
describe('Contact addresses at every entry point', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  async function publish(): Promise<string> {
    const res = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'addresses', Status: 'published', Definition: JSON.stringify(flowOf(triggerState({}))) } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { sid: string }).sid;
  }

  /** JSON bodies carry what a form cannot (a lone surrogate becomes U+FFFD in a form). */
  const postJson = (path: string, body: Record<string, unknown>) => api.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  /** One address with each kind of character no address may hold, in the one loose part of a sip address. */
  const CONTROL = ['\u0000', '\u0001', '\u0008', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f', '\u2028', '\u2029', '\ud800', '\udfff'];
  const withControl = (c: string) => `sip:a${c}b@example.com`;

  it("deletes an execution whose contact has an apostrophe, started by a REST start or a signed webhook", async () => {
    const flow = await publish();
    const contact = "sip:o'brien@example.com";
    const created = await api.request(`/v2/Flows/${flow}/Executions`, { method: 'POST', form: { To: contact, From: '+15005550006' } });
    expect(created.status).toBe(201);
    const { sid } = (await created.json()) as { sid: string };
    expect((await api.request(`/v2/Flows/${flow}/Executions/${sid}`)).status).toBe(200);
    expect((await api.request(`/v2/Flows/${flow}/Executions/${sid}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api.request(`/v2/Flows/${flow}/Executions/${sid}`)).status).toBe(404);

    const webhook = `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/${flow}`;
    expect((await postInboundMessage(webhook, api.account.authToken, { From: "sip:d'arcy@example.com", To: '+15005550006', Body: 'hi' })).status).toBe(200);
    const started = await eventually('the webhook execution listed', async () => {
      const list = (await (await api.request(`/v2/Flows/${flow}/Executions`)).json()) as { executions: Array<{ sid: string; contact_channel_address: string }> };
      return list.executions.find((e) => e.contact_channel_address === "sip:d'arcy@example.com");
    });
    expect((await api.request(`/v2/Flows/${flow}/Executions/${started.sid}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api.request(`/v2/Flows/${flow}/Executions/${started.sid}`)).status).toBe(404);
  });

  it('refuses control characters, lone surrogates and line separators in a REST start (21211 To, 21212 From), starting nothing', async () => {
    const flow = await publish();
    for (const c of CONTROL) {
      const to = await postJson(`/v2/Flows/${flow}/Executions`, { To: withControl(c), From: '+15005550006' });
      expect({ c, status: to.status, body: await to.json() }).toMatchObject({ c, status: 400, body: { code: 21211 } });
      const from = await postJson(`/v2/Flows/${flow}/Executions`, { To: '+14155550100', From: withControl(c) });
      expect({ c, status: from.status, body: await from.json() }).toMatchObject({ c, status: 400, body: { code: 21212 } });
    }
    // Characters RFC 3261 does not allow unescaped in a SIP user part.
    for (const To of ['sip:a"b@example.com', 'sip:a\\b@example.com', 'sip:a`b@example.com', 'sip:a<b@example.com', 'sip:a%zzb@example.com']) {
      expect({ To, body: await (await postJson(`/v2/Flows/${flow}/Executions`, { To, From: '+15005550006' })).json() }).toMatchObject({ To, body: { code: 21211 } });
    }
    expect(((await (await api.request(`/v2/Flows/${flow}/Executions`)).json()) as { executions: unknown[] }).executions).toEqual([]);
  });

  it('holds the local channel to the same rules: 81023 over 300 bytes, 21212/21211 for a bad From/To', async () => {
    const flow = await publish();
    for (const kind of ['Messages', 'Calls']) {
      const post = (body: Record<string, string>) => postJson(`/v1/Local/Flows/${flow}/${kind}`, { Body: 'hi', ...body });
      const long = await post({ From: `+1${'4'.repeat(1998)}`, To: '+15005550006' });
      expect({ kind, status: long.status, body: await long.json() }).toMatchObject({ kind, status: 400, body: { code: 81023 } });
      for (const c of CONTROL) {
        expect({ kind, c, body: await (await post({ From: withControl(c), To: '+15005550006' })).json() }).toMatchObject({ kind, c, body: { code: 21212 } });
        expect({ kind, c, body: await (await post({ From: '+14155550100', To: withControl(c) })).json() }).toMatchObject({ kind, c, body: { code: 21211 } });
      }
      expect({ kind, body: await (await post({ From: 'alice', To: '+15005550006' })).json() }).toMatchObject({ kind, body: { code: 21212 } });
    }
    expect(((await (await api.request(`/v2/Flows/${flow}/Executions`)).json()) as { executions: unknown[] }).executions).toEqual([]);
    // A good address still gets through.
    expect((await postJson(`/v1/Local/Flows/${flow}/Messages`, { From: 'sip:o\'brien@example.com', To: '+15005550006', Body: 'hi' })).status).toBe(201);
  });

  it('refuses Test Users that are not contact addresses (control characters included)', async () => {
    const flow = await publish();
    for (const user of [...CONTROL.map(withControl), 'alice', '+1 415 555 0100']) {
      const res = await postJson(`/v2/Flows/${flow}/TestUsers`, { TestUsers: ['+14155551234', user] });
      expect({ user, status: res.status }).toEqual({ user, status: 400 });
    }
    expect(await (await api.request(`/v2/Flows/${flow}/TestUsers`)).json()).toMatchObject({ test_users: [] });
    const ok = await postJson(`/v2/Flows/${flow}/TestUsers`, { TestUsers: ['+14155551234', "sip:o'brien@example.com", 'client:alice'] });
    expect(await ok.json()).toMatchObject({ test_users: ['+14155551234', "sip:o'brien@example.com", 'client:alice'] });
  });
});
