import { performance } from 'node:perf_hooks';
import { WorkflowNotFoundError } from '@temporalio/client';
import { parseQuietHours } from '../../src/campaigns/quiet-hours';
import type { FlowDefinition } from '../../src/flow/definition';
import { FLOWTEST_ACCOUNT, startRig, type Rig } from '../../src/flowtest/rig';
import { newSid } from '../../src/sids';
import { contactsFromJson } from '../../src/services/campaign-contacts';
import { executionWorkflowId } from '../../src/services/execution-workflow-ids';
import type { Campaigns } from '../../src/store/campaigns';
import { campaignState, campaignWorkflow } from '../../workflows/campaign';
import { testServerPath } from '../helpers/flowtests';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { workflowBundle } from '../helpers/temporal';

const FROM = '+15005550006';
/** No DST, and an offset of 5:30: a window read in UTC (or on whole hours) would be wrong. */
const ZONE = 'Asia/Kolkata';
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const ACCOUNT = FLOWTEST_ACCOUNT.accountSid;

/** Each contact gets one message and the execution ends. */
const hello: FlowDefinition = flowOf(triggerState({ incomingRequest: 'hello' }), {
  name: 'hello',
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body: 'Hi {{flow.data.name}}' },
  transitions: [{ event: 'sent' }, { event: 'failed' }],
});

/** `HH:MM` of an instant on the local clock of `ZONE`. */
const hhmm = (at: number) => new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' }).format(at);
const floorMinute = (at: number) => at - (at % MINUTE_MS);

/**
 * Quiet hours on virtual time: the campaign workflow and its activities on Temporal's
 * time-skipping test server (the flow-test rig, with the campaign activities on its worker).
 * A campaign created inside its quiet window starts nobody until the window ends, then starts
 * every contact right after it; a window that opens while a campaign runs holds back the
 * contacts after it until it closes. Hours of workflow time pass in seconds of real time.
 */
