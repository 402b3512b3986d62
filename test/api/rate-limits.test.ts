import type { FlowState } from '../../src/flow/definition';
import { DEFAULT_EXECUTION_LIMITS, ExecutionService } from '../../src/services/executions';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { openDatabase } from '../../src/store/database';
import { StoreRateBuckets } from '../../src/store/rate-buckets';
import { startTestApi, type TestApi } from '../helpers/api';
import { DIALECTS, freshDatabase } from '../helpers/databases';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { fakeClock } from '../helpers/clock';

const RATE = 3;
const limits = { execution: { ...DEFAULT_EXECUTION_LIMITS, maxNewRestExecutionsPerSecond: RATE, maxNewInboundExecutionsPerSecond: RATE } };

// With a fake clock (test/helpers/clock.ts) the buckets cannot refill in the middle of a burst.
describe.each(DIALECTS)('StoreRateBuckets on %s (fake clock)', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });
  const takes = async (buckets: StoreRateBuckets, account: string, n: number) => {
    const allowed: boolean[] = [];
    for (let i = 0; i < n; i++) allowed.push((await buckets.take(account)).allowed);
    return allowed;
  };
  const account = () => `AC${randomBytes(16).toString('hex')}`;

  it('allows a burst of the rate, then refuses with Retry-After, and refills with time', async () => {
    const clock = fakeClock();
    const buckets = new StoreRateBuckets(db.database, 'rest', 3, clock.now);
    const ac = account();
    expect(await takes(buckets, ac, 3)).toEqual([true, true, true]);
    expect(await buckets.take(ac)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(340); // a third of a second: one token back at 3/s
    expect(await takes(buckets, ac, 2)).toEqual([true, false]);
    clock.advance(10_000); // a long wait fills the bucket only up to the burst
    expect(await takes(buckets, ac, 4)).toEqual([true, true, true, false]);
  });

  it('keeps one bucket per account and kind', async () => {
    const clock = fakeClock();
    const rest = new StoreRateBuckets(db.database, 'rest', 1, clock.now);
    const inbound = new StoreRateBuckets(db.database, 'inbound', 1, clock.now);
    const [one, two] = [account(), account()];
    expect(await takes(rest, one, 2)).toEqual([true, false]);
    expect(await takes(rest, two, 1)).toEqual([true]);
    expect(await takes(inbound, one, 1)).toEqual([true]);
  });

  it('says Retry-After in whole seconds, at least 1', async () => {
    const clock = fakeClock();
    const slow = new StoreRateBuckets(db.database, 'rest', 1, clock.now);
    const ac = account();
    await slow.take(ac);
    expect(await slow.take(ac)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    clock.advance(100);
    expect(await slow.take(ac)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    const fast = new StoreRateBuckets(db.database, 'inbound', 100, clock.now);
    await takes(fast, ac, 100);
    expect(await fast.take(ac)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('takes refunds, never above the burst', async () => {
    const buckets = new StoreRateBuckets(db.database, 'rest', 2, fakeClock().now);
    const ac = account();
    await takes(buckets, ac, 2);
    await buckets.refund(ac);
    expect(await takes(buckets, ac, 2)).toEqual([true, false]);
    for (let i = 0; i < 3; i++) await buckets.refund(ac);
    expect(await takes(buckets, ac, 3)).toEqual([true, true, false]);
  });

  it('never refills twice for a clock that went back (another host a little behind)', async () => {
    const ahead = fakeClock(1_700_000_010_000);
    const behind = fakeClock(1_700_000_000_000);
    const first = new StoreRateBuckets(db.database, 'rest', 2, ahead.now);
    const second = new StoreRateBuckets(db.database, 'rest', 2, behind.now);
    const ac = account();
    expect(await takes(first, ac, 2)).toEqual([true, true]);
    behind.advance(5_000); // still 5 s behind the stored time: no refill
    expect(await takes(second, ac, 1)).toEqual([false]);
  });

  it('refuses a rate of 0', () => {
    expect(() => new StoreRateBuckets(db.database, 'rest', 0)).toThrow(/above 0/);
  });

  it('admits the rate once in total when two processes take at the same moment (two connections to one database)', async () => {
    // Two Database handles: two pools (PostgreSQL) or two SQLite connections, as two API processes have.
    const other = await openDatabase(db.url ? { databaseUrl: db.url, dataDir: os.tmpdir() } : { dataDir: db.dataDir! });
    try {
      const clock = fakeClock();
      const ac = account();
      const a = new StoreRateBuckets(db.database, 'inbound', 20, clock.now);
      const b = new StoreRateBuckets(other, 'inbound', 20, clock.now);
      const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? a : b).take(ac)));
      expect(results.filter((r) => r.allowed)).toHaveLength(20);
    } finally {
      await other.close();
    }
  });
});

async function publish(api: TestApi): Promise<{ sid: string }> {
  const definition = flowOf(triggerState({ incomingRequest: 'v' }), setVariablesState('v', []));
  const res = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'rest', Status: 'published', Definition: JSON.stringify(definition) } });
  expect(res.status).toBe(201);
  return (await res.json()) as { sid: string };
}

