import os from 'node:os';
import { openDatabase } from '../../src/store/database';
import { InboundWebhooks } from '../../src/store/inbound-webhooks';
import { DIALECTS, freshDatabase } from '../helpers/databases';
import { fakeClock } from '../helpers/clock';

const settings = { keepMs: 24 * 3600_000, leaseMs: 30_000, waitMs: 0 };
let counter = 0;
const sid = () => `SM${String(++counter).padStart(32, '0')}`;

describe.each(DIALECTS)('inbound webhooks: claims on %s', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('claims a new MessageSid once; it is in progress until taken, then a duplicate', async () => {
    const inbound = new InboundWebhooks(db.database, settings);
    const m = sid();
    expect(await inbound.claim(m, 'FW1')).toBe('claimed');
    expect(await inbound.claim(m, 'FW1')).toBe('in-progress');
    await inbound.taken(m);
    expect(await inbound.claim(m, 'FW1')).toBe('taken');
  });

  it('a released claim (delivery failed) is claimed again by the retry; a taken one is never released', async () => {
    const inbound = new InboundWebhooks(db.database, settings);
    const m = sid();
    await inbound.claim(m, 'FW1');
    await inbound.release(m);
    expect(await inbound.claim(m, 'FW1')).toBe('claimed');
    await inbound.taken(m);
    await inbound.release(m);
    expect(await inbound.claim(m, 'FW1')).toBe('taken');
  });

  it('an abandoned claim (delivery may have happened) is taken over by the very next retry, once; a taken one stays taken', async () => {
    const inbound = new InboundWebhooks(db.database, settings);
    const m = sid();
    await inbound.claim(m, 'FW1');
    await inbound.abandon(m);
    expect(await inbound.claim(m, 'FW1')).toBe('taken-over');
    expect(await inbound.claim(m, 'FW1')).toBe('in-progress');
    await inbound.taken(m);
    await inbound.abandon(m);
    expect(await inbound.claim(m, 'FW1')).toBe('taken');
  });

  it('an abandoned claim outlives the clean-up of old messages: its retry takes it over, never claims it afresh', async () => {
    // Cleaning up after another message once deleted an abandoned claim (marked with the epoch),
    // and the retry, finding nothing, started a second execution for a message already delivered.
    const inbound = new InboundWebhooks(db.database, settings);
    const m = sid();
    await inbound.claim(m, 'FW1');
    await inbound.abandon(m);
    const other = sid();
    await inbound.claim(other, 'FW1');
    await inbound.taken(other);
    expect(await inbound.claim(m, 'FW1')).toBe('taken-over');
  });

  it('takes over a claim older than the lease (its process died), once', async () => {
    const clock = fakeClock();
    const inbound = new InboundWebhooks(db.database, settings, clock.now);
    const m = sid();
    expect(await inbound.claim(m, 'FW1')).toBe('claimed');
    clock.advance(settings.leaseMs - 1);
    expect(await inbound.claim(m, 'FW1')).toBe('in-progress');
    clock.advance(2);
    expect(await inbound.claim(m, 'FW1')).toBe('taken-over');
    expect(await inbound.claim(m, 'FW1')).toBe('in-progress');
  });

  it('a duplicate waits for the claim to end, up to waitMs', async () => {
    const inbound = new InboundWebhooks(db.database, { ...settings, waitMs: 5_000 });
    const m = sid();
    await inbound.claim(m, 'FW1');
    const waiting = inbound.claim(m, 'FW1');
    setTimeout(() => void inbound.taken(m), 300);
    expect(await waiting).toBe('taken');
    const quick = new InboundWebhooks(db.database, { ...settings, waitMs: 300 });
    const n = sid();
    await quick.claim(n, 'FW1');
    expect(await quick.claim(n, 'FW1')).toBe('in-progress');
  });

  it('of 20 concurrent claims over two connections (two API processes) exactly one wins', async () => {
    const other = await openDatabase(db.url ? { databaseUrl: db.url, dataDir: os.tmpdir() } : { dataDir: db.dataDir! });
    try {
      const a = new InboundWebhooks(db.database, settings);
      const b = new InboundWebhooks(other, settings);
      const m = sid();
      const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).claim(m, 'FW1')));
      expect(claims.filter((c) => c === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c === 'in-progress')).toHaveLength(19);
    } finally {
      await other.close();
    }
  });

  it('forgets taken messages after keepMs', async () => {
    const clock = fakeClock();
    const inbound = new InboundWebhooks(db.database, settings, clock.now);
    const old = sid();
    await inbound.claim(old, 'FW1');
    await inbound.taken(old);
    clock.advance(settings.keepMs + 1);
    const fresh = sid();
    await inbound.claim(fresh, 'FW1');
    await inbound.taken(fresh);
    expect(await inbound.claim(old, 'FW1')).toBe('claimed');
  });
});
