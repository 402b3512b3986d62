import { Client, Connection } from '@temporalio/client';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { useStudio } from '../helpers/studio-processes';
import { recordFigures, say } from './fault-kit';

interface Campaign {
  sid: string;
  status: string;
  counts: Record<'pending' | 'starting' | 'started' | 'skipped' | 'failed', number>;
}

/**
 * Issue 23's acceptance: a campaign of 5,000 contacts at 50/s goes through a worker SIGKILL and
 * an API restart and starts exactly one execution (and sends one message) per contact; a pause
 * of 10 s starts nothing; a cancel stops new starts at once.
 */
describe('campaign faults: the worker killed and the API restarted mid-campaign', () => {
  const studio = useStudio('twilio');
  let temporal: Client;
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
    temporal = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
  });

  const request = (path: string, form?: Record<string, string>) =>
    fetch(`${studio().url}${path}`, {
      method: form ? 'POST' : 'GET',
      headers: { authorization: `Basic ${Buffer.from(`${studio().account.accountSid}:${studio().account.authToken}`).toString('base64')}` },
      ...(form ? { body: new URLSearchParams(form) } : {}),
    });
  const contacts = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, '0')}`);
  async function start(flow: string, to: readonly string[], rate: number): Promise<(path?: string) => Promise<Campaign>> {
    const created = await request(`/v2/Flows/${flow}/Campaigns`, { From: '+15005550006', Rate: String(rate), Contacts: JSON.stringify(to.map((To, n) => ({ To, n }))) });
    expect(created.status).toBe(201);
    const { sid } = (await created.json()) as Campaign;
    return async (suffix = '') => (await (await request(`/v2/Flows/${flow}/Campaigns/${sid}${suffix}`)).json()) as Campaign;
  }
  const startedAtLeast = (read: () => Promise<Campaign>, n: number) => eventually(`${n} started`, async () => ((await read()).counts.started >= n ? true : undefined), 120_000);

  it('5,000 contacts at 50/s: one execution and one message each through a worker SIGKILL and an API restart; a 10 s pause starts nothing', async () => {
    const flow = (await studio().client.studio.v2.flows.create({ friendlyName: 'campaign', status: 'published', definition: flowOf(triggerState({ incomingRequest: 'hi' }), say('hi', 'Hi {{flow.data.n}}')) })).sid;
    const to = contacts(5_000, '+1629');
    const campaign = await start(flow, to, 50);
    await startedAtLeast(campaign, 1_000);
    await studio().stopWorker('SIGKILL');
    await studio().restartApi('SIGKILL');
    await studio().startWorker();
    await startedAtLeast(campaign, 2_500);
    const { sid } = await campaign();
    expect((await request(`/v2/Flows/${flow}/Campaigns/${sid}`, { Status: 'paused' })).status).toBe(200);
    await eventually('paused', async () => ((await campaign()).status === 'paused' ? true : undefined), 30_000);
    const atPause = (await campaign()).counts.started;
    await new Promise((r) => setTimeout(r, 10_000));
    const afterPause = (await campaign()).counts.started;
    expect(afterPause).toBe(atPause);
    expect((await request(`/v2/Flows/${flow}/Campaigns/${sid}`, { Status: 'running' })).status).toBe(200);
    const done = await eventually('the campaign done', async () => {
      const c = await campaign();
      return c.status === 'completed' ? c : undefined;
    }, 300_000);
    expect(done.counts).toEqual({ pending: 0, starting: 0, started: 5_000, skipped: 0, failed: 0 });
    // One message per contact, none twice; one execution per contact.
    const messages = await eventually('5,000 messages', () => {
      const sent = studio().standIn!.messages.filter((m) => m.to.startsWith('+1629'));
      return sent.length >= 5_000 ? sent : undefined;
    }, 120_000);
    await new Promise((r) => setTimeout(r, 2_000));
    const perContact = new Map<string, number>();
    for (const m of studio().standIn!.messages.filter((x) => x.to.startsWith('+1629'))) perContact.set(m.to, (perContact.get(m.to) ?? 0) + 1);
    const duplicates = [...perContact.values()].filter((n) => n > 1).length;
    const missing = to.filter((c) => !perContact.has(c)).length;
    const executions = (await temporal.workflow.count(`FlowSid = '${flow}'`)).count;
    const runs = [];
    for await (const run of temporal.workflow.list({ query: `WorkflowId = 'campaign:${sid}'` })) runs.push(run.runId);
    let longest = 0;
    for (const runId of runs) longest = Math.max(longest, ((await temporal.workflow.getHandle(`campaign:${sid}`, runId).fetchHistory()).events ?? []).length);
    recordFigures('campaign', { contacts: to.length, rate: 50, started: done.counts.started, executions, messages: messages.length, missing, duplicates, pausedMs: 10_000, startedWhilePaused: afterPause - atPause, runs: runs.length, longestRunEvents: longest });
    expect([missing, duplicates, executions]).toEqual([0, 0, 5_000]);
  }, 600_000);

  it('a cancel stops new starts at once', async () => {
    const flow = (await studio().client.studio.v2.flows.create({ friendlyName: 'cancelled', status: 'published', definition: flowOf(triggerState({ incomingRequest: 'hi' }), say('hi', 'Hi')) })).sid;
    const campaign = await start(flow, contacts(1_000, '+1630'), 50);
    await startedAtLeast(campaign, 100);
    const { sid } = await campaign();
    expect((await request(`/v2/Flows/${flow}/Campaigns/${sid}`, { Status: 'cancelled' })).status).toBe(200);
    const cancelled = await eventually('cancelled', async () => {
      const c = await campaign();
      return c.status === 'cancelled' ? c : undefined;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 3_000));
    const later = await campaign();
    expect(later.counts.started).toBe(cancelled.counts.started);
    expect(later.counts.started).toBeLessThan(1_000);
    recordFigures('campaign cancel', { contacts: 1_000, startedBeforeCancel: cancelled.counts.started, startedAfter: later.counts.started - cancelled.counts.started });
  }, 180_000);
});
