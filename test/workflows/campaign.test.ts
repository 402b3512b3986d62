import type { FlowDefinition } from '../../src/flow/definition';
import { newSid } from '../../src/sids';
import { contactsFromJson } from '../../src/services/campaign-contacts';
import { ExecutionCommands, restExecutionTrigger } from '../../src/services/execution-commands';
import { RecentStarts } from '../../src/services/recent-starts';
import { Campaigns } from '../../src/store/campaigns';
import { ExecutionTombstones } from '../../src/store/execution-tombstones';
import { campaignState, campaignWorkflow, cancelCampaign, pauseCampaign, resumeCampaign, type CampaignInput } from '../../workflows/campaign';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { startTemporalTestContext, TEST_ACCOUNT, type TemporalTestContext } from '../helpers/temporal';

const FROM = '+15005550006';
/** Each contact is asked a question and waits: its execution stays active, so a second start would conflict. */
const survey: FlowDefinition = flowOf(triggerState({ incomingRequest: 'ask' }), {
  name: 'ask',
  type: 'send-and-wait-for-reply',
  properties: { from: FROM, body: 'Hi {{flow.data.name}}, how was it?', timeout: '3600' },
  transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
});

/**
 * The campaign workflow on a real worker: one execution per contact at the rate, busy contacts
 * and bad rows skipped with the reason, a batch that stopped after starting some contacts taken
 * up again without starting them twice, pause and resume, cancel between two starts, and the
 * history kept short by continuing as new.
 */
