import type { CampaignContact } from '../../src/services/campaign-contacts';
import { Campaigns } from '../../src/store/campaigns';
import { DIALECTS, freshDatabase } from '../helpers/databases';

const ACCOUNT = 'AC00000000000000000000000000000001';
const FLOW = 'FW00000000000000000000000000000001';
const SID = `CM${'1'.repeat(32)}`;
/** SIDs FN1, FN2, … in the order asked for. */
const sids = () => {
  let n = 0;
  return () => `FN${++n}`;
};

/** A campaign's list in the store: claimed in order a batch at a time, settled row by row, counted. */
describe.each(DIALECTS)('campaigns (%s)', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let campaigns: Campaigns;
  const list: CampaignContact[] = [
    ...Array.from({ length: 1_200 }, (_, i) => ({ to: `+1415${String(i).padStart(7, '0')}`, data: { n: i } })),
    { to: 'nope', data: {}, skip: 'invalid-number' },
    { to: '+14150000000', data: {}, skip: 'duplicate' },
  ];

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    campaigns = new Campaigns(db.database);
    await campaigns.create({ sid: SID, account_sid: ACCOUNT, flow_sid: FLOW, revision: 1, from_address: '+15005550006', rate: 50, quiet_hours: null, time_zone: 'UTC', created_by: ACCOUNT, date_created: 1_000 }, list);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('records the list with what is known before anything starts', async () => {
    const record = (await campaigns.get(ACCOUNT, FLOW, SID))!;
    expect(record).toMatchObject({ status: 'running', total: 1_202, revision: 1, date_created: 1_000, ended: 0, counts: { pending: 1_200, starting: 0, started: 0, skipped: 2, failed: 0 } });
    expect((await campaigns.contacts(SID, { status: 'skipped', limit: 10 })).map((c) => [c.position, c.contact, c.reason])).toEqual([[1_200, 'nope', 'invalid-number'], [1_201, '+14150000000', 'duplicate']]);
    expect(JSON.parse((await campaigns.contacts(SID, { after: 6, limit: 1 }))[0]!.data)).toEqual({ n: 7 });
  });

  it('claims the next batch in order, marks it starting, and hands a stopped batch back first', async () => {
    const first = await campaigns.claimNext(SID, 3, 2_000, sids());
    // Claimed fresh (marked starting in the store), each with the SID its execution will get.
    expect(first.map((c) => [c.position, c.status, c.execution_sid])).toEqual([[0, 'pending', 'FN1'], [1, 'pending', 'FN2'], [2, 'pending', 'FN3']]);
    await campaigns.settle(SID, 0, 'started', { executionSid: `FN${'0'.repeat(32)}` }, 2_100);
    // Rows 1 and 2 were left starting (the batch stopped): they come back first, as starting.
    const again = await campaigns.claimNext(SID, 3, 3_000, sids());
    expect(again.map((c) => [c.position, c.status, c.execution_sid])).toEqual([[1, 'starting', 'FN2'], [2, 'starting', 'FN3'], [3, 'pending', 'FN1']]);
    expect((await campaigns.contacts(SID, { after: 0, limit: 3 })).map((c) => c.status)).toEqual(['starting', 'starting', 'starting']);
    await campaigns.settle(SID, 1, 'skipped', { reason: 'busy' }, 3_100);
    await campaigns.settle(SID, 2, 'failed', { reason: 'boom' }, 3_100);
    expect((await campaigns.get(ACCOUNT, FLOW, SID))!.counts).toEqual({ pending: 1_196, starting: 1, started: 1, skipped: 3, failed: 1 });
  });

  it('keeps its status, and shows nothing to another account', async () => {
    await campaigns.setStatus(SID, 'paused', 4_000);
    expect(await campaigns.get(ACCOUNT, FLOW, SID)).toMatchObject({ status: 'paused', date_updated: 4_000 });
    expect(await campaigns.get('AC00000000000000000000000000000002', FLOW, SID)).toBeUndefined();
    expect((await campaigns.list(ACCOUNT, FLOW, 10)).map((c) => c.sid)).toEqual([SID]);
  });
});
