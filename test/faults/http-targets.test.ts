import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { Client, Connection } from '@temporalio/client';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import type { flowExecution } from '../../workflows/flow-execution';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { useStudio, type Studio } from '../helpers/studio-processes';
import { recordFigures } from './fault-kit';

/**
 * F6 and F7: Make HTTP Request against hostile targets, on the real API and worker processes.
 * F6: slow, trickling, failing, resetting, oversized, compressed and redirecting targets all
 * end the widget on its `failed` transition with a named error code (never a hang, never an
 * unbounded read), and the worker's slots are free again afterwards.
 * F7: with HTTP_BLOCK_PRIVATE=true, every spelling of a loopback, unspecified or metadata
 * address (and every non-http scheme) is refused at runtime, and a canary listening on all
 * interfaces sees no connection at all.
 */

/** Trigger (REST) → `http` (URL from the REST Parameters) → `ok` / `ko` set-variables. */
function httpFlow(url = '{{flow.data.url}}'): FlowDefinition {
  const http: FlowState = {
    name: 'http',
    type: 'make-http-request',
    properties: { method: 'GET', url, content_type: 'application/x-www-form-urlencoded;charset=utf-8' },
    transitions: [
      { event: 'success', next: 'ok' },
      { event: 'failed', next: 'ko' },
    ],
  };
  const outputs = (branch: string) => [
    { key: 'branch', value: branch },
    { key: 'status', value: '{{widgets.http.status_code}}' },
    { key: 'bodyLength', value: '{{widgets.http.body | size}}' },
  ];
  return flowOf(triggerState({ incomingRequest: 'http' }), http, setVariablesState('ok', outputs('success')), setVariablesState('ko', outputs('failed')));
}

interface Outcome {
  readonly branch: string;
  /** Set Variables stores a rendered number as a number (Studio's value types). */
  readonly status: number | '';
  readonly bodyLength: number | '';
  /** The `http` step's event and error, from the workflow's result (the REST steps do not carry the error). */
  readonly event: string | undefined;
  readonly code: string | undefined;
  readonly message: string | undefined;
}

let contactSeq = 0;
/** A To number no other execution of the test run uses. */
const nextContact = () => `+1415555${String(3000 + contactSeq++).padStart(4, '0')}`;

async function publish(studio: Studio, friendlyName: string, definition: FlowDefinition): Promise<string> {
  return (await studio.client.studio.v2.flows.create({ friendlyName, status: 'published', definition })).sid;
}

/** Starts a REST execution of `flow` with `url` as flow.data.url, waits for it to end and reads what the widget did. */
async function run(studio: Studio, temporal: () => Client, flow: string, url: string): Promise<Outcome> {
  const to = nextContact();
  const execution = await studio.client.studio.v2.flows(flow).executions.create({ to, from: '+15005550006', parameters: { url } });
  await eventually(`execution for ${url} to end`, async () => ((await studio.client.studio.v2.flows(flow).executions(execution.sid).fetch()).status === 'ended' ? true : undefined), 90_000);
  const context = (await studio.client.studio.v2.flows(flow).executions(execution.sid).executionContext().fetch()).context as { flow?: { variables?: Record<string, string | number> } };
  const variables = context.flow?.variables ?? {};
  const result = await temporal().workflow.getHandle<typeof flowExecution>(ExecutionService.workflowId(flow, to)).result();
  const step = result.state.steps.find((s) => s.transitioned_from === 'http');
  return {
    branch: String(variables.branch ?? '(none)'),
    status: (variables.status as number | undefined) ?? '',
    bodyLength: (variables.bodyLength as number | undefined) ?? '',
    event: step?.name,
    code: step?.error?.code,
    message: step?.error?.message,
  };
}

