import http from 'node:http';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { startTestApi, type TestApi } from '../helpers/api';

interface Answer {
  readonly status: number;
  readonly body: string;
}

/**
 * Declares a body of `declaredBytes`, sends only `chunk`, and waits for the answer. A server that
 * reads the body into a parser first cannot answer before the rest comes, which it never does:
 * an answer here proves the request was judged without its body being parsed.
 */
function answerBeforeBodyEnds(url: string, headers: Record<string, string>, declaredBytes: number, chunk: Buffer, waitMs = 5_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(declaredBytes) } });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${waitMs} ms while the body was incomplete: the server waited for the body`));
    }, waitMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (text: string) => (body += text));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.write(chunk);
  });
}

/** Issue 16: credentials (or a webhook's signature header) are checked before any body is parsed. */
describe('authentication before the body', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  const wrongCredentials = () => ({ authorization: `Basic ${Buffer.from(`${api.account.accountSid}:${'0'.repeat(32)}`).toString('base64')}` });

  async function expect401(res: Response): Promise<void> {
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 20003, status: 401 });
  }

  it('answers invalid JSON without credentials 401, not 400', async () => {
    await expect401(await fetch(`${api.url}/v2/Flows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"FriendlyName":' }));
    await expect401(await fetch(`${api.url}/v2/Flows`, { method: 'POST', headers: { 'content-type': 'application/json', ...wrongCredentials() }, body: '{' }));
  });

  it('answers a body over the limit with wrong credentials 401, not 413', async () => {
    const huge = `{"a":"${'x'.repeat(5 * 1024 * 1024)}"}`;
    await expect401(await fetch(`${api.url}/v2/Flows`, { method: 'POST', headers: { 'content-type': 'application/json', ...wrongCredentials() }, body: huge }));
  });

  it('answers an unauthenticated 4 MB nested JSON body 401 before the body has arrived', async () => {
    const declared = 4 * 1024 * 1024 - 1024;
    const answer = await answerBeforeBodyEnds(`${api.url}/v2/Flows`, { 'content-type': 'application/json' }, declared, Buffer.from('['.repeat(64 * 1024)));
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 20003, status: 401 });
  });

  it('still parses the body of a request with credentials', async () => {
    const res = await api.request('/v2/Flows', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 20001, status: 400 });
  });

  describe('webhooks, with WEBHOOK_VALIDATION on', () => {
    const webhook = () => `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/FW${'0'.repeat(32)}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    it('refuses an unsigned request 403 before its form body has arrived', async () => {
      const answer = await answerBeforeBodyEnds(webhook(), form, 60 * 1024, Buffer.from(`Body=${'a'.repeat(1024)}`));
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 20403, message: 'Missing X-Twilio-Signature', status: 403 });
      const status = await answerBeforeBodyEnds(`${webhook()}/MessageStatus?WorkflowId=x`, form, 60 * 1024, Buffer.from('MessageSid=SM1&'));
      expect(status.status).toBe(403);
    });

    it('refuses an unsigned request over the form limit 403, not 413', async () => {
      const res = await fetch(webhook(), { method: 'POST', headers: form, body: `Body=${'a'.repeat(200 * 1024)}` });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ code: 20403, message: 'Missing X-Twilio-Signature' });
    });

    it('still checks a signature against the parsed form', async () => {
      const params = { MessageSid: `SM${'1'.repeat(32)}`, From: '+14155550100', To: '+15005550006', Body: 'hi' };
      const forged = await fetch(webhook(), { method: 'POST', headers: { ...form, 'x-twilio-signature': 'forged' }, body: new URLSearchParams(params) });
      expect(forged.status).toBe(403);
      expect(await forged.json()).toMatchObject({ code: 20403, message: 'Invalid X-Twilio-Signature' });
      const signature = getExpectedTwilioSignature(api.account.authToken, webhook(), params);
      // Signed and parsed: the flow does not exist, which only a parsed, verified request can learn.
      const signed = await fetch(webhook(), { method: 'POST', headers: { ...form, 'x-twilio-signature': signature }, body: new URLSearchParams(params) });
      expect(signed.status).toBe(404);
    });
  });
});
