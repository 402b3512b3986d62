import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { MigrationRequest } from '../../src/engine/migrate';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { newSid } from '../../src/sids';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { executionSnapshot, inboundMessage, migrateExecution } from '../../workflows/messages';
import { flowOf, restTrigger, setVariablesState, triggerState } from '../helpers/flows';
import { startTemporalTestContext, type TemporalTestContext } from '../helpers/temporal';

const trigger = restTrigger();

const ask = (next: string): FlowState => ({
  name: 'ask',
  type: 'send-and-wait-for-reply',
  properties: { body: 'Your name?', timeout: '3600' },
  transitions: [{ event: 'incomingMessage', next }, { event: 'timeout' }, { event: 'deliveryFailure' }],
});
const v1: FlowDefinition = flowOf(triggerState({ incomingRequest: 'ask' }), ask('thanks_v1'), setVariablesState('thanks_v1', [{ key: 'by', value: 'v1' }]));
const v2: FlowDefinition = flowOf(triggerState({ incomingRequest: 'ask' }), ask('thanks_v2'), setVariablesState('thanks_v2', [{ key: 'by', value: 'v2 {{widgets.ask.inbound.Body}}' }]));
const reply = { kind: 'message' as const, params: { MessageSid: 'SM1', Body: 'Ada', From: '+14155551234' }, receivedAt: '2026-01-01T00:00:00Z' };

/**
 * The migrateExecution update against a real worker: a reply and a migration that reach the
 * execution together (one workflow task) are both applied once — the reply through the new
 * revision — and a migration that comes after the execution moved on is refused, changing nothing.
 */
describe('migrateExecution', () => {
  let t: TemporalTestContext;
  const request = (migrationSid = newSid('FM')): MigrationRequest => ({ migrationSid, fromRevision: 1, widget: 'ask', to: { revision: 2, definition: v2 } });

  beforeAll(async () => {
    t = await startTemporalTestContext();
  });
  afterAll(async () => {
    await t?.close();
  });

  async function waitingAtAsk(context: TemporalTestContext) {
    const input: FlowExecutionInput = { executionSid: newSid('FN'), flow: { sid: newSid('FW'), revision: 1, definition: v1 }, trigger };
    const handle = await context.client.workflow.start(flowExecution, { args: [input], taskQueue: context.taskQueue, workflowId: `${input.flow.sid}:${trigger.contactAddress}` });
    for (let n = 0; n < 100 && !(await handle.query(executionSnapshot)).mailbox.sent?.length; n++) await new Promise((r) => setTimeout(r, 50));
    return handle;
  }

  it.each([
    ['the reply first', true],
    ['the migration first', false],
  ])('a reply and a migration in one workflow task (%s): migrated, the reply answered once through revision 2', async (_, replyFirst) => {
    // A worker of its own, stopped while both arrive, so that the next one gets them together.
    const first = await startTemporalTestContext({ database: t.database, store: t.store });
    const handle = await waitingAtAsk(first);
    await first.worker.stop();
    if (replyFirst) await handle.signal(inboundMessage, reply);
    const migration = handle.executeUpdate(migrateExecution, { args: [request()], updateId: 'race' });
    // The update is admitted once a worker takes the workflow task that holds it.
    await new Promise((r) => setTimeout(r, 300));
    if (!replyFirst) await handle.signal(inboundMessage, reply);
    const second = await startTemporalTestContext({ database: t.database, store: t.store, taskQueue: first.taskQueue });
    try {
      expect(await migration).toEqual({ outcome: 'migrated', fromRevision: 1, toRevision: 2 });
      const result = await handle.result();
      expect(result.state.steps.map((s) => [s.transitioned_from, s.name, s.transitioned_to])).toEqual([
        ['Trigger', 'incomingRequest', 'ask'],
        ['ask', 'migrated', 'ask'],
        ['ask', 'incomingMessage', 'thanks_v2'],
        ['thanks_v2', 'next', 'Ended'],
      ]);
      expect(result.state.context.flow.variables).toEqual({ by: 'v2 Ada' });
    } finally {
      await second.close();
      await first.close();
    }
  }, 60_000);

  it('refuses an execution that moved on, and leaves it as it was', async () => {
    const handle = await waitingAtAsk(t);
    await handle.signal(inboundMessage, reply);
    const result = await handle.result();
    const refusal = await handle.executeUpdate(migrateExecution, { args: [request()] }).catch((err: unknown) => err);
    // A closed workflow takes no update at all; a running one that moved on is refused by the validator.
    expect(refusal).toBeInstanceOf(Error);
    expect(result.state.steps.map((s) => s.name)).toEqual(['incomingRequest', 'incomingMessage', 'next']);
    expect(result.state.context.flow.variables).toEqual({ by: 'v1' });
  });

  it('refuses a request for another widget or revision, and answers a repeat of a done migration as already done', async () => {
    const handle = await waitingAtAsk(t);
    const refused = async (r: MigrationRequest) => {
      const err = await handle.executeUpdate(migrateExecution, { args: [r] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      return ((err as WorkflowUpdateFailedError).cause as Error).message;
    };
    expect(await refused({ ...request(), widget: 'thanks_v1' })).toBe('Not migrated: it moved on: it is at "ask" now, not "thanks_v1"');
    expect(await refused({ ...request(), fromRevision: 3 })).toBe('Not migrated: it runs revision 1, not 3');
    expect(await refused({ ...request(), to: { revision: 2, definition: flowOf(triggerState({ incomingRequest: 'asked' }), { ...ask('x'), name: 'asked' }) } })).toBe('Not migrated: revision 2 has no widget named "ask" (renamed or removed)');
    const sid = newSid('FM');
    expect(await handle.executeUpdate(migrateExecution, { args: [request(sid)], updateId: sid })).toEqual({ outcome: 'migrated', fromRevision: 1, toRevision: 2 });
    // The same update ID is answered from the first; another migration finds it moved already.
    expect(await handle.executeUpdate(migrateExecution, { args: [request(sid)], updateId: sid })).toEqual({ outcome: 'migrated', fromRevision: 1, toRevision: 2 });
    expect(await handle.executeUpdate(migrateExecution, { args: [request()] })).toEqual({ outcome: 'already', fromRevision: 1, toRevision: 2 });
    const snapshot = await handle.query(executionSnapshot);
    expect(snapshot.steps.filter((s) => s.name === 'migrated')).toHaveLength(1);
    await handle.signal(inboundMessage, reply);
    expect((await handle.result()).state.context.flow.variables).toEqual({ by: 'v2 Ada' });
  });
});