describe('rate of new REST-triggered executions', () => {
  let api: TestApi;
  const clock = fakeClock();
  beforeAll(async () => {
    api = await startTestApi({ limits, clock: clock.now });
  });
  afterAll(async () => {
    await api?.close();
  });

  const start = (flowSid: string, to: string) => api.request(`/v2/Flows/${flowSid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006' } });
  const listed = async (flowSid: string) => ((await (await api.request(`/v2/Flows/${flowSid}/Executions?PageSize=50`)).json()) as { executions: unknown[] }).executions.length;

  it('starts exactly `rate` executions in a burst, answers the rest 429 (20429) with Retry-After, and refills', async () => {
    const flow = await publish(api);
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => start(flow.sid, `+1415555${String(1000 + i)}`)));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
    for (const refused of responses.filter((r) => r.status === 429)) {
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number.isInteger(Number(refused.headers.get('retry-after')))).toBe(true);
      expect(await refused.json()).toEqual({ code: 20429, message: expect.stringMatching(/Too Many Requests/), more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 });
    }
    await eventually('3 executions listed', async () => ((await listed(flow.sid)) === RATE ? true : undefined));

    // A conflict (409) does not use up the rate: the token is given back.
    clock.advance(1_000);
    const started = responses.findIndex((r) => r.status === 201);
    expect((await start(flow.sid, `+1415555${String(1000 + started)}`)).status).toBe(409);
    const after = await Promise.all(Array.from({ length: 4 }, (_, i) => start(flow.sid, `+1415556${String(1000 + i)}`)));
    expect(after.map((r) => r.status).sort()).toEqual([201, 201, 201, 429]);
    await eventually('6 executions listed', async () => ((await listed(flow.sid)) === 2 * RATE ? true : undefined));
  });

  it('keeps the refusal until a token is back (real time)', async () => {
    const real = await startTestApi({ limits: { execution: { ...limits.execution, maxNewRestExecutionsPerSecond: 1 } } });
    try {
      const flow = await publish(real);
      const post = (to: string) => real.request(`/v2/Flows/${flow.sid}/Executions`, { method: 'POST', form: { To: to, From: '+15005550006' } });
      expect((await post('+14155557001')).status).toBe(201);
      const refused = await post('+14155557002');
      expect(refused.status).toBe(429);
      const wait = Number(refused.headers.get('retry-after'));
      expect(wait).toBe(1);
      await new Promise((r) => setTimeout(r, wait * 1000 + 50));
      expect((await post('+14155557002')).status).toBe(201);
    } finally {
      await real.close();
    }
  });
});

const ask: FlowState = {
  name: 'ask',
  type: 'send-and-wait-for-reply',
  properties: { from: '{{flow.channel.address}}', body: 'Your name?', timeout: '3600' },
  transitions: [{ event: 'incomingMessage', next: 'thanks' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
};
const thanks: FlowState = {
  name: 'thanks',
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: 'Thanks {{widgets.ask.inbound.Body}}' },
  transitions: [{ event: 'sent' }, { event: 'failed' }],
};

describe('rate of new inbound-triggered executions (signed webhook, real worker)', () => {
  let rig: MessagingRig;
  const clock = fakeClock();
  beforeAll(async () => {
    rig = await startMessagingRig({ limits, clock: clock.now });
  });
  afterAll(async () => {
    await rig?.close();
  });

  const outbound = async (contact: string) =>
    ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(contact)}`)).json()) as { messages: Array<{ direction: string; body: string }> }).messages
      .filter((m) => m.direction === 'outbound')
      .map((m) => m.body)
      .reverse();
  const running = async (flowSid: string, contact: string) => {
    try {
      await rig.t.client.workflow.getHandle(ExecutionService.workflowId(flowSid, contact)).describe();
      return true;
    } catch {
      return false;
    }
  };

  it('starts exactly `rate` executions from a burst of first messages, refuses the rest with 429, and still delivers replies', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'ask' }), ask, thanks));
    const contacts = Array.from({ length: 6 }, (_, i) => `+1415555${String(2000 + i)}`);
    const responses = await Promise.all(contacts.map((c) => rig.text(flow, c, 'hi')));
    const accepted = contacts.filter((_, i) => responses[i]!.status === 200);
    const refused = contacts.filter((_, i) => responses[i]!.status === 429);
    expect(accepted).toHaveLength(RATE);
    expect(refused).toHaveLength(contacts.length - RATE);
    for (const r of responses.filter((x) => x.status === 429)) {
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await r.json()).toMatchObject({ code: 20429, status: 429 });
    }
    for (const c of refused) expect(await running(flow, c)).toBe(false);
    for (const c of accepted) await eventually(`the question to ${c}`, async () => ((await outbound(c)).length === 1 ? true : undefined));

    // The bucket is empty (the clock has not moved), yet a reply to a waiting execution goes through.
    const reply = await rig.text(flow, accepted[0]!, 'Ada');
    expect(reply.status).toBe(200);
    expect(await eventually('the thanks', async () => ((await outbound(accepted[0]!)).length === 2 ? outbound(accepted[0]!) : undefined))).toEqual(['Your name?', 'Thanks Ada']);
    // …while another first message is still refused, and Twilio's retry of it (same MessageSid:
    // a refused message is not recorded as seen) is taken once the bucket refills.
    const messageSid = `SM${'a'.repeat(32)}`;
    expect((await rig.text(flow, refused[0]!, 'hi', messageSid)).status).toBe(429);
    clock.advance(1_000);
    expect((await rig.text(flow, refused[0]!, 'hi', messageSid)).status).toBe(200);
    await eventually(`the question to ${refused[0]!}`, async () => ((await outbound(refused[0]!)).length === 1 ? true : undefined));
    const listed = async () => ((await (await rig.api.request(`/v2/Flows/${flow}/Executions?PageSize=50`)).json()) as { executions: unknown[] }).executions.length;
    await eventually('4 executions listed', async () => ((await listed()) === RATE + 1 ? true : undefined));
  });
});