describe('campaign quiet hours on virtual time', () => {
  let rig: Rig;
  let campaigns: Campaigns;
  let flowSid: string;
  let revision: number;
  const contact = (i: number) => `+1415555${String(i).padStart(4, '0')}`;

  beforeAll(async () => {
    rig = await startRig(await testServerPath(), { workflowBundle: await workflowBundle(), campaigns: true });
    campaigns = rig.campaigns!;
    const flow = await rig.flows.create(ACCOUNT, { friendlyName: 'hello', status: 'published', definition: JSON.stringify(hello) });
    flowSid = flow.sid;
    revision = flow.revision;
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
  });

  /** The test server's clock: the real time it started at plus every jump since. */
  const serverNow = () => rig.env.currentTimeMs();

  /** A campaign stored as the API stores one, and its workflow started on the rig's task queue. */
  async function campaign(contacts: number[], rate: number, quietHours: string) {
    const sid = newSid('CM');
    const rows = contacts.map((i) => ({ To: contact(i), name: `N${i}` }));
    await campaigns.create({ sid, account_sid: ACCOUNT, flow_sid: flowSid, revision, from_address: FROM, rate, quiet_hours: quietHours, time_zone: ZONE, created_by: ACCOUNT, date_created: Date.now() }, contactsFromJson(JSON.stringify(rows), 1_000));
    const workflowId = `campaign:${sid}`;
    await rig.client.workflow.start(campaignWorkflow, { args: [{ campaignSid: sid, rate, timeZone: ZONE, quietHours: parseQuietHours(quietHours)! }], taskQueue: rig.taskQueue, workflowId });
    // A plain client sees locked time; the environment's client lets time jump while it waits for the result.
    return { sid, handle: rig.client.workflow.getHandle(workflowId), skipToEnd: () => rig.env.client.workflow.getHandle(workflowId).result() };
  }
  const record = async (sid: string) => (await campaigns.get(ACCOUNT, flowSid, sid))!;
  /** When Temporal started the contact's execution (virtual time), or undefined when it never did. */
  const startedAt = async (i: number) => {
    try {
      return (await rig.client.workflow.getHandle(executionWorkflowId(flowSid, contact(i))).describe()).startTime.getTime();
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  };
  /**
   * Workflow time from `from` to the campaign's close, against the real time the test took. (The
   * server's clock itself is no measure once the result is in: idle before time is locked again,
   * it jumps on to the next timer of any workflow, years ahead.)
   */
  const report = async (what: string, handle: { describe(): Promise<{ closeTime?: Date }> }, from: number, realFrom: number) => {
    const virtualMs = (await handle.describe()).closeTime!.getTime() - from;
    const realMs = performance.now() - realFrom;
    console.log(`${what}: ${(virtualMs / HOUR_MS).toFixed(2)} virtual hours in ${(realMs / 1000).toFixed(1)} real seconds`);
    return virtualMs;
  };

  it('starts nobody inside the window, then every contact right after it ends', async () => {
    const real0 = performance.now();
    const now = await serverNow();
    // [now - 1h, now + 2h] on the local clock: the campaign is created inside it.
    const quietEnd = floorMinute(now) + 2 * HOUR_MS;
    const window = `${hhmm(now - HOUR_MS)}-${hhmm(quietEnd)}`;
    const { sid, handle, skipToEnd } = await campaign([0, 1, 2, 3, 4], 2, window);

    // (a) Quiet: the workflow waits for the window's end, and the list is untouched.
    const state = await eventually('the campaign is quiet', async () => {
      const s = await handle.query(campaignState);
      return s.state === 'quiet' ? s : undefined;
    });
    expect(state).toEqual({ state: 'quiet', quietUntil: new Date(quietEnd).toISOString() });
    expect((await record(sid)).counts).toMatchObject({ pending: 5, starting: 0, started: 0 });
    for (let i = 0; i < 5; i++) expect(await startedAt(i)).toBeUndefined();

    // (b) Time jumps to the window's end: the contacts start there, two a second.
    expect(await skipToEnd()).toBe('completed');
    expect(await record(sid)).toMatchObject({ status: 'completed', counts: { pending: 0, starting: 0, started: 5, skipped: 0, failed: 0 } });
    const starts = await Promise.all([0, 1, 2, 3, 4].map(startedAt));
    console.log('DEBUG', new Date(now).toISOString(), new Date(quietEnd).toISOString(), starts.map((x) => new Date(x!).toISOString()), new Date(await serverNow()).toISOString());
    for (const at of starts) {
      expect(at).toBeGreaterThanOrEqual(quietEnd);
      expect(at).toBeLessThan(quietEnd + 2 * MINUTE_MS);
    }
    // Two a second: the fifth contact is in the third batch, a second or more after the first.
    expect(starts[4]! - starts[0]!).toBeGreaterThanOrEqual(1_000);

    // (c) Hours of workflow time, seconds of real time.
    expect(await report('quiet from the start', handle, now, real0)).toBeGreaterThanOrEqual(2 * HOUR_MS - MINUTE_MS);
  }, 60_000);

  it('holds back the contacts after a window that opens while the campaign runs until it closes', async () => {
    const real0 = performance.now();
    const now = await serverNow();
    // A one-hour window from the next whole minute at least a minute ahead…
    const quietStart = floorMinute(now) + 2 * MINUTE_MS;
    const quietEnd = quietStart + HOUR_MS;
    // …and the campaign created three seconds before it opens, one contact a second.
    await rig.env.sleep(quietStart - 3_000 - now);
    const { sid, handle, skipToEnd } = await campaign([10, 11, 12, 13, 14, 15], 1, `${hhmm(quietStart)}-${hhmm(quietEnd)}`);

    // The window opens after some contacts have started: the campaign goes quiet until its end.
    const state = await eventually('the campaign is quiet', async () => {
      const s = await handle.query(campaignState);
      return s.state === 'quiet' ? s : undefined;
    });
    expect(state).toEqual({ state: 'quiet', quietUntil: new Date(quietEnd).toISOString() });
    const before = (await record(sid)).counts;
    expect(before.started).toBeGreaterThan(0);
    expect(before.pending).toBeGreaterThan(0);

    expect(await skipToEnd()).toBe('completed');
    expect((await record(sid)).counts).toMatchObject({ pending: 0, starting: 0, started: 6 });
    const starts = await Promise.all([10, 11, 12, 13, 14, 15].map(startedAt));
    // Nobody started inside the window: those before it, in list order, then the rest right after it.
    const early = starts.filter((at) => at! < quietStart);
    const late = starts.filter((at) => at! >= quietStart);
    expect(early.length).toBe(before.started);
    expect(starts.slice(0, early.length)).toEqual(early);
    for (const at of late) {
      expect(at).toBeGreaterThanOrEqual(quietEnd);
      expect(at).toBeLessThan(quietEnd + 2 * MINUTE_MS);
    }
    expect(await report('quiet window opening mid-campaign', handle, now, real0)).toBeGreaterThan(HOUR_MS);
  }, 60_000);
});