/** A TCP listener on every interface (dual-stack `::` when the host has IPv6) that counts connections. */
async function startCanary(): Promise<{ port: number; dualStack: boolean; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\ncanary');
  });
  let dualStack = true;
  await new Promise<void>((resolve, reject) => {
    server.once('error', () => {
      dualStack = false;
      // No IPv6 on this host: IPv4 on every interface.
      server.once('error', reject);
      server.listen(0, '0.0.0.0', resolve);
    });
    server.listen({ port: 0, host: '::', ipv6Only: false }, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    dualStack,
    connections: () => count,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function useTemporal(): () => Client {
  let connection: Connection | undefined;
  let client: Client | undefined;
  beforeAll(async () => {
    connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS });
    client = new Client({ connection, namespace: 'default' });
  });
  afterAll(async () => {
    await connection?.close();
  });
  return () => client!;
}

describe('F6: slow, failing, oversized and redirecting HTTP targets', () => {
  const studio = useStudio('local', () => ({ env: { LIMIT_HTTP_TIMEOUT_MS: '2000' } }));
  const temporal = useTemporal();
  let target: http.Server;
  let base: string;
  let canary: Awaited<ReturnType<typeof startCanary>>;
  let flow: string;
  let gzipBomb: Buffer;
  const timers = new Set<NodeJS.Timeout>();
  /** Requests to /slow and /trickle whose socket the client has closed. */
  let slowStarted = 0;
  let slowClosed = 0;

  beforeAll(async () => {
    gzipBomb = zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024), { level: 9 });
    canary = await startCanary();
    target = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const later = (ms: number, fn: () => void) => {
        const t = setTimeout(() => {
          timers.delete(t);
          fn();
        }, ms);
        timers.add(t);
      };
      switch (path) {
        case '/ok':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
          return;
        case '/slow':
          slowStarted++;
          req.socket.on('close', () => slowClosed++);
          later(30_000, () => res.writeHead(200, { 'content-type': 'text/plain' }).end('too late'));
          return;
        case '/trickle': {
          slowStarted++;
          req.socket.on('close', () => slowClosed++);
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '60' });
          let sent = 0;
          const drip = () => {
            if (res.destroyed || sent >= 60) return;
            res.write('x');
            sent++;
            later(1_000, drip);
          };
          drip();
          return;
        }
        case '/500':
          res.writeHead(500, { 'content-type': 'text/plain' }).end('boom');
          return;
        case '/reset':
          req.socket.destroy();
          return;
        case '/bad-json':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"not": json');
          return;
        case '/big': {
          const body = Buffer.alloc(5 * 1024 * 1024, 'a');
          res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(body.length) });
          res.on('error', () => undefined);
          res.end(body);
          return;
        }
        case '/gzip':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': String(gzipBomb.length) });
          res.end(gzipBomb);
          return;
        case '/loop':
          res.writeHead(302, { location: '/loop' }).end();
          return;
        case '/to-unspecified':
          res.writeHead(302, { location: `http://0.0.0.0:${canary.port}/` }).end();
          return;
        default:
          res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(target.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const t of timers) clearTimeout(t);
    target.closeAllConnections();
    await new Promise((resolve) => target.close(resolve));
    await canary.close();
  });

  const outcomes: Record<string, Outcome> = {};
  const failedWith = (o: Outcome, code: string) => expect(o).toMatchObject({ branch: 'failed', event: 'failed', code });

  it('publishes the flow and a fast target succeeds', async () => {
    flow = await publish(studio(), 'f6-http-targets', httpFlow());
    outcomes.ok = await run(studio(), temporal, flow, `${base}/ok`);
    expect(outcomes.ok).toMatchObject({ branch: 'success', event: 'success', status: 200, code: undefined });
  }, 120_000);

  it('slow and trickling targets fail with http:timeout, and their sockets are closed', async () => {
    // Several at once, more than one per core: each must give up on its own limit.
    const started = performance.now();
    const slow = await Promise.all([
      ...Array.from({ length: 4 }, () => run(studio(), temporal, flow, `${base}/slow`)),
      ...Array.from({ length: 2 }, () => run(studio(), temporal, flow, `${base}/trickle`)),
    ]);
    const ms = Math.round(performance.now() - started);
    for (const o of slow) {
      failedWith(o, 'http:timeout');
      expect(o.status).toBe('');
    }
    outcomes.slow = slow[0]!;
    outcomes.trickle = slow[5]!;
    // The worker hung up on every one of them (nothing left open until the target gives up).
    await eventually('every slow socket closed by the worker', () => (slowClosed === slowStarted && slowStarted === 6 ? true : undefined), 30_000);
    recordFigures('F6', { case: 'slow+trickle', executions: slow.length, allEndedMs: ms });
  }, 180_000);

  it('after the slow targets the worker has free slots: a fast target completes', async () => {
    const again = await Promise.all(Array.from({ length: 3 }, () => run(studio(), temporal, flow, `${base}/ok`)));
    for (const o of again) expect(o).toMatchObject({ branch: 'success', event: 'success', status: 200 });
  }, 120_000);

  it('a 500 takes the failed branch and keeps the status (http:status)', async () => {
    outcomes.status500 = await run(studio(), temporal, flow, `${base}/500`);
    expect(outcomes.status500).toMatchObject({ branch: 'failed', event: 'failed', code: 'http:status', status: 500 });
  }, 120_000);

  it('a connection reset fails with http:network', async () => {
    outcomes.reset = await run(studio(), temporal, flow, `${base}/reset`);
    failedWith(outcomes.reset, 'http:network');
    expect(outcomes.reset.status).toBe('');
  }, 120_000);

  it('invalid JSON served as application/json fails with http:invalid-json', async () => {
    outcomes.badJson = await run(studio(), temporal, flow, `${base}/bad-json`);
    expect(outcomes.badJson).toMatchObject({ branch: 'failed', event: 'failed', code: 'http:invalid-json', status: 200 });
  }, 120_000);

  it('a 5 MB body fails with http:too-large', async () => {
    outcomes.big = await run(studio(), temporal, flow, `${base}/big`);
    failedWith(outcomes.big, 'http:too-large');
  }, 120_000);

  it('a gzip bomb (50 MB of zeros) is never inflated', async () => {
    outcomes.gzip = await run(studio(), temporal, flow, `${base}/gzip`);
    // Make HTTP Request does not decode content-encoding: the compressed bytes (under the limit)
    // are the body. What matters: nothing near 50 MB was inflated into the execution.
    expect(gzipBomb.length).toBeLessThan(65_536);
    expect(outcomes.gzip.branch).toBe('success');
    expect(Number(outcomes.gzip.bodyLength)).toBeLessThanOrEqual(gzipBomb.length);
    expect(Number(outcomes.gzip.bodyLength)).toBeGreaterThan(0);
  }, 120_000);

  it('a redirect loop fails with http:redirects', async () => {
    outcomes.loop = await run(studio(), temporal, flow, `${base}/loop`);
    failedWith(outcomes.loop, 'http:redirects');
  }, 120_000);

  it('a redirect to 0.0.0.0 fails with http:blocked and never reaches the canary', async () => {
    outcomes.toUnspecified = await run(studio(), temporal, flow, `${base}/to-unspecified`);
    failedWith(outcomes.toUnspecified, 'http:blocked');
    expect(canary.connections()).toBe(0);
    recordFigures('F6', {
      cases: Object.keys(outcomes).length,
      failedNamed: Object.values(outcomes).filter((o) => o.branch === 'failed' && o.code).length,
      gzipCompressedBytes: gzipBomb.length,
      gzipBodyChars: outcomes.gzip?.bodyLength ?? '',
      canaryConnections: canary.connections(),
    });
  }, 120_000);
});

