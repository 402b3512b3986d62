import twilio from 'twilio';
import { performHttpRequest, type HttpDependencies } from '../../activities/http-request';
import type { HttpRequest } from '../../src/engine/effects';
import { egressAgent, refusal } from '../../src/net/egress';
import { startTestServer, type TestServer } from '../helpers/http-server';

const account = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'b'.repeat(32) };

function spec(url: string, overrides: Partial<HttpRequest> = {}): HttpRequest {
  return { widget: 'w', method: 'GET', url, headers: {}, timeoutMs: 2_000, maxResponseBytes: 1024, maxRedirects: 3, ...overrides };
}

describe('the HTTP activity against a real local server', () => {
  let server: TestServer;
  let open: HttpDependencies;
  let strict: HttpDependencies;
  beforeAll(async () => {
    server = await startTestServer(async (req, res) => {
      const path = req.url.split('?')[0];
      if (path === '/json') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      if (path === '/slow') return void setTimeout(() => res.writeHead(200).end('late'), 1_500);
      if (path === '/big') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5_000));
      if (path === '/redirect') return void res.writeHead(302, { location: '/json' }).end();
      if (path === '/see-other') return void res.writeHead(303, { location: '/echo' }).end();
      if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
      if (path === '/to-metadata') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
      if (path === '/echo') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, body: req.body }));
      if (path === '/error') return void res.writeHead(500, { 'content-type': 'text/plain' }).end('nope');
      if (path === '/function') return void res.writeHead(200, { 'content-type': 'text/plain', 'x-twilio-function-concurrency': '2', 'x-other': 'y' }).end('ok');
      await Promise.resolve();
      res.writeHead(404).end();
    });
    open = { dispatcher: egressAgent({ blockPrivate: false }, 1_000), account };
    strict = { dispatcher: egressAgent({ blockPrivate: true }, 1_000), account };
  });
  afterAll(async () => {
    await server.close();
    await open.dispatcher.close();
    await strict.dispatcher.close();
  });

  it('returns status, content type and body of any response', async () => {
    expect(await performHttpRequest(open, spec(`${server.url}/json`))).toEqual({ ok: true, status: 200, contentType: 'application/json', body: '{"ok":true}' });
    expect(await performHttpRequest(open, spec(`${server.url}/error`))).toEqual({ ok: true, status: 500, contentType: 'text/plain', body: 'nope' });
  });

  it('hands back only the response headers asked for (Run Function: x-twilio-function-concurrency)', async () => {
    const keepHeaders = ['x-twilio-function-concurrency'];
    expect(await performHttpRequest(open, spec(`${server.url}/function`, { keepHeaders }))).toEqual({ ok: true, status: 200, contentType: 'text/plain', body: 'ok', headers: { 'x-twilio-function-concurrency': '2' } });
    expect(await performHttpRequest(open, spec(`${server.url}/json`, { keepHeaders }))).toEqual({ ok: true, status: 200, contentType: 'application/json', body: '{"ok":true}', headers: {} });
  });

  it('gives up after the time limit', async () => {
    // The target answers 200 later: a timeout result means the call did not wait for it.
    expect(await performHttpRequest(open, spec(`${server.url}/slow`, { timeoutMs: 300 }))).toMatchObject({ ok: false, code: 'http:timeout' });
  });

  it('refuses a body over the size limit', async () => {
    expect(await performHttpRequest(open, spec(`${server.url}/big`, { maxResponseBytes: 4_096 }))).toMatchObject({ ok: false, code: 'http:too-large' });
  });

  it('follows redirects, turns a 303 into a GET, and stops after the limit', async () => {
    expect(await performHttpRequest(open, spec(`${server.url}/redirect`))).toMatchObject({ ok: true, status: 200, body: '{"ok":true}' });
    const seeOther = await performHttpRequest(open, spec(`${server.url}/see-other`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    expect(seeOther).toMatchObject({ ok: true, body: JSON.stringify({ method: 'GET', body: '' }) });
    expect(await performHttpRequest(open, spec(`${server.url}/loop`))).toMatchObject({ ok: false, code: 'http:redirects' });
  });

  it('signs requests like Studio, so receivers can use twilio.validateRequest', async () => {
    const body = 'From=%2B14155551234&Body=hi';
    await performHttpRequest(open, spec(`${server.url}/echo?x=1`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    const received = server.requests.at(-1)!;
    const params = Object.fromEntries(new URLSearchParams(body));
    expect(twilio.validateRequest(account.authToken, String(received.headers['x-twilio-signature']), `${server.url}/echo?x=1`, params)).toBe(true);
  });

  it('sends Basic credentials from the URL, or the account with add_twilio_auth', async () => {
    await performHttpRequest(open, spec(`http://user:p%40ss@127.0.0.1:${server.port}/echo`));
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from('user:p@ss').toString('base64')}`);
    await performHttpRequest(open, spec(`${server.url}/echo`, { twilioAuth: true }));
    expect(server.requests.at(-1)!.headers.authorization).toBe(`Basic ${Buffer.from(`${account.accountSid}:${account.authToken}`).toString('base64')}`);
  });

  describe('egress policy', () => {
    it('always refuses link-local and cloud metadata addresses, before connecting', async () => {
      for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://0.0.0.0:1/', 'http://[::ffff:169.254.169.254]/']) {
        expect({ url, result: await performHttpRequest(open, spec(url)) }).toMatchObject({ url, result: { ok: false, code: 'http:blocked' } });
      }
    });

    it('refuses a redirect into a refused range', async () => {
      expect(await performHttpRequest(open, spec(`${server.url}/to-metadata`))).toMatchObject({ ok: false, code: 'http:blocked' });
    });

    it('with HTTP_BLOCK_PRIVATE refuses loopback by IP and by name, and private ranges', async () => {
      expect(await performHttpRequest(strict, spec(`${server.url}/json`))).toMatchObject({ ok: false, code: 'http:blocked' });
      expect(await performHttpRequest(strict, spec(`http://localhost:${server.port}/json`))).toMatchObject({ ok: false, code: 'http:blocked' });
      expect(await performHttpRequest(strict, spec(`http://2130706433:${server.port}/json`))).toMatchObject({ ok: false, code: 'http:blocked' });
    });

    it.each([
      ['127.0.0.1', false, undefined],
      ['127.0.0.1', true, 'loopback'],
      ['10.1.2.3', true, 'private'],
      ['100.64.0.1', true, 'carrierGradeNat'],
      ['fd12::1', true, 'uniqueLocal'],
      ['169.254.169.254', false, 'linkLocal'],
      ['100.100.100.200', false, 'cloud metadata'],
      ['fd00:ec2::254', false, 'cloud metadata'],
      ['224.0.0.1', false, 'multicast'],
      ['8.8.8.8', true, undefined],
      ['2001:4860:4860::8888', true, undefined],
    ])('%s with blockPrivate=%s → %s', (address, blockPrivate, expected) => {
      expect(refusal(address, { blockPrivate })).toBe(expected);
    });
  });
});
