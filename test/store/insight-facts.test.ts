import { recordEvents, type EventBatch } from '../../activities/record-events';
import { EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED, type ExecutionEvent } from '../../src/engine/events';
import { sinkConfigurationTakesFlow } from '../../src/events/sink-config';
import { DEFAULT_FLOW_LIMITS } from '../../src/flow/limits';
import { EventOutbox } from '../../src/store/event-outbox';
import { DIALECTS, freshDatabase } from '../helpers/databases';

const ACCOUNT = { accountSid: 'AC00000000000000000000000000000001' };
const FLOW = 'FW00000000000000000000000000000001';
const SUBFLOW = 'FW00000000000000000000000000000002';
const EXECUTION = 'FN00000000000000000000000000000001';

const started: ExecutionEvent = {
  sequence: 1,
  type: EXECUTION_STARTED,
  time: '2026-12-01T10:00:00.000Z',
  data: { execution_sid: EXECUTION, flow_sid: FLOW, flow_revision: 2, contact_channel_address: '+15550001111', status: 'active', started_by: 'SM00000000000000000000000000000001', date_created: '2026-12-01T10:00:00.000Z', date_updated: '2026-12-01T10:00:00.000Z' },
};
function step(sequence: number, from: string, event: string, to: string, at: string, extra: Record<string, unknown> = {}): ExecutionEvent {
  const data = { execution_sid: EXECUTION, flow_sid: FLOW, flow_revision: 2, step_sid: `FT0000000000000000000000000000000${sequence}`, parent_step_sid: null, name: event, transitioned_from: from, transitioned_to: to, type: 'send-and-wait-for-reply', date_created: at, ...extra };
  return { sequence, type: STEP_ENDED, time: at, data };
}
const ended: ExecutionEvent = {
  sequence: 6,
  type: EXECUTION_ENDED,
  time: '2026-12-01T10:05:00.000Z',
  data: { ...started.data, status: 'ended', ended_reason: 'FLOW_END', date_updated: '2026-12-01T10:05:00.000Z' },
};
const batch = (events: ExecutionEvent[]): EventBatch => ({ executionSid: EXECUTION, rootFlowSid: FLOW, trigger: 'incomingMessage', events });

/**
 * Flow insights are written with the outbox events, in their transaction: exactly one fact per
 * event, however often a batch is recorded (a retried local activity, a replay).
 */
describe.each(DIALECTS)('insight facts with the event outbox (%s)', (dialect) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('records an execution and its steps once, subflow steps under their own flow, and its end', async () => {
    const deps = { outbox: new EventOutbox(db.database, sinkConfigurationTakesFlow), account: ACCOUNT };
    const first = [started, step(2, 'Trigger', 'incomingMessage', 'ask', '2026-12-01T10:00:00.010Z'), step(3, 'ask', 'incomingMessage', 'sub', '2026-12-01T10:02:00.000Z')];
    expect(await recordEvents(deps, batch(first))).toBe(3);
    expect(await recordEvents(deps, batch(first))).toBe(0);
    const second = [
      step(4, 'inner', 'next', 'Ended', '2026-12-01T10:02:00.500Z', { flow_sid: SUBFLOW, flow_revision: 7, type: 'set-variables', parent_step_sid: 'FT00000000000000000000000000000005' }),
      step(5, 'sub', 'completed', 'Ended', '2026-12-01T10:02:01.000Z', { type: 'run-subflow', error: { code: 'x:y', message: 'z' } }),
      ended,
    ];
    expect(await recordEvents(deps, batch([...first, ...second]))).toBe(3);

    const executions = await db.database.db.selectFrom('insight_executions').selectAll().execute();
    expect(executions.map((e) => ({ ...e, started_at: Number(e.started_at), ended_at: Number(e.ended_at), revision: Number(e.revision) }))).toEqual([
      { execution_sid: EXECUTION, account_sid: ACCOUNT.accountSid, flow_sid: FLOW, revision: 2, trigger: 'incomingMessage', started_at: Date.parse('2026-12-01T10:00:00.000Z'), ended_at: Date.parse('2026-12-01T10:05:00.000Z'), ended_reason: 'FLOW_END' },
    ]);
    const steps = await db.database.db.selectFrom('insight_steps').selectAll().orderBy('sequence').execute();
    expect(steps.map((s) => [Number(s.sequence), s.flow_sid, Number(s.revision), s.widget, s.widget_type, s.event, s.next, new Date(Number(s.at)).toISOString(), s.error_code])).toEqual([
      [2, FLOW, 2, 'Trigger', 'send-and-wait-for-reply', 'incomingMessage', 'ask', '2026-12-01T10:00:00.010Z', null],
      [3, FLOW, 2, 'ask', 'send-and-wait-for-reply', 'incomingMessage', 'sub', '2026-12-01T10:02:00.000Z', null],
      [4, SUBFLOW, 7, 'inner', 'set-variables', 'next', 'Ended', '2026-12-01T10:02:00.500Z', null],
      [5, FLOW, 2, 'sub', 'run-subflow', 'completed', 'Ended', '2026-12-01T10:02:01.000Z', 'x:y'],
    ]);
    expect(steps.every((s) => s.execution_sid === EXECUTION && s.account_sid === ACCOUNT.accountSid)).toBe(true);
  });

  it('records the longest names a flow may have (the widget-name limit): no execution’s events stall on a column', async () => {
    const deps = { outbox: new EventOutbox(db.database, sinkConfigurationTakesFlow), account: ACCOUNT };
    const long = 'w'.repeat(DEFAULT_FLOW_LIMITS.maxWidgetNameLength);
    const other = { ...batch([]), executionSid: 'FN00000000000000000000000000000002' };
    const event = step(2, long, 'e'.repeat(200), long, '2026-12-01T10:00:00.000Z', { execution_sid: other.executionSid });
    expect(await recordEvents(deps, { ...other, events: [event] })).toBe(1);
    const row = await db.database.db.selectFrom('insight_steps').select(['widget', 'next']).where('execution_sid', '=', other.executionSid).executeTakeFirstOrThrow();
    expect([row.widget.length, row.next.length]).toEqual([DEFAULT_FLOW_LIMITS.maxWidgetNameLength, DEFAULT_FLOW_LIMITS.maxWidgetNameLength]);
  });
});