describe('campaign workflow', () => {
  let t: TemporalTestContext;
  let campaigns: Campaigns;
  let commands: ExecutionCommands;
  let flowSid: string;
  const contact = (i: number) => `+1415555${String(i).padStart(4, '0')}`;

  beforeAll(async () => {
    t = await startTemporalTestContext();
    campaigns = new Campaigns(t.database);
    commands = new ExecutionCommands(t.client, { namespace: 'default', taskQueue: t.taskQueue, retentionDays: 30 }, new ExecutionTombstones(t.database), new RecentStarts());
    flowSid = newSid('FW');
    await t.store.create(flowSid, TEST_ACCOUNT.accountSid, { friendlyName: 'survey', status: 'published', commitMessage: null, valid: true, errors: [], warnings: [], at: new Date().toISOString(), definition: JSON.stringify(survey) });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function campaign(rows: ReadonlyArray<Record<string, unknown>>, input: Partial<CampaignInput> = {}) {
    const sid = newSid('CM');
    await campaigns.create({ sid, account_sid: TEST_ACCOUNT.accountSid, flow_sid: flowSid, revision: 1, from_address: FROM, rate: input.rate ?? 10, quiet_hours: null, time_zone: 'UTC', created_by: TEST_ACCOUNT.accountSid, date_created: Date.now() }, contactsFromJson(JSON.stringify(rows), 1_000));
    const handle = await t.client.workflow.start(campaignWorkflow, { args: [{ campaignSid: sid, rate: 10, timeZone: 'UTC', ...input }], taskQueue: t.taskQueue, workflowId: `campaign:${sid}` });
    return { sid, handle };
  }
  const record = async (sid: string) => (await campaigns.get(TEST_ACCOUNT.accountSid, flowSid, sid))!;
  const runningFor = async (to: string) => (await t.client.workflow.count(`FlowSid = '${flowSid}' AND ContactAddress = '${to}'`)).count;
  const start = (to: string, executionSid?: string) => commands.start({ accountSid: TEST_ACCOUNT.accountSid, flowSid, revision: 1, definition: survey, trigger: restExecutionTrigger(to, FROM, {}), initiatedBy: 'test', ...(executionSid ? { executionSid } : {}) });

  it('starts one execution per contact, skips busy contacts and bad rows with the reason, and continues as new', async () => {
    // 28 distinct valid contacts, two of them busy already; one bad number; one repeat.
    await start(contact(3));
    await start(contact(7));
    const rows = [...Array.from({ length: 28 }, (_, i) => ({ To: contact(i), name: `N${i}` })), { To: 'not-a-number' }, { To: contact(0) }];
    const { sid, handle } = await campaign(rows, { rate: 10, batchesPerRun: 2 });
    expect(await handle.result()).toBe('completed');
    const done = await record(sid);
    expect(done).toMatchObject({ status: 'completed', total: 30, counts: { pending: 0, starting: 0, started: 26, skipped: 4, failed: 0 } });
    const skipped = await campaigns.contacts(sid, { status: 'skipped', limit: 10 });
    expect(skipped.map((c) => [c.contact, c.reason])).toEqual([[contact(3), 'busy'], [contact(7), 'busy'], ['not-a-number', 'invalid-number'], [contact(0), 'duplicate']]);
    // One execution per contact, the busy ones' included; each asked once with its own data.
    for (const i of [0, 3, 12, 27]) expect(await runningFor(contact(i))).toBe(1);
    const asked = await t.inbox.list(TEST_ACCOUNT.accountSid, contact(12), 10);
    expect(asked.map((m) => m.body)).toEqual(['Hi N12, how was it?']);
    // Three batches of 10 with two batches per run: the history was carried on by continue-as-new.
    expect((await t.client.workflow.count(`WorkflowId = 'campaign:${sid}' AND ExecutionStatus = 'ContinuedAsNew'`)).count).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('takes up contacts a stopped batch left starting: the started ones (running or ended) are not started again', async () => {
    const rows = Array.from({ length: 4 }, (_, i) => ({ To: contact(100 + i) }));
    const sid = newSid('CM');
    await campaigns.create({ sid, account_sid: TEST_ACCOUNT.accountSid, flow_sid: flowSid, revision: 1, from_address: FROM, rate: 10, quiet_hours: null, time_zone: 'UTC', created_by: TEST_ACCOUNT.accountSid, date_created: Date.now() }, contactsFromJson(JSON.stringify(rows), 10));
    // A batch claimed all four, started the first two, and stopped; the second has ended since.
    const claimed = await campaigns.claimNext(sid, 4, Date.now(), () => newSid('FN'));
    await start(contact(100), claimed[0]!.execution_sid!);
    const ended = await start(contact(101), claimed[1]!.execution_sid!);
    await commands.end(ended);
    await eventually('the second ended', async () => ((await t.client.workflow.count(`ExecutionSid = '${ended.sid}' AND ExecutionStatus != 'Running'`)).count === 1 ? true : undefined));
    const handle = await t.client.workflow.start(campaignWorkflow, { args: [{ campaignSid: sid, rate: 10, timeZone: 'UTC' }], taskQueue: t.taskQueue, workflowId: `campaign:${sid}` });
    expect(await handle.result()).toBe('completed');
    expect((await record(sid)).counts).toMatchObject({ started: 4, skipped: 0, failed: 0 });
    const started = await campaigns.contacts(sid, { limit: 10 });
    expect(started.map((c) => c.execution_sid)).toEqual(claimed.map((c) => c.execution_sid));
    // The ended one was not started again; each contact has exactly one execution.
    for (let i = 100; i < 104; i++) expect(await runningFor(contact(i))).toBe(1);
  }, 60_000);

  it('pauses, resumes, and stops new starts at once when cancelled', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ To: contact(200 + i) }));
    const { sid, handle } = await campaign(rows, { rate: 2 });
    await eventually('two started', async () => ((await record(sid)).counts.started >= 2 ? true : undefined));
    await handle.signal(pauseCampaign);
    await eventually('paused', async () => ((await record(sid)).status === 'paused' ? true : undefined));
    const atPause = (await record(sid)).counts.started;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await record(sid)).counts.started).toBe(atPause);
    expect(await handle.query(campaignState)).toEqual({ state: 'paused' });
    await handle.signal(resumeCampaign);
    await eventually('more started', async () => ((await record(sid)).counts.started > atPause ? true : undefined));
    await handle.signal(cancelCampaign);
    expect(await handle.result()).toBe('cancelled');
    const cancelled = await record(sid);
    const atCancel = cancelled.counts.started;
    expect(cancelled.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await record(sid)).counts.started).toBe(atCancel);
    expect(cancelled.counts.pending + cancelled.counts.starting).toBe(40 - atCancel);
  }, 60_000);
});
