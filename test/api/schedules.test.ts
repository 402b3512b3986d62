import type { FlowDefinition } from '../../src/flow/definition';
import { temporalScheduleId } from '../../src/services/schedules';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';

const FROM = '+15005550006';
const greet: FlowDefinition = flowOf(triggerState({ incomingRequest: 'hello' }), {
  name: 'hello',
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', body: 'Hello {{flow.data.name}}' },
  transitions: [{ event: 'sent' }, { event: 'failed' }],
});
// Waits an hour for a reply: its contact stays busy (Studio's 409 rule) between two runs.
const ask: FlowDefinition = flowOf(triggerState({ incomingRequest: 'ask' }), {
  name: 'ask',
  type: 'send-and-wait-for-reply',
  properties: { from: '{{flow.channel.address}}', body: 'Still there?', timeout: '3600' },
  transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
});

interface Schedule {
  sid: string;
  status: 'active' | 'paused';
  target: string;
  cron: string | null;
  interval: number | null;
  time_zone: string;
  catchup_window: number;
  to: string | null;
  parameters: Record<string, unknown> | null;
  contact_list_sid: string | null;
  contacts_total: number | null;
  rate: number | null;
  next_runs: string[];
  runs_missed: number;
  links: { runs: string };
}
interface Run {
  scheduled_at: string;
  started_at: string;
  target: string;
  campaign_sid: string | null;
  execution_sid: string | null;
  outcome: string;
  reason: string | null;
}
interface Campaign {
  status: string;
  total: number;
  counts: Record<string, number>;
}

