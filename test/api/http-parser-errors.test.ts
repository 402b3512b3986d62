import net from 'node:net';
import express from 'express';
import { startHttpServer, type HttpServer } from '../../src/api/server';

/** Raw bytes over one connection; resolves with everything the server wrote before closing. */
function exchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.end(request));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function parse(raw: string): { status: number; body: unknown } {
  const [head, body] = raw.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]), body: JSON.parse(body ?? '') as unknown };
}

/** What Node's HTTP parser refuses never reaches the app, yet gets Twilio's error shape. */
describe('requests the HTTP parser refuses', () => {
  let server: HttpServer;
  beforeAll(async () => {
    const app = express().get('/ok', (_req, res) => void res.json({ ok: true }));
    server = await startHttpServer(app, '127.0.0.1', 0, { limits: { maxHeaderBytes: 4_096 } });
  });
  afterAll(() => server?.close());

  it('answers a request line over LIMIT_MAX_HEADER_BYTES 431 in Twilio shape', async () => {
    const res = await fetch(`${server.url}/ok?q=${'a'.repeat(5_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({
      code: 20431,
      message: expect.stringContaining('LIMIT_MAX_HEADER_BYTES'),
      more_info: 'https://www.twilio.com/docs/errors/20431',
      status: 431,
    });
    // Just under the limit still reaches the app.
    expect((await fetch(`${server.url}/ok?q=${'a'.repeat(3_000)}`)).status).toBe(200);
  });

  it('answers bytes that are not HTTP 400 in Twilio shape', async () => {
    const answer = parse(await exchange(server.url, 'GET /ok HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n'));
    expect(answer).toEqual({ status: 400, body: { code: 20400, message: expect.stringContaining('not valid HTTP'), more_info: 'https://www.twilio.com/docs/errors/20400', status: 400 } });
  });
});
