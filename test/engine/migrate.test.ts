import type { ExecutionTrigger } from '../../src/engine/context';
import { executionEvents, STEP_ENDED } from '../../src/engine/events';
import { migrationDecision, recordMigration, type MigrationRequest } from '../../src/engine/migrate';
import { newExecutionState, type ExecutionState } from '../../src/engine/state';
import type { FlowDefinition, FlowState } from '../../src/flow/definition';
import { mapWaitingWidget } from '../../src/flow/revision-mapping';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';

const trigger: ExecutionTrigger = { event: 'incomingMessage', data: { Body: 'hi' }, contactAddress: '+14155551234', channelAddress: '+15005550006' };
const ask = (name: string, next: string): FlowState => ({ name, type: 'send-and-wait-for-reply', properties: { body: '?' }, transitions: [{ event: 'incomingMessage', next }, { event: 'timeout' }] });
const v1: FlowDefinition = flowOf(triggerState({ incomingMessage: 'ask' }), ask('ask', 'done'), ask('other', 'done'), setVariablesState('done', []));
const v2: FlowDefinition = flowOf(triggerState({ incomingMessage: 'ask' }), ask('ask', 'thanks'), setVariablesState('other', []), setVariablesState('thanks', []));
const rev = (revision: number, definition: FlowDefinition) => ({ revision, definition });

/** Waiting at `ask` of revision 1, as the interpreter leaves it there. */
function waitingAtAsk(): ExecutionState {
  const state = newExecutionState('FW1', 'FN1', 'Trigger', trigger);
  state.steps.push({ sid: 'FT1', name: 'incomingMessage', transitioned_from: 'Trigger', transitioned_to: 'ask', type: 'trigger', date_created: '2026-12-01T00:00:00.000Z', changes: {} });
  state.current = 'ask';
  return state;
}

describe('moving a waiting execution to another revision', () => {
  it('maps a waiting widget to the one of the same name and type, or says why not', () => {
    expect(mapWaitingWidget(rev(1, v1), rev(2, v2), 'ask')).toEqual({ mappable: true, widget: 'ask', type: 'send-and-wait-for-reply' });
    expect(mapWaitingWidget(rev(1, v1), rev(2, v2), 'other')).toEqual({ mappable: false, reason: '"other" is a send-and-wait-for-reply in revision 1 and a set-variables in revision 2' });
    expect(mapWaitingWidget(rev(1, v1), rev(2, flowOf(triggerState({ incomingMessage: 'asked' }), ask('asked', 'x'))), 'ask')).toEqual({ mappable: false, reason: 'revision 2 has no widget named "ask" (renamed or removed)' });
    expect(mapWaitingWidget(rev(1, v1), rev(2, v2), 'gone')).toEqual({ mappable: false, reason: 'revision 1 has no widget named "gone"' });
  });

  it('decides from the execution as it is now: migrate, already moved, or refuse with the reason', () => {
    const request: MigrationRequest = { migrationSid: 'FM1', fromRevision: 1, widget: 'ask', to: rev(2, v2) };
    const state = waitingAtAsk();
    expect(migrationDecision(state, rev(1, v1), request, 0)).toEqual({ kind: 'migrate' });
    expect(migrationDecision(state, rev(2, v2), request, 0)).toEqual({ kind: 'already' });
    expect(migrationDecision(state, rev(1, v1), request, 1)).toEqual({ kind: 'refuse', reason: 'it runs as a subflow of another execution' });
    expect(migrationDecision(state, rev(1, v1), { ...request, fromRevision: 3 }, 0)).toEqual({ kind: 'refuse', reason: 'it runs revision 1, not 3' });
    expect(migrationDecision(state, rev(1, v1), { ...request, widget: 'other' }, 0)).toEqual({ kind: 'refuse', reason: 'it moved on: it is at "ask" now, not "other"' });
    const other = { ...waitingAtAsk(), current: 'other' };
    expect(migrationDecision(other, rev(1, v1), { ...request, widget: 'other' }, 0)).toEqual({ kind: 'refuse', reason: '"other" is a send-and-wait-for-reply in revision 1 and a set-variables in revision 2' });
    expect(migrationDecision({ ...state, status: 'ended', current: undefined }, rev(1, v1), request, 0)).toEqual({ kind: 'refuse', reason: 'it has ended' });
  });

  it('records the switch as a step at the widget, and its events carry each step’s revision', () => {
    const state = waitingAtAsk();
    const step = recordMigration(state, { migrationSid: 'FM1', fromRevision: 1, widget: 'ask', to: rev(2, v2) }, 1, 'send-and-wait-for-reply', 'FT2', new Date('2026-12-01T00:01:00Z'));
    expect(step).toEqual({ sid: 'FT2', name: 'migrated', transitioned_from: 'ask', transitioned_to: 'ask', type: 'send-and-wait-for-reply', date_created: '2026-12-01T00:01:00.000Z', changes: {}, migration: { sid: 'FM1', from: 1, to: 2 } });
    state.steps.push({ sid: 'FT3', name: 'incomingMessage', transitioned_from: 'ask', transitioned_to: 'thanks', type: 'send-and-wait-for-reply', date_created: '2026-12-01T00:02:00.000Z', changes: {} });
    const events = executionEvents(state, { flowSid: 'FW1', revision: 2, startedBy: null, startedAt: '2026-12-01T00:00:00.000Z' });
    expect(events.map((e) => [e.type === STEP_ENDED ? e.data.name : e.type, e.data.flow_revision])).toEqual([
      // The execution started on revision 1, where the steps before the migration ran.
      ['com.twilio.studio.flow.execution.started', 1],
      ['incomingMessage', 1],
      ['migrated', 2],
      ['incomingMessage', 2],
    ]);
    expect(events[2]!.data.migration).toEqual({ migration_sid: 'FM1', from_revision: 1, to_revision: 2 });
  });
});
