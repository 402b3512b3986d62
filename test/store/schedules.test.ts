import { Campaigns } from '../../src/store/campaigns';
import { ContactLists } from '../../src/store/contact-lists';
import { Schedules } from '../../src/store/schedules';
import type { SchedulesTable } from '../../src/store/schema';
import { DIALECTS, freshDatabase } from '../helpers/databases';

const ACCOUNT = 'AC00000000000000000000000000000001';
const FLOW = 'FW00000000000000000000000000000001';
const sid = (prefix: string, n: number) => `${prefix}${String(n).repeat(32).slice(0, 32)}`;

/** Saved lists, schedules and their runs in the store; a campaign copied from a list in one statement. */
describe.each(DIALECTS)('schedules and contact lists (%s)', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let lists: ContactLists;
  let schedules: Schedules;
  let campaigns: Campaigns;
  const schedule = (n: number, list: string | null): SchedulesTable => ({
    sid: sid('SC', n), account_sid: ACCOUNT, flow_sid: FLOW, friendly_name: `s${n}`, cron: null, interval_seconds: 60, time_zone: 'UTC', catchup_window_seconds: 3600,
    from_address: '+15005550006', to_address: list ? null : '+14155550100', parameters: null, contact_list_sid: list, rate: list ? 10 : null, quiet_hours: null, created_by: ACCOUNT, date_created: 1_000 + n, date_updated: 1_000 + n,
  });

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    lists = new ContactLists(db.database);
    schedules = new Schedules(db.database);
    campaigns = new Campaigns(db.database);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('copies a list of 1,202 rows into a campaign in list order, the skipped rows skipped, and leaves a second copy under the same SID alone', async () => {
    const rows = [...Array.from({ length: 1_200 }, (_, i) => ({ to: `+1415${String(i).padStart(7, '0')}`, data: { n: i } })), { to: 'nope', data: {}, skip: 'invalid-number' as const }, { to: '+14150000000', data: {}, skip: 'duplicate' as const }];
    await lists.create({ sid: sid('CL', 1), account_sid: ACCOUNT, friendly_name: 'all', schedule_sid: null, date_created: 5 }, rows);
    expect(await lists.skipped(sid('CL', 1))).toEqual({ 'invalid-number': 1, duplicate: 1 });
    const campaign = { sid: sid('CM', 1), account_sid: ACCOUNT, flow_sid: FLOW, revision: 2, from_address: '+15005550006', rate: 10, quiet_hours: null, time_zone: 'UTC', created_by: sid('SC', 9), date_created: 7 };
    expect(await campaigns.createFromList(campaign, sid('CL', 1))).toBe(true);
    const record = (await campaigns.get(ACCOUNT, FLOW, sid('CM', 1)))!;
    expect(record).toMatchObject({ total: 1_202, revision: 2, counts: { pending: 1_200, skipped: 2 } });
    const [first] = await campaigns.contacts(sid('CM', 1), { limit: 1 });
    expect(first).toMatchObject({ position: 0, contact: '+14150000000', status: 'pending', date_updated: 7 });
    expect(JSON.parse(first!.data)).toEqual({ n: 0 });
    expect((await campaigns.contacts(sid('CM', 1), { status: 'skipped', limit: 5 })).map((c) => [c.position, c.reason])).toEqual([[1_200, 'invalid-number'], [1_201, 'duplicate']]);
    // A retried run: the campaign stays as it was; a list that is gone makes none.
    await lists.update(sid('CL', 1), { rows: rows.slice(0, 3) }, 9);
    expect(await campaigns.createFromList(campaign, sid('CL', 1))).toBe(true);
    expect((await campaigns.get(ACCOUNT, FLOW, sid('CM', 1)))!.total).toBe(1_202);
    expect(await campaigns.createFromList({ ...campaign, sid: sid('CM', 2) }, sid('CL', 8))).toBe(false);
    expect(await campaigns.get(ACCOUNT, FLOW, sid('CM', 2))).toBeUndefined();
  });

  it('lists saved lists only, replaces rows whole, and names the schedules reading a list', async () => {
    await lists.create({ sid: sid('CL', 2), account_sid: ACCOUNT, friendly_name: 'owned', schedule_sid: sid('SC', 2), date_created: 6 }, [{ to: '+14155550101', data: {} }]);
    expect((await lists.list(ACCOUNT, 10)).map((l) => l.sid)).toEqual([sid('CL', 1)]);
    expect(await lists.get(ACCOUNT, sid('CL', 1))).toMatchObject({ total: 3, date_updated: 9, date_created: 5 });
    expect((await lists.rows(sid('CL', 1), { after: 0, limit: 5 })).map((r) => r.position)).toEqual([1, 2]);
    await schedules.create(schedule(1, sid('CL', 1)));
    await schedules.create(schedule(2, sid('CL', 2)));
    expect(await lists.usedBy(sid('CL', 1))).toEqual([sid('SC', 1)]);
  });

  it('records a run once: a retry finds it, settles it; runs newest first; a schedule deleted with its runs and its own list', async () => {
    const run = { schedule_sid: sid('SC', 2), run_key: 'schedule-run:x-1/r1', scheduled_at: 60_000, started_at: 60_010, campaign_sid: sid('CM', 3), execution_sid: null };
    expect(await schedules.beginRun(run)).toEqual({ run: { ...run, outcome: 'starting', reason: null }, resumed: false });
    expect(await schedules.beginRun({ ...run, campaign_sid: sid('CM', 4), started_at: 61_000 })).toEqual({ run: { ...run, outcome: 'starting', reason: null }, resumed: true });
    await schedules.settleRun(sid('SC', 2), run.run_key, 'started', null);
    await schedules.beginRun({ ...run, run_key: 'schedule-run:x-2/r2', scheduled_at: 120_000, started_at: 120_005 });
    await schedules.settleRun(sid('SC', 2), 'schedule-run:x-2/r2', 'skipped', 'busy');
    expect((await schedules.runs(sid('SC', 2), 10)).map((r) => [r.scheduled_at, r.outcome, r.reason])).toEqual([[120_000, 'skipped', 'busy'], [60_000, 'started', null]]);
    expect((await schedules.list(ACCOUNT, FLOW, 10)).map((s) => s.sid)).toEqual([sid('SC', 2), sid('SC', 1)]);
    await schedules.delete(sid('SC', 2));
    expect(await schedules.bySid(sid('SC', 2))).toBeUndefined();
    expect(await schedules.runs(sid('SC', 2), 10)).toEqual([]);
    expect(await lists.get(ACCOUNT, sid('CL', 2))).toBeUndefined();
    expect(await lists.get(ACCOUNT, sid('CL', 1))).toBeDefined();
  });
});
