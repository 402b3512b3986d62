import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startTestApi, type TestApi } from '../helpers/api';

/**
 * Issue 16: API answers hold account data (flows, executions, contacts) and must never be kept
 * by a browser or a shared cache — errors included. The editor's own files keep their caching
 * (test/api/web-app.test.ts).
 */
describe('Cache-Control on API responses', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('is no-store on every API answer, success or error', async () => {
    const flowSid = `FW${'0'.repeat(32)}`;
    const webhook = `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/${flowSid}`;
    const params = { MessageSid: `SM${'2'.repeat(32)}`, From: '+14155550100', To: '+15005550006', Body: 'hi' };
    const signed = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': getExpectedTwilioSignature(api.account.authToken, webhook, params) };
    const answers: Array<[string, Promise<Response>]> = [
      ['REST list', api.request('/v2/Flows')],
      ['REST 400', api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'x' } })],
      ['REST 401', fetch(`${api.url}/v2/Flows`)],
      ['REST 404', api.request(`/v2/Flows/${flowSid}`)],
      ['unknown path 404', fetch(`${api.url}/v2/Nope`)],
      ['Events list', api.request('/v1/Sinks')],
      ['Events 401', fetch(`${api.url}/v1/Types`)],
      ['Local inbox', api.request('/v1/Local/Messages')],
      ['Local calls', api.request('/v1/Local/Calls')],
      ['webhook 403', fetch(webhook, { method: 'POST', body: new URLSearchParams(params) })],
      ['webhook 404', fetch(webhook, { method: 'POST', headers: signed, body: new URLSearchParams(params) })],
      ['health', fetch(`${api.url}/health`)],
      ['OpenAPI document', fetch(`${api.url}/openapi.json`)],
    ];
    const seen = await Promise.all(answers.map(async ([name, res]) => [name, (await res).headers.get('cache-control')] as const));
    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries(answers.map(([name]) => [name, 'no-store'])));
  });
});
