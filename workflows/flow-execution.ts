import { allHandlersFinished, ApplicationFailure, CancellationScope, condition, continueAsNew, getExternalWorkflowHandle, isCancellation, patched, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { FailureReason } from '../src/engine/errors';
import { resolvePinnedLimits } from '../src/engine/limits';
import { end, runExecution } from '../src/engine/run';
import { newExecutionState, type ExecutionState } from '../src/engine/state';
import { WIDGETS } from '../src/widgets';
import { borrowedCallState, newCallState, receiveLentNews, takeLentAnswer, type VoiceTurn } from '../src/engine/call';
import { ignorePending, newMailbox, receive, recordStatus } from '../src/engine/mailbox';
import { callStatus, endExecution, executionSnapshot, inboundMessage, lentCallAnswer, lentCallNews, messageStatus, migrateExecution, voiceTurn, type MigrationAnswer } from './messages';
import { migrationDecision, recordMigration, type MigrationRequest } from '../src/engine/migrate';
import type { EngineHost } from '../src/engine/host';
import { acceptTurn, hangUpUnanswered, recordCallStatus, validateTurn } from './call-handlers';
import { CurrentWidget, FlowRevision, StepCount } from './search-attributes';
import { temporalHost, type ChildTracker } from './temporal-host';
import { answerLender } from './lent-call';
import { EventRecorder } from './event-recorder';
import { ExecutionView } from './execution-view';

import type { FlowExecutionInput, FlowExecutionResult } from './execution-input';

export type { FlowExecutionInput, FlowExecutionResult } from './execution-input';

/** Marks executions that record events and show their progress in the Temporal UI. */
export const OBSERVABILITY_PATCH = 'events-and-ui-view';

const ENDED_BY_REQUEST: FailureReason = { code: 'execution:ended', message: 'Ended on request (Status=ended)' };

/**
 * One Studio Execution: a thin driver of the deterministic interpreter in `src/engine`.
 * Handlers are registered before the first await, so messages that arrive with the start are
 * never rejected. Long executions continue as new at a widget boundary when Temporal suggests
 * it, carrying the interpreter state; the Execution SID stays the same.
 */
export async function flowExecution(input: FlowExecutionInput): Promise<FlowExecutionResult> {
  const state = input.resume ? upgrade(input.resume) : newExecutionState(input.flow.sid, input.executionSid, input.flow.definition.initial_state, input.trigger);
  if (input.call && !input.resume) state.call = borrowedCallState(input.call);
  const stepsAtStart = state.steps.length;
  // The input as it is now: a migration replaces its flow revision (and continue-as-new carries that).
  const running: Running = { ...input };
  // Executions recorded before events and the UI view existed replay without them.
  const observed = patched(OBSERVABILITY_PATCH);
  const recorder = new EventRecorder(running, state, observed);
  const view = new ExecutionView(running, state, observed);
  let endRequested = false;
  const scope = new CancellationScope();
  setHandler(executionSnapshot, () => state);
  setHandler(endExecution, () => {
    endRequested = true;
    scope.cancel();
  });
  const children: ChildTracker = {};
  const host = temporalHost(running, state, children, { recorder, view });
  setHandler(migrateExecution, (request) => migrate(running, state, host, request, recorder), { validator: (request: MigrationRequest) => refuseMigration(running, state, request) });
  setHandler(inboundMessage, async (event) => {
    // The innermost running flow gets the contact's messages (a subflow while it runs).
    if (children.active) return getExternalWorkflowHandle(children.active).signal(inboundMessage, event);
    receive(state.mailbox, event);
    if (state.status === 'ended') ignorePending(state.mailbox, null);
  });
  setHandler(messageStatus, (status) => recordStatus(state.mailbox, status));
  // Registered before the first await: an update that comes with the start must find it.
  setHandler(voiceTurn, (turn) => acceptTurn(state, turn), { validator: (turn: VoiceTurn) => validateTurn(state, turn) });
  setHandler(callStatus, (status) => recordCallStatus(state, status));
  setHandler(lentCallNews, (news) => receiveLentNews(state.call, news));
  // A subflow answered one of this execution's turns (or, lent in turn, of its lender's).
  setHandler(lentCallAnswer, async (lent) => {
    takeLentAnswer(state.call, lent);
    if (input.call) await answerLender(input.call, lent);
  });

  let pauseForContinueAsNew = false;
  try {
    await scope.run(() =>
      runExecution(() => running.flow.definition, state, host, {
        widgets: WIDGETS,
        limits: resolvePinnedLimits(input.limits),
        depth: input.depth ?? 0,
        interrupted: () => (endRequested ? ENDED_BY_REQUEST : undefined),
        afterStep: (step) => {
          // Messages that arrived while this widget ran, and that it did not take, are ignored (81002).
          ignorePending(state.mailbox, step.transitioned_from);
          return (pauseForContinueAsNew = shouldContinueAsNew(input, state.steps.length - stepsAtStart));
        },
      }),
    );
  } catch (err) {
    if (!isCancellation(err)) throw err;
    end(state, ENDED_BY_REQUEST);
  }

  if (pauseForContinueAsNew && state.status === 'active') {
    await recorder.flush();
    await condition(allHandlersFinished);
    await continueAsNew<typeof flowExecution>({ ...running, resume: state });
  }
  ignorePending(state.mailbox, null);
  // A lent call's waiting webhooks are its lender's to answer: the parent goes on speaking.
  if (!input.call) hangUpUnanswered(state);
  view.ended();
  upsertSearchAttributes([
    { key: StepCount, value: state.steps.length },
    { key: CurrentWidget, value: null },
  ]);
  await recorder.flushAtEnd();
  return {
    executionSid: state.executionSid,
    status: 'ended',
    ...(state.failure ? { failure: state.failure } : {}),
    stepCount: state.steps.length,
    context: state.context,
    state,
  };
}

type Running = { -readonly [K in keyof FlowExecutionInput]: FlowExecutionInput[K] };

/** The update's validator: a refusal leaves no trace in the execution's history. */
function refuseMigration(running: Running, state: ExecutionState, request: MigrationRequest): void {
  const decision = migrationDecision(state, running.flow, request, running.depth ?? 0);
  if (decision.kind === 'refuse') throw ApplicationFailure.nonRetryable(`Not migrated: ${decision.reason}`, 'MigrationRefused');
}

/**
 * Switches the execution to the requested revision where it waits. Nothing is awaited between
 * the validator and the switch, so what the validator saw still holds; the widget's wait goes
 * on, and its transition (and all after it) come from the new revision.
 */
async function migrate(running: Running, state: ExecutionState, host: EngineHost, request: MigrationRequest, recorder: EventRecorder): Promise<MigrationAnswer> {
  const from = running.flow.revision;
  if (migrationDecision(state, running.flow, request, running.depth ?? 0).kind === 'already') return { outcome: 'already', fromRevision: request.fromRevision, toRevision: from };
  const type = running.flow.definition.states.find((s) => s.name === request.widget)?.type ?? '';
  running.flow = { sid: running.flow.sid, revision: request.to.revision, definition: request.to.definition };
  recordMigration(state, request, from, type, host.newSid('FT'), host.now());
  upsertSearchAttributes([{ key: FlowRevision, value: request.to.revision }]);
  await recorder.flush();
  return { outcome: 'migrated', fromRevision: from, toRevision: request.to.revision };
}

/** State carried by an older version of this workflow through continue-as-new: fill what it lacks. */
function upgrade(state: ExecutionState): ExecutionState {
  state.mailbox ??= newMailbox();
  state.call ??= newCallState();
  return state;
}

function shouldContinueAsNew(input: FlowExecutionInput, stepsThisRun: number): boolean {
  if (input.continueAsNewAfterSteps !== undefined) return stepsThisRun >= input.continueAsNewAfterSteps;
  return workflowInfo().continueAsNewSuggested;
}
