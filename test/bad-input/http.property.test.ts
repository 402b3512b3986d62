import fc from 'fast-check';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { createLogger } from '../../src/logger';
import { startTestApi, type TestApi } from '../helpers/api';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';

/**
 * B6/B7/B8/B9/B11 over real HTTP against the real app: signed webhooks with arbitrary form
 * parameters (any names) never give a 5xx nor a 403; invalid E.164 addresses give 400; tampered signatures always give 403; Basic-auth abuse always
 * gives 401; oversized bodies are refused in Twilio's error shape and store nothing.
 */

type Form = Record<string, string | string[]>;

function expectTwilioError(body: unknown, status: number): void {
  expect(body).toEqual(
    expect.objectContaining({ code: expect.any(Number), message: expect.any(String), more_info: expect.stringMatching(/^https:\/\/www\.twilio\.com\/docs\/errors\/\d+$/), status }),
  );
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function formOf(pairs: ReadonlyArray<readonly [string, string]>): { form: Form; body: URLSearchParams } {
  const form = Object.create(null) as Form; // `constructor` is a name like any other
  const body = new URLSearchParams();
  for (const [k, v] of pairs) {
    body.append(k, v);
    const prev = form[k];
    form[k] = prev === undefined ? v : [prev, v].flat();
  }
  return { form, body };
}

describe('HTTP bad input: properties over the real app (fast-check)', () => {
  let api: TestApi;
  let flowSid: string;
  let webhook: string;

  // Errors the app logs, to show with a 5xx (the property would otherwise only see "500").
  const errors: string[] = [];
  beforeAll(async () => {
    api = await startTestApi({ logger: createLogger('error', 'bad-input', { write: (line: string) => void errors.push(line) }) });
    const res = await api.request('/v2/Flows', {
      method: 'POST',
      form: { FriendlyName: 'bad-input', Status: 'published', Definition: JSON.stringify(flowOf(triggerState({ incomingMessage: 'v' }), setVariablesState('v', [{ key: 'k', value: '{{trigger.message.Body}}' }]))) },
    });
    expect(res.status).toBe(201);
    flowSid = ((await res.json()) as { sid: string }).sid;
    webhook = `${api.url}/v1/Accounts/${api.account.accountSid}/Flows/${flowSid}`;
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (url: string, body: URLSearchParams | string, signature?: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === undefined ? {} : { 'x-twilio-signature': signature }) }, body });

  // CallSid is left out: a call waits up to the voice deadline (8 s) for a worker, and this app has none.
  const key = fc.oneof(
    fc.string({ maxLength: 20, unit: 'grapheme' }),
    // Empty names and Object.prototype members are parameters like any other: signed, they pass.
    fc.constantFrom('MessageSid', 'SmsSid', 'From', 'To', 'Body', 'EventType', 'ConversationSid', 'Author', '__proto__', 'constructor', 'hasOwnProperty', 'toString', '', 'body', 'from', 'To ', 'Parameters', 'NumMedia'),
  ).filter((k) => k !== 'CallSid');
  const value = fc.oneof(
    fc.string({ maxLength: 60, unit: 'grapheme' }),
    fc.constantFrom('', ' ', '+14155550100', 'onMessageAdded', '{"a":1}', '{{ x }}', '%00', '\u0000', '\r\n', 'SM' + '0'.repeat(32)),
    fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'v'.repeat(n)),
  );
  const pairs = fc.array(fc.tuple(key, value), { maxLength: 25 });

  it('correctly signed arbitrary form parameters never give a 5xx (numRuns 60)', async () => {
    await fc.assert(
      fc.asyncProperty(pairs, async (p) => {
        const { form, body } = formOf(p);
        const res = await post(webhook, body, getExpectedTwilioSignature(api.account.authToken, webhook, form));
        const payload = await readBody(res);
        // On failure, show what the app answered (a 5xx body names its request id for the logs).
        if (res.status >= 500) {
          const logged = errors.filter((line) => line.includes(res.headers.get('x-request-id') ?? '?')).join('\n');
          throw new Error(`${res.status} for ${JSON.stringify(p).slice(0, 500)}: ${JSON.stringify(payload)}\n${logged}`);
        }
        if (res.status >= 400) expectTwilioError(payload, res.status);
        else expect([200, 204]).toContain(res.status);
        // a correct signature is never refused as forged
        expect(res.status).not.toBe(403);
      }),
      { numRuns: 60 },
    );
  });

  it('tampered signatures always give 403 (numRuns 60)', async () => {
    const tamper = fc.oneof(
      fc.nat().map((i) => ({ kind: 'flip' as const, i })),
      fc.constant({ kind: 'other-url' as const }),
      fc.constant({ kind: 'https' as const }),
      fc.constant({ kind: 'other-params' as const }),
      fc.constant({ kind: 'other-token' as const }),
      fc.constantFrom('', 'not base64!!', '====', 'A'.repeat(28), '\u00e9\u00e9'.repeat(5)).map((raw) => ({ kind: 'raw' as const, raw })),
    );
    const message = fc.record({ MessageSid: fc.constant(`SM${'a'.repeat(32)}`), From: fc.constant('+14155550100'), To: fc.constant('+15005550006'), Body: fc.string({ maxLength: 30, unit: 'grapheme' }) });
    await fc.assert(
      fc.asyncProperty(message, tamper, async (m, t) => {
        const form: Form = { ...m };
        const good = getExpectedTwilioSignature(api.account.authToken, webhook, form);
        let signature: string;
        switch (t.kind) {
          case 'flip': {
            const at = t.i % good.length;
            const c = good[at] === 'A' ? 'B' : 'A';
            signature = good.slice(0, at) + c + good.slice(at + 1);
            break;
          }
          case 'other-url':
            signature = getExpectedTwilioSignature(api.account.authToken, `${webhook}/x`, form);
            break;
          case 'https':
            signature = getExpectedTwilioSignature(api.account.authToken, webhook.replace('http:', 'https:'), form);
            break;
          case 'other-params':
            signature = getExpectedTwilioSignature(api.account.authToken, webhook, { ...form, Body: `${m.Body}!` });
            break;
          case 'other-token':
            signature = getExpectedTwilioSignature(api.account.authToken.replace(/.$/, (c) => (c === '0' ? '1' : '0')), webhook, form);
            break;
          default:
            signature = t.raw;
        }
        const res = await post(webhook, new URLSearchParams(m), signature);
        expect(res.status).toBe(403);
        expectTwilioError(await readBody(res), 403);
      }),
      { numRuns: 60 },
    );
  });

  it('Basic auth abuse on /v2/Flows always gives 401 in Twilio shape (numRuns 60)', async () => {
    const { accountSid, authToken } = api.account;
    const credentials = fc.oneof(
      fc.string({ minLength: authToken.length, maxLength: authToken.length, unit: fc.constantFrom(...'0123456789abcdef') }).filter((t) => t !== authToken).map((t) => `${accountSid}:${t}`),
      fc.integer({ min: 0, max: authToken.length - 1 }).map((n) => `${accountSid}:${authToken.slice(0, n)}`),
      fc.string({ minLength: 1, maxLength: 3, unit: 'grapheme' }).map((x) => `${accountSid}:${authToken}${x}`),
      fc.string({ maxLength: 40, unit: 'grapheme' }).map((x) => `${accountSid}:${x}`),
      fc.constant(`:${authToken}`),
      fc.constant(`${accountSid.replace(/.$/, (c) => (c === '0' ? '1' : '0'))}:${authToken}`),
      fc.integer({ min: 1_000, max: 6_000 }).map((n) => `${accountSid}:${'x'.repeat(n)}`),
    );
    const header = fc.oneof(
      credentials.map((c) => `Basic ${Buffer.from(c, 'utf8').toString('base64')}`),
      fc.constantFrom('', 'Basic', 'Basic ', 'Basic !!!', 'Bearer x', `basic ${Buffer.from(`${accountSid}:`).toString('base64')}`),
    );
    await fc.assert(
      fc.asyncProperty(header, async (authorization) => {
        const res = await fetch(`${api.url}/v2/Flows`, { headers: authorization ? { authorization } : {} });
        expect(res.status).toBe(401);
        expectTwilioError(await readBody(res), 401);
      }),
      { numRuns: 60 },
    );
  });

  it('REST starts with an invalid To or From give 400 (21211/21212) and start nothing (numRuns 80)', async () => {
    const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
    const invalid = fc.oneof(
      digits(1, 20), // no plus
      digits(1, 14).map((d) => `+0${d}`), // country code 0
      digits(16, 30).map((d) => `+${d}`), // over 15 digits
      fc.constant('+'),
      fc.stringMatching(/^[a-z][a-z ]{0,19}$/), // (blank is 20001: missing)
      digits(10, 11).map((d) => `+${d.slice(0, 3)} ${d.slice(3)}`), // spaces
      digits(10, 11).map((d) => `whatsapp:${d}`),
      fc.tuple(fc.constantFrom('tel', 'sms', 'constructor', '__proto__', 'toString', ''), digits(10, 11)).map(([p, d]) => `${p}:+${d}`),
    );
    const listed = async () => ((await (await api.request(`/v2/Flows/${flowSid}/Executions`)).json()) as { executions: unknown[] }).executions.length;
    const before = await listed();
    await fc.assert(
      fc.asyncProperty(invalid, fc.boolean(), async (address, asTo) => {
        const form = asTo ? { To: address, From: '+15005550006' } : { To: '+14155550100', From: address };
        const res = await api.request(`/v2/Flows/${flowSid}/Executions`, { method: 'POST', form });
        const body = await readBody(res);
        expect(res.status).toBe(400);
        expectTwilioError(body, 400);
        expect((body as { code: number }).code).toBe(asTo ? 21211 : 21212);
      }),
      { numRuns: 80 },
    );
    expect(await listed()).toBe(before);
  });

  it('a signed webhook whose From (or Author, ConversationSid) is over 300 bytes is refused (400, 81023), not a 500', async () => {
    // The addresses make the execution's workflow ID, which Temporal bounds (found by the property above).
    const cases: Array<Record<string, string>> = [{ From: 'v'.repeat(2_000) }, { From: `+1${'5'.repeat(150)}`, To: `+1${'5'.repeat(150)}` }, { EventType: 'onMessageAdded', ConversationSid: `CH${'a'.repeat(400)}`, Author: 'x' }];
    for (const extra of cases) {
      const params: Record<string, string> = { MessageSid: `SM${'c'.repeat(32)}`, From: '+14155550100', To: '+15005550006', Body: 'x', ...extra };
      const res = await post(webhook, new URLSearchParams(params), getExpectedTwilioSignature(api.account.authToken, webhook, params));
      expect({ extra: Object.keys(extra), status: res.status }).toEqual({ extra: Object.keys(extra), status: 400 });
      expect(await readBody(res)).toMatchObject({ code: 81023 });
    }
  });

  it('a signed webhook with more than 500 form parameters is refused (413, Twilio shape); 500 pass', async () => {
    const form = (n: number) => {
      const params = Object.fromEntries(Array.from({ length: n }, (_, i) => [`P${i}`, 'x']));
      return { params, signature: getExpectedTwilioSignature(api.account.authToken, webhook, params) };
    };
    const over = form(501);
    const refused = await post(webhook, new URLSearchParams(over.params), over.signature);
    expect(refused.status).toBe(413);
    expectTwilioError(await readBody(refused), 413);
    const fine = form(500);
    expect((await post(webhook, new URLSearchParams(fine.params), fine.signature)).status).toBeLessThan(500);
  });

  it('oversized bodies are refused (413/400, Twilio shape) and nothing is stored (numRuns 8)', async () => {
    const listFlows = async () => ((await (await api.request('/v2/Flows?PageSize=1000')).json()) as { flows: unknown[] }).flows.length;
    const before = await listFlows();
    const target = fc.constantFrom('flows', 'webhook');
    await fc.assert(
      fc.asyncProperty(target, fc.integer({ min: 4_200_000, max: 6_000_000 }), async (where, size) => {
        let res: Response;
        if (where === 'flows') {
          const definition = JSON.stringify(flowOf(triggerState({}), setVariablesState('v', [{ key: 'k', value: 'x'.repeat(size) }])));
          res = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'huge', Status: 'published', Definition: definition } });
        } else {
          const form: Form = { MessageSid: `SM${'b'.repeat(32)}`, From: '+14155550100', To: '+15005550006', Body: 'x'.repeat(size / 50) };
          res = await post(webhook, new URLSearchParams(form as Record<string, string>), getExpectedTwilioSignature(api.account.authToken, webhook, form));
        }
        expect([400, 413]).toContain(res.status);
        expectTwilioError(await readBody(res), res.status);
      }),
      { numRuns: 8 },
    );
    expect(await listFlows()).toBe(before);
  });
});
