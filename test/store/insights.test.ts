import { FlowInsights, type InsightScope } from '../../src/store/insights';
import { DIALECTS, freshDatabase } from '../helpers/databases';

const ACCOUNT = 'AC00000000000000000000000000000001';
const FLOW = 'FW00000000000000000000000000000001';
const DAY = 86_400_000;
const T0 = Date.parse('2026-12-01T00:00:00Z');

type Path = Array<[widget: string, event: string, next: string]>;

/**
 * The insight queries over known facts: four executions of one flow — one answered and thanked,
 * one timed out, two still waiting (one on revision 2) — and one of another flow.
 */
describe.each(DIALECTS)('flow insights (%s)', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let insights: FlowInsights;
  const scope = { accountSid: ACCOUNT, flowSid: FLOW };

  async function execution(n: number, revision: number, startedAt: number, path: Path, endedReason: string | null, flowSid = FLOW) {
    const executionSid = `FN${String(n).padStart(32, '0')}`;
    await db.database.db
      .insertInto('insight_executions')
      .values({ execution_sid: executionSid, account_sid: ACCOUNT, flow_sid: flowSid, revision, trigger: 'incomingMessage', started_at: startedAt, ended_at: endedReason ? startedAt + 60_000 : null, ended_reason: endedReason })
      .execute();
    await db.database.db
      .insertInto('insight_steps')
      .values(path.map(([widget, event, next], i) => ({ execution_sid: executionSid, sequence: i + 2, account_sid: ACCOUNT, flow_sid: flowSid, revision, widget, widget_type: widget === 'ask' ? 'send-and-wait-for-reply' : 'x', event, next, at: startedAt + i * 1000, error_code: null })))
      .execute();
  }

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    insights = new FlowInsights(db.database);
    await execution(1, 1, T0, [['Trigger', 'incomingMessage', 'ask'], ['ask', 'incomingMessage', 'thanks'], ['thanks', 'sent', 'Ended']], 'FLOW_END');
    await execution(2, 1, T0 + 1000, [['Trigger', 'incomingMessage', 'ask'], ['ask', 'timeout', 'Ended']], 'FLOW_END');
    await execution(3, 1, T0 + DAY, [['Trigger', 'incomingMessage', 'ask']], null);
    await execution(4, 2, T0 + DAY + 1000, [['Trigger', 'incomingMessage', 'ask']], null);
    await execution(5, 1, T0, [['Trigger', 'incomingMessage', 'ask']], null, 'FW00000000000000000000000000000002');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('counts executions by state, reason and trigger', async () => {
    expect(await insights.executions(scope)).toEqual({ started: 4, active: 2, ended: 2, endedBy: { FLOW_END: 2 }, byTrigger: { incomingMessage: 4 } });
    expect(await insights.executions({ ...scope, revision: 1 })).toEqual({ started: 3, active: 1, ended: 2, endedBy: { FLOW_END: 2 }, byTrigger: { incomingMessage: 3 } });
    expect(await insights.executions({ ...scope, from: T0 + DAY })).toMatchObject({ started: 2, active: 2, ended: 0 });
  });

  it('counts per widget: reached, waiting there now, ended there', async () => {
    expect(await insights.widgets(scope)).toEqual([
      { widget: 'Trigger', reached: 4, waiting: 0, ended: 0 },
      { widget: 'ask', reached: 4, waiting: 2, ended: 1 },
      { widget: 'thanks', reached: 1, waiting: 0, ended: 1 },
    ]);
    expect(await insights.widgets({ ...scope, revision: 2 })).toEqual([
      { widget: 'Trigger', reached: 1, waiting: 0, ended: 0 },
      { widget: 'ask', reached: 1, waiting: 1, ended: 0 },
    ]);
    // Contacts waiting since before the range are waiting still.
    expect((await insights.widgets({ ...scope, from: T0 + 2 * DAY })).find((w) => w.widget === 'ask')).toEqual({ widget: 'ask', reached: 0, waiting: 2, ended: 0 });
  });

  it('lists the executions waiting at a widget now, and those that ended at it, the newest first', async () => {
    const sid = (n: number) => `FN${String(n).padStart(32, '0')}`;
    const listed = async (widget: string, state: 'waiting' | 'ended', s: InsightScope = scope, limit = 50) => (await insights.executionsAt(s, widget, state, limit)).map((e) => e.executionSid);
    expect(await listed('ask', 'waiting')).toEqual([sid(4), sid(3)]);
    expect(await listed('ask', 'waiting', scope, 1)).toEqual([sid(4)]);
    expect(await listed('ask', 'waiting', { ...scope, revision: 1 })).toEqual([sid(3)]);
    expect(await listed('ask', 'ended')).toEqual([sid(2)]);
    expect(await listed('thanks', 'ended')).toEqual([sid(1)]);
    expect(await listed('thanks', 'waiting')).toEqual([]);
    expect(await insights.executionsAt(scope, 'ask', 'ended', 50)).toEqual([{ executionSid: sid(2), revision: 1, startedAt: T0 + 1000, endedAt: T0 + 61_000, endedReason: 'FLOW_END' }]);
  });

  it('counts each transition taken', async () => {
    expect(await insights.transitions(scope)).toEqual([
      { widget: 'Trigger', event: 'incomingMessage', next: 'ask', taken: 4 },
      { widget: 'ask', event: 'incomingMessage', next: 'thanks', taken: 1 },
      { widget: 'ask', event: 'timeout', next: 'Ended', taken: 1 },
      { widget: 'thanks', event: 'sent', next: 'Ended', taken: 1 },
    ]);
  });

  it('measures waits: replies, timeouts, time to reply', async () => {
    const types = { 'send-and-wait-for-reply': { timeout: 'timeout', failure: 'deliveryFailure' } };
    expect(await insights.waits(scope, types)).toEqual([{ widget: 'ask', replies: 1, timeouts: 1, timeoutRate: 0.5, medianReplyMs: 1000, p90ReplyMs: 1000 }]);
    expect(await insights.waits({ ...scope, revision: 2 }, types)).toEqual([]);
  });

  it('follows a funnel between two widgets', async () => {
    expect(await insights.funnel(scope, 'Trigger', 'thanks')).toEqual({ from: 'Trigger', to: 'thanks', entered: 4, reached: 1 });
    expect(await insights.funnel(scope, 'ask', 'thanks')).toEqual({ from: 'ask', to: 'thanks', entered: 4, reached: 1 });
    expect(await insights.funnel(scope, 'thanks', 'ask')).toEqual({ from: 'thanks', to: 'ask', entered: 1, reached: 0 });
  });

  it('counts executions started and ended per day', async () => {
    expect(await insights.daily(scope)).toEqual([
      { date: '2026-12-01', started: 2, ended: 2 },
      { date: '2026-12-02', started: 2, ended: 0 },
    ]);
  });

  it('forgets what is past retention, and keeps contacts still waiting', async () => {
    const other = await freshDatabase(dialect);
    try {
      const kept = new FlowInsights(other.database);
      const rows = { account_sid: ACCOUNT, flow_sid: FLOW, revision: 1, trigger: 'incomingMessage' };
      await other.database.db
        .insertInto('insight_executions')
        .values([
          { ...rows, execution_sid: 'FN1', started_at: T0, ended_at: T0 + 1000, ended_reason: 'FLOW_END' },
          { ...rows, execution_sid: 'FN2', started_at: T0, ended_at: T0 + 3 * DAY, ended_reason: 'FLOW_END' },
          { ...rows, execution_sid: 'FN3', started_at: T0 + 2 * DAY, ended_at: null, ended_reason: null },
        ])
        .execute();
      const step = (execution_sid: string, sequence: number, at: number) => ({ execution_sid, sequence, account_sid: ACCOUNT, flow_sid: FLOW, revision: 1, widget: 'Trigger', widget_type: 'trigger', event: 'incomingMessage', next: 'ask', at, error_code: null });
      await other.database.db.insertInto('insight_steps').values([step('FN1', 2, T0), step('FN2', 2, T0), step('FN2', 3, T0 + 3 * DAY), step('FN3', 2, T0 + 2 * DAY)]).execute();
      expect(await kept.purge(T0 + DAY)).toBe(3);
      expect((await other.database.db.selectFrom('insight_executions').select('execution_sid').orderBy('execution_sid').execute()).map((r) => r.execution_sid)).toEqual(['FN2', 'FN3']);
      expect((await other.database.db.selectFrom('insight_steps').select(['execution_sid', 'sequence']).orderBy('execution_sid').execute()).map((r) => `${r.execution_sid}:${Number(r.sequence)}`)).toEqual(['FN2:3', 'FN3:2']);
    } finally {
      await other.drop();
    }
  });
});
