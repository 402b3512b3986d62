import { FlowMigrations } from '../../src/store/flow-migrations';
import { DIALECTS, freshDatabase } from '../helpers/databases';

const ACCOUNT = 'AC00000000000000000000000000000001';
const FLOW = 'FW00000000000000000000000000000001';
const sid = (n: number) => `FM${String(n).padStart(32, '0')}`;
const execution = (n: number) => `FN${String(n).padStart(32, '0')}`;

/** The record of migrations on both stores: what each took on, what became of each execution, who asked. */
describe.each(DIALECTS)('flow migrations (%s)', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let migrations: FlowMigrations;

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    migrations = new FlowMigrations(db.database);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('records a migration with its executions pending, settles each, and completes', async () => {
    // More targets than one insert chunk holds.
    const targets = Array.from({ length: 1_203 }, (_, i) => ({ execution_sid: execution(i), workflow_id: `${FLOW}:+1555${i}`, from_revision: 1, widget: 'ask' }));
    await migrations.create({ sid: sid(1), account_sid: ACCOUNT, flow_sid: FLOW, to_revision: 2, from_revision: 1, widget: 'ask', created_by: 'SK00000000000000000000000000000001', date_created: 1_000 }, targets);
    expect((await migrations.pending(sid(1))).length).toBe(1_203);
    await migrations.settle(sid(1), execution(0), 'migrated', null, 2_000);
    await migrations.settle(sid(1), execution(1), 'refused', 'Not migrated: it has ended', 3_000);
    expect(await migrations.get(ACCOUNT, FLOW, sid(1))).toEqual({
      sid: sid(1), account_sid: ACCOUNT, flow_sid: FLOW, to_revision: 2, from_revision: 1, widget: 'ask', created_by: 'SK00000000000000000000000000000001',
      status: 'running', total: 1_203, date_created: 1_000, date_updated: 3_000,
      counts: { pending: 1_201, migrated: 1, already: 0, refused: 1, failed: 0 },
    });
    expect((await migrations.executions(sid(1), 2)).map((e) => [e.execution_sid, e.status, e.reason, e.date_updated])).toEqual([
      [execution(0), 'migrated', null, 2_000],
      [execution(1), 'refused', 'Not migrated: it has ended', 3_000],
    ]);
    await migrations.complete(sid(1), 4_000);
    expect((await migrations.get(ACCOUNT, FLOW, sid(1)))!.status).toBe('completed');
  });

  it('lists a flow’s migrations, the newest first, and shows none to another account', async () => {
    await migrations.create({ sid: sid(2), account_sid: ACCOUNT, flow_sid: FLOW, to_revision: 3, from_revision: null, widget: null, created_by: ACCOUNT, date_created: 5_000 }, []);
    expect((await migrations.list(ACCOUNT, FLOW, 10)).map((m) => [m.sid, m.total, m.created_by])).toEqual([[sid(2), 0, ACCOUNT], [sid(1), 1_203, 'SK00000000000000000000000000000001']]);
    expect(await migrations.list(ACCOUNT, FLOW, 1)).toHaveLength(1);
    expect(await migrations.get('AC00000000000000000000000000000002', FLOW, sid(1))).toBeUndefined();
    expect(await migrations.list(ACCOUNT, 'FW00000000000000000000000000000002', 10)).toEqual([]);
  });
});