/** The Schedules and ContactLists APIs on Temporal Schedules with a real worker: runs now, pause, lists, refusals. */
describe('POST /v2/Flows/{FlowSid}/Schedules', () => {
  let rig: MessagingRig;
  let flow: string;
  const contact = (i: number) => `+1415777${String(i).padStart(4, '0')}`;
  const schedules = (f = flow) => `/v2/Flows/${f}/Schedules`;
  const get = async <T>(path: string) => (await (await rig.api.request(path)).json()) as T;
  const create = async (form: Record<string, string>, f = flow) => {
    const response = await rig.api.request(schedules(f), { method: 'POST', form: { From: FROM, ...form } });
    expect(response.status).toBe(201);
    return (await response.json()) as Schedule;
  };
  const runs = (s: Schedule) => get<{ runs: Run[] }>(`${schedules()}/${s.sid}/Runs`).then((r) => r.runs);
  const settledRuns = (s: Schedule, n: number) => eventually(`${n} settled run(s) of ${s.sid}`, async () => {
    const list = await runs(s);
    return list.length >= n && list.every((r) => r.outcome !== 'starting') ? list : undefined;
  }, 30_000);
  const runNow = async (s: Schedule) => expect((await rig.api.request(`${schedules()}/${s.sid}/Runs`, { method: 'POST' })).status).toBe(202);
  const outbound = async (to: string) => (await get<{ messages: Array<{ body: string; direction: string }> }>(`/v1/Local/Messages?Contact=${encodeURIComponent(to)}`)).messages.filter((m) => m.direction === 'outbound').map((m) => m.body);

  beforeAll(async () => {
    rig = await startMessagingRig();
    flow = await rig.publish(greet);
  }, 120_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('runs one execution per run to a contact with its flow.data; lists its next runs; pauses and resumes in Temporal', async () => {
    const s = await create({ FriendlyName: 'hourly hello', Interval: '3600', To: contact(1), Parameters: JSON.stringify({ name: 'Ada' }) });
    expect(s).toMatchObject({ status: 'active', target: 'execution', interval: 3600, cron: null, time_zone: 'UTC', catchup_window: 3600, to: contact(1), parameters: { name: 'Ada' }, contact_list_sid: null, runs_missed: 0 });
    expect(s.next_runs).toHaveLength(5);
    const gaps = s.next_runs.slice(1).map((t, i) => Date.parse(t) - Date.parse(s.next_runs[i]!));
    expect(gaps).toEqual([3_600_000, 3_600_000, 3_600_000, 3_600_000]);

    await runNow(s);
    const [run] = await settledRuns(s, 1);
    expect(run).toMatchObject({ target: 'execution', outcome: 'started', campaign_sid: null, reason: null });
    expect(run!.execution_sid).toMatch(/^FN[0-9a-f]{32}$/);
    await eventually('the message', async () => ((await outbound(contact(1))).length ? true : undefined));
    expect(await outbound(contact(1))).toEqual(['Hello Ada']);
    const execution = await get<{ sid: string; contact_channel_address: string }>(`/v2/Flows/${flow}/Executions/${run!.execution_sid}`);
    expect(execution.contact_channel_address).toBe(contact(1));

    const paused = await rig.api.request(`${schedules()}/${s.sid}`, { method: 'POST', form: { Status: 'paused' } });
    expect(((await paused.json()) as Schedule).status).toBe('paused');
    expect((await rig.t.client.schedule.getHandle(temporalScheduleId(s.sid)).describe()).state.paused).toBe(true);
    expect((await get<{ schedules: Schedule[] }>(schedules())).schedules.find((x) => x.sid === s.sid)?.status).toBe('paused');
    const resumed = await rig.api.request(`${schedules()}/${s.sid}`, { method: 'POST', form: { Status: 'active' } });
    expect(((await resumed.json()) as Schedule).status).toBe('active');
  });

  it('skips a run whose contact is still in an execution of the flow (409 rule), with the reason', async () => {
    const waiting = await rig.publish(ask);
    const s = await create({ Interval: '86400', To: contact(2) }, waiting);
    const run = async (n: number) => {
      expect((await rig.api.request(`${schedules(waiting)}/${s.sid}/Runs`, { method: 'POST' })).status).toBe(202);
      return eventually(`run ${n}`, async () => {
        const list = (await get<{ runs: Run[] }>(`${schedules(waiting)}/${s.sid}/Runs`)).runs;
        return list.length >= n && list.every((r) => r.outcome !== 'starting') ? list : undefined;
      }, 30_000);
    };
    await run(1);
    const [latest, first] = await run(2);
    expect(first).toMatchObject({ outcome: 'started' });
    expect(latest).toMatchObject({ outcome: 'skipped', execution_sid: null, reason: 'busy: the contact has an active execution of the flow' });
  });

  it('records both runs when asked twice in one second (Temporal names a triggered run by the second)', async () => {
    // A flow that keeps its contact: of two runs at once, one starts and the other is skipped, never lost.
    const waiting = await rig.publish(ask);
    const s = await create({ Interval: '86400', To: contact(3) }, waiting);
    const now = async () => expect((await rig.api.request(`${schedules(waiting)}/${s.sid}/Runs`, { method: 'POST' })).status).toBe(202);
    await Promise.all([now(), now()]);
    const list = await eventually('2 settled runs', async () => {
      const l = (await get<{ runs: Run[] }>(`${schedules(waiting)}/${s.sid}/Runs`)).runs;
      return l.length >= 2 && l.every((r) => r.outcome !== 'starting') ? l : undefined;
    }, 30_000);
    expect(list.map((r) => r.outcome).sort()).toEqual(['skipped', 'started']);
    expect(list.find((r) => r.outcome === 'skipped')?.reason).toBe('busy: the contact has an active execution of the flow');
    await eventually('the question', async () => ((await outbound(contact(3))).length ? true : undefined));
    expect(await outbound(contact(3))).toEqual(['Still there?']);
  });

  it('runs a campaign over its own CSV list at each run, and over a saved list as it is at each run', async () => {
    const csv = ['To,name', ...[10, 11, 12].map((i) => `${contact(i)},C${i}`), 'nobody,X'].join('\n');
    // Quiet hours stored with the schedule, placed away from now in New York: a window over the
    // present hour would hold the "run now" campaign until morning (this test once failed at 23:54 there).
    const own = await create({ Cron: '0 9 * * MON', TimeZone: 'America/New_York', Csv: csv, Rate: '10', QuietHours: quietHoursAwayFromNow('America/New_York') });
    expect(own).toMatchObject({ target: 'campaign', cron: '0 9 * * MON', time_zone: 'America/New_York', contacts_total: 4, rate: 10 });
    expect(own.contact_list_sid).toMatch(/^CL/);
    // Each next run is a Monday at 09:00 in New York, whatever the offset from UTC that day.
    const local = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
    expect(new Set(own.next_runs.map(local))).toEqual(new Set(['Mon 09:00']));
    // A schedule's own list is not among the saved lists.
    expect((await get<{ contact_lists: Array<{ sid: string }> }>('/v2/ContactLists')).contact_lists.map((l) => l.sid)).not.toContain(own.contact_list_sid);

    await runNow(own);
    const [run] = await settledRuns(own, 1);
    expect(run).toMatchObject({ target: 'campaign', outcome: 'started', execution_sid: null });
    const done = await eventually('the campaign', async () => {
      const c = await get<Campaign>(`/v2/Flows/${flow}/Campaigns/${run!.campaign_sid}`);
      return c.status === 'completed' ? c : undefined;
    }, 30_000);
    expect(done).toMatchObject({ total: 4, counts: { pending: 0, starting: 0, started: 3, skipped: 1, failed: 0 } });

    const saved = await rig.api.request('/v2/ContactLists', { method: 'POST', form: { FriendlyName: 'weekly', Contacts: JSON.stringify([{ To: contact(20), name: 'A' }]) } });
    expect(saved.status).toBe(201);
    const list = (await saved.json()) as { sid: string; total: number };
    expect(list.total).toBe(1);
    const s = await create({ Interval: '604800', ContactList: list.sid, Rate: '5' });
    const replaced = await rig.api.request(`/v2/ContactLists/${list.sid}`, { method: 'POST', form: { Contacts: JSON.stringify([{ To: contact(21), name: 'B' }, { To: contact(22), name: 'C' }, { To: contact(22), name: 'again' }]) } });
    expect(await replaced.json()).toMatchObject({ total: 3, skipped: { duplicate: 1 } });
    await runNow(s);
    const [savedRun] = await settledRuns(s, 1);
    const campaign = await eventually('the saved list campaign', async () => {
      const c = await get<Campaign>(`/v2/Flows/${flow}/Campaigns/${savedRun!.campaign_sid}`);
      return c.status === 'completed' ? c : undefined;
    }, 30_000);
    expect(campaign).toMatchObject({ total: 3, counts: { started: 2, skipped: 1 } });
    expect(await outbound(contact(21))).toEqual(['Hello B']);

    // A list a schedule reads is not deleted; the schedule goes first, with its runs.
    const refused = await rig.api.request(`/v2/ContactLists/${list.sid}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect((await rig.api.request(`${schedules()}/${s.sid}`, { method: 'DELETE' })).status).toBe(204);
    expect((await rig.api.request(`${schedules()}/${s.sid}`)).status).toBe(404);
    await expect(rig.t.client.schedule.getHandle(temporalScheduleId(s.sid)).describe()).rejects.toThrow(/not found/i);
    expect((await rig.api.request(`/v2/ContactLists/${list.sid}`, { method: 'DELETE' })).status).toBe(204);
  });

  it('goes with its flow: the first run after the flow is deleted deletes the schedule', async () => {
    const doomed = await rig.publish(greet);
    const s = await create({ Interval: '3600', To: contact(40) }, doomed);
    expect((await rig.api.request(`/v2/Flows/${doomed}`, { method: 'DELETE' })).status).toBe(204);
    const handle = rig.t.client.schedule.getHandle(temporalScheduleId(s.sid));
    await handle.trigger();
    await eventually('the Temporal Schedule gone', async () => ((await handle.describe().then(() => false, () => true)) ? true : undefined), 30_000);
    expect(await outbound(contact(40))).toEqual([]);
  });

  it('refuses what cannot be a schedule, in Twilio’s error shape, storing nothing', async () => {
    const refused = async (form: Record<string, string>, f = flow) => {
      const response = await rig.api.request(schedules(f), { method: 'POST', form });
      const body = (await response.json()) as { code: number; message: string };
      return [response.status, body.message] as const;
    };
    const before = (await get<{ schedules: Schedule[] }>(schedules())).schedules.length;
    const to = { From: FROM, To: contact(30) };
    expect(await refused({ ...to })).toEqual([400, 'Give when it runs as Cron (a 5-field cron expression) or as Interval (seconds), one of them']);
    expect(await refused({ ...to, Cron: '* * * * *', Interval: '60' })).toEqual([400, 'Give when it runs as Cron (a 5-field cron expression) or as Interval (seconds), one of them']);
    expect(await refused({ ...to, Interval: '30' })).toEqual([400, 'Interval must be a whole number of seconds, at least 60 (LIMIT_SCHEDULE_MIN_INTERVAL_SECONDS)']);
    expect(await refused({ ...to, Cron: '*/5 * * * * *' })).toEqual([400, 'Cron must have 5 fields (minute hour day-of-month month day-of-week), not "*/5 * * * * *"']);
    expect(await refused({ ...to, Cron: '61 * * * *' })).toEqual([400, 'Temporal cannot read the schedule: Minute is not in range [0-59]']);
    expect(await refused({ ...to, Interval: '60', TimeZone: 'Mars/Olympus' })).toEqual([400, 'Unknown TimeZone "Mars/Olympus": expected an IANA name such as America/New_York']);
    expect(await refused({ ...to, Interval: '60', CatchupWindow: '5' })).toEqual([400, 'CatchupWindow must be from 10 to 604800 seconds (LIMIT_SCHEDULE_MAX_CATCHUP_WINDOW_SECONDS)']);
    expect(await refused({ From: FROM, Interval: '60' })).toEqual([400, 'Give what each run starts: To (one execution), or one list for a campaign: Contacts (JSON), a CSV, or ContactList (a saved list)']);
    expect((await refused({ ...to, Interval: '60', Contacts: '[]' }))[0]).toBe(400);
    expect(await refused({ From: FROM, Interval: '60', Contacts: JSON.stringify([{ To: contact(31) }]) })).toEqual([400, 'Rate must be from 1 to 100 executions per second (LIMIT_CAMPAIGN_MAX_RATE)']);
    expect(await refused({ From: FROM, Interval: '60', ContactList: `CL${'0'.repeat(32)}`, Rate: '1' })).toEqual([400, `Contact list CL${'0'.repeat(32)} was not found`]);
    expect(await refused({ ...to, Interval: '60', Parameters: '[1]' })).toEqual([400, 'Parameters must be a JSON object (flow.data of each execution)']);
    expect(await refused({ From: FROM, To: 'nobody', Interval: '60' })).toEqual([400, `Invalid 'To' address "nobody"`]);
    const draft = await rig.publish(greet, { asDraft: true });
    expect((await refused({ ...to, Interval: '60' }, draft))[0]).toBe(409);
    expect((await get<{ schedules: Schedule[] }>(schedules())).schedules.length).toBe(before);
    expect((await rig.api.request(`${schedules()}/SC${'0'.repeat(32)}`)).status).toBe(404);
  });
});

/** A two-hour quiet window starting six hours from now in `timeZone`, so a run started now is never inside it. */
function quietHoursAwayFromNow(timeZone: string): string {
  const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  const at = (h: number) => `${String(h % 24).padStart(2, '0')}:00`;
  return `${at(hour + 6)}-${at(hour + 8)}`;
}