describe('F7: SSRF canary with HTTP_BLOCK_PRIVATE=true', () => {
  const studio = useStudio('local', () => ({ env: { HTTP_BLOCK_PRIVATE: 'true' } }));
  const temporal = useTemporal();
  let canary: Awaited<ReturnType<typeof startCanary>>;
  /** Connections the test itself made to prove the canary counts (the flows must add none). */
  let own = 0;
  beforeAll(async () => {
    canary = await startCanary();
  });

  it('the canary counts connections on IPv4 loopback (and IPv6 loopback when dual-stack)', async () => {
    const hosts = canary.dualStack ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
    for (const host of hosts) {
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(canary.port, host, () => socket.end());
        socket.resume(); // read the canary's answer, so the socket can close
        socket.on('close', () => resolve());
        socket.on('error', reject);
      });
      own++;
    }
    await eventually('the canary to count the test\'s own connections', () => (canary.connections() === own ? true : undefined));
  });
  afterAll(async () => {
    await canary.close();
  });

  const forms = (p: number): Array<[string, string]> => [
    [`http://127.0.0.1:${p}/`, 'http:blocked'],
    [`http://localhost:${p}/`, 'http:blocked'],
    [`http://2130706433:${p}/`, 'http:blocked'],
    [`http://0x7f000001:${p}/`, 'http:blocked'],
    [`http://0177.0.0.1:${p}/`, 'http:blocked'],
    [`http://127.1:${p}/`, 'http:blocked'],
    [`http://[::1]:${p}/`, 'http:blocked'],
    [`http://[::ffff:127.0.0.1]:${p}/`, 'http:blocked'],
    [`http://0.0.0.0:${p}/`, 'http:blocked'],
    [`http://[::]:${p}/`, 'http:blocked'],
    ['http://169.254.169.254/latest/meta-data/', 'http:blocked'],
    ['file:///etc/passwd', 'http:invalid-url'],
    [`gopher://127.0.0.1:${p}/`, 'http:invalid-url'],
    [`http://user:pass@127.0.0.1:${p}/`, 'http:blocked'],
  ];

  it('every loopback, unspecified and metadata spelling fails with a named code and the canary sees no connection', async () => {
    const flow = await publish(studio(), 'f7-ssrf', httpFlow());
    const results: Array<{ url: string; outcome: Outcome }> = [];
    for (const [url] of forms(canary.port)) results.push({ url, outcome: await run(studio(), temporal, flow, url) });
    for (const [i, [url, code]] of forms(canary.port).entries()) {
      expect({ url, ...results[i]!.outcome }).toMatchObject({ url, branch: 'failed', event: 'failed', code });
    }
    expect(canary.connections() - own).toBe(0);
    recordFigures('F7', {
      forms: results.length,
      refused: results.filter((r) => r.outcome.branch === 'failed' && r.outcome.code).length,
      canaryDualStack: String(canary.dualStack),
      canaryConnections: canary.connections() - own,
    });
  }, 300_000);

  it('a literal file:// URL is refused at publish time (400) or fails at runtime with http:invalid-url', async () => {
    let sid: string | undefined;
    try {
      sid = await publish(studio(), 'f7-file', httpFlow('file:///etc/passwd'));
    } catch (err) {
      expect((err as { status?: number }).status).toBe(400);
    }
    if (sid) {
      const outcome = await run(studio(), temporal, sid, 'unused');
      expect(outcome).toMatchObject({ branch: 'failed', event: 'failed', code: 'http:invalid-url' });
    }
    recordFigures('F7', { literalFileUrl: sid ? 'published; failed at runtime' : 'refused at publish (400)' });
    expect(canary.connections() - own).toBe(0);
  }, 120_000);
});
