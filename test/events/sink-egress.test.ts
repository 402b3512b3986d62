import { Writable } from 'node:stream';
import { sinkTestCloudEvent } from '../../src/events/cloudevent';
import { EventDispatcher } from '../../src/events/dispatcher';
import { DEFAULT_SINK_LIMITS } from '../../src/limits/sinks';
import { createLogger } from '../../src/logger';
import { egressAgent } from '../../src/net/egress';
import { createMetrics, type Metrics } from '../../src/observability/metrics';
import type { Database } from '../../src/store/database';
import { EventOutbox } from '../../src/store/event-outbox';
import { EventSinks } from '../../src/store/event-sinks';
import { newSid } from '../../src/sids';
import { freshDatabase } from '../helpers/databases';
import { startTestServer, type TestServer } from '../helpers/http-server';
import { sinkConfigurationTakesFlow } from '../../src/events/sink-config';

const ACCOUNT = `AC${'c'.repeat(32)}`;

/**
 * A sink whose destination the egress policy refuses when events are delivered (a name that
 * resolves into a refused range, or a literal stored before creation refused it): delivery
 * gives up on it at once instead of retrying until retention drops the events.
 */
describe('event delivery to a destination the egress policy refuses', () => {
  let db: { database: Database; drop: () => Promise<void> };
  let sinks: EventSinks;
  let outbox: EventOutbox;
  let server: TestServer;
  let metrics: Metrics;
  const logged: Record<string, unknown>[] = [];
  const agent = egressAgent({ blockPrivate: true }, 2_000);
  let dispatcher: EventDispatcher;

  beforeAll(async () => {
    db = await freshDatabase('sqlite');
    sinks = new EventSinks(db.database);
    outbox = new EventOutbox(db.database, sinkConfigurationTakesFlow);
    server = await startTestServer((_req, res) => void res.writeHead(200).end());
    metrics = createMetrics({ processMetrics: false });
    const lines = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logged.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        done();
      },
    });
    dispatcher = new EventDispatcher({
      outbox,
      authToken: 'd'.repeat(32),
      agent,
      limits: { ...DEFAULT_SINK_LIMITS, retryInitialMs: 1, retryMaxMs: 1 },
      retentionMs: 24 * 60 * 60 * 1000,
      logger: createLogger('info', 'test', lines),
      metrics,
    });
  });
  afterAll(async () => {
    await agent.close();
    await server?.close();
    await db?.drop();
  });

  /** An active sink at `destination` with one test event owed to it. */
  async function sinkOwed(destination: string): Promise<string> {
    const sid = newSid('DG');
    const at = new Date().toISOString();
    await sinks.createSink({ sid, accountSid: ACCOUNT, description: destination, sinkType: 'webhook', configuration: { destination, method: 'POST', batch_events: true }, status: 'active', dateCreated: at });
    await outbox.recordFor(sid, (sequence) => ({ accountSid: ACCOUNT, stream: sid, sequence, flowSid: null, envelope: sinkTestCloudEvent(ACCOUNT, sid, sequence, 'test', at) }));
    return sid;
  }

  const counted = async (sinkSid: string, outcome: string) =>
    (await metrics.sinkDeliveries.get()).values.find((v) => v.labels.sink === sinkSid && v.labels.outcome === outcome)?.value ?? 0;

  it('marks the sink failed, drops what it was owed, and says why in the log and the metrics', async () => {
    // HTTP_BLOCK_PRIVATE: `localhost` resolves to loopback, where a server would answer.
    const byName = await sinkOwed(`http://localhost:${server.port}/events`);
    const literal = await sinkOwed('http://169.254.169.254/latest/meta-data/');
    // An ordinary failure (the name does not resolve) is still retried.
    const unresolvable = await sinkOwed('http://no-such-host.invalid/events');

    await dispatcher.deliverOnce();
    expect(server.requests).toEqual([]);
    for (const [sid, address] of [[byName, 'localhost (127.0.0.1)'], [literal, '169.254.169.254']] as const) {
      expect((await sinks.sink(ACCOUNT, sid))?.status).toBe('failed');
      expect((await outbox.backlog()).get(sid) ?? 0).toBe(0);
      expect(await counted(sid, 'refused')).toBe(1);
      expect(logged).toContainEqual(
        expect.objectContaining({ level: 50, sink_sid: sid, dropped_events: 1, problem: expect.stringContaining(`${address} is not reachable`), msg: expect.stringMatching(/refused by the egress policy.*marked failed/) }),
      );
    }
    expect((await sinks.sink(ACCOUNT, unresolvable))?.status).toBe('active');
    expect((await outbox.backlog()).get(unresolvable)).toBe(1);
    expect(await counted(unresolvable, 'failed')).toBe(1);

    // Later rounds do not try the refused sinks again; the unresolvable one is retried.
    await new Promise((r) => setTimeout(r, 5));
    await dispatcher.deliverOnce();
    expect(await counted(byName, 'refused')).toBe(1);
    expect(await counted(unresolvable, 'failed')).toBe(2);
  });
});
