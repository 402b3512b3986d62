import type { JsonObject } from './json';
import type { ExecutionState, Step } from './state';

/** Studio's event types (studio-spec §8), with the schema each one's data follows. */
export const EXECUTION_STARTED = 'com.twilio.studio.flow.execution.started';
export const EXECUTION_ENDED = 'com.twilio.studio.flow.execution.ended';
export const STEP_ENDED = 'com.twilio.studio.flow.step.ended';

export const EVENT_SCHEMAS: Readonly<Record<string, { readonly version: number; readonly url: string }>> = {
  [EXECUTION_STARTED]: { version: 2, url: 'https://events-schemas.twilio.com/Studio.FlowExecutionEvent/2' },
  [EXECUTION_ENDED]: { version: 2, url: 'https://events-schemas.twilio.com/Studio.FlowExecutionEvent/2' },
  [STEP_ENDED]: { version: 1, url: 'https://events-schemas.twilio.com/Studio.FlowStepEvent/1' },
};

/** One event of an execution's stream, before the account and envelope are added. */
export interface ExecutionEvent {
  /** 1, 2, 3… in the order things happened, subflow steps included. */
  readonly sequence: number;
  readonly type: string;
  readonly time: string;
  readonly data: JsonObject;
}

/** What the events say about the execution beyond its state. */
export interface EventOrigin {
  readonly flowSid: string;
  readonly revision: number;
  /** The SID that started the execution (message, call, conversation, parent); null: the account (REST). */
  readonly startedBy: string | null;
  readonly startedAt: string;
  /** Set once the execution has ended. */
  readonly endedAt?: string;
  /**
   * Inside a subflow: the sequence its first step takes and the Run Subflow step it belongs to.
   * A subflow reports only its steps; the execution's start and end are the parent's.
   */
  readonly subflow?: { readonly sequenceBase: number; readonly parentStepSid: string };
}

/**
 * Every event of an execution so far, derived from its state alone — so the same state always
 * gives the same events with the same sequence numbers, on any replay and in any run.
 * Subflow steps come just before the Run Subflow step that ran them, as they happened.
 */
export function executionEvents(state: ExecutionState, origin: EventOrigin): ExecutionEvent[] {
  const events: ExecutionEvent[] = [];
  let sequence = origin.subflow ? origin.subflow.sequenceBase : 1;
  const push = (type: string, time: string, data: JsonObject) => events.push({ sequence: sequence++, type, time, data });
  // A migrated execution started on the revision its first migration moved it from.
  if (!origin.subflow) push(EXECUTION_STARTED, origin.startedAt, executionData(state, { ...origin, revision: stepRevisions(state.steps, origin.revision).started }, 'active'));
  for (const { step, flowSid, revision, parentStepSid } of flatten(state.steps, state.flowSid, origin.revision, origin.subflow?.parentStepSid ?? null)) {
    push(STEP_ENDED, step.date_created, stepData(state, step, flowSid, revision, parentStepSid));
  }
  if (!origin.subflow && state.status === 'ended' && origin.endedAt) push(EXECUTION_ENDED, origin.endedAt, executionData(state, origin, 'ended'));
  return events;
}

/** The sequence the next event of this (sub)flow will take. */
export function nextSequence(state: ExecutionState, origin: Pick<EventOrigin, 'subflow'>): number {
  return (origin.subflow ? origin.subflow.sequenceBase : 2) + [...flatten(state.steps, '', 0, null)].length;
}

interface FlatStep {
  readonly step: Step;
  readonly flowSid: string;
  readonly revision: number;
  readonly parentStepSid: string | null;
}

/** Steps in the order they ended: a subflow's steps (and theirs) before the step that ran it. */
function* flatten(steps: readonly Step[], flowSid: string, revision: number, parentStepSid: string | null): Generator<FlatStep> {
  const revisions = stepRevisions(steps, revision).each;
  for (const [i, step] of steps.entries()) {
    if (step.subflow) yield* flatten(step.subflow.steps, step.subflow.flowSid, step.subflow.revision, step.sid);
    yield { step, flowSid, revision: revisions[i]!, parentStepSid };
  }
}

/**
 * The revision each step ran in, given the one the execution runs now: a `migrated` step belongs
 * to the revision it moved to, the steps before it to the one it moved from.
 */
function stepRevisions(steps: readonly Step[], current: number): { each: number[]; started: number } {
  const each = new Array<number>(steps.length);
  let revision = current;
  for (let i = steps.length - 1; i >= 0; i--) {
    const migration = steps[i]!.migration;
    each[i] = migration ? migration.to : revision;
    if (migration) revision = migration.from;
  }
  return { each, started: revision };
}

/** Studio's `ended_reason`: FLOW_END for a flow that ran to its end, else why it stopped. */
function endedReason(state: ExecutionState): string {
  if (!state.failure) return 'FLOW_END';
  if (state.failure.code === 'execution:ended') return 'ENDED_BY_REQUEST';
  return state.failure.code.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

function executionData(state: ExecutionState, origin: EventOrigin, status: 'active' | 'ended'): JsonObject {
  return {
    execution_sid: state.executionSid,
    flow_sid: origin.flowSid,
    flow_revision: origin.revision,
    contact_channel_address: state.trigger.contactAddress,
    status,
    ...(status === 'ended' ? { ended_reason: endedReason(state) } : {}),
    ...(status === 'ended' && state.failure ? { failure: failureData(state) } : {}),
    started_by: origin.startedBy,
    date_created: origin.startedAt,
    date_updated: status === 'ended' && origin.endedAt ? origin.endedAt : origin.startedAt,
  };
}

function failureData(state: ExecutionState): JsonObject {
  const { code, message, twilioCode, widget } = state.failure!;
  return { code, message, ...(twilioCode !== undefined ? { twilio_code: twilioCode } : {}), ...(widget !== undefined ? { widget } : {}) };
}

function stepData(state: ExecutionState, step: Step, flowSid: string, revision: number, parentStepSid: string | null): JsonObject {
  return {
    execution_sid: state.executionSid,
    flow_sid: flowSid,
    flow_revision: revision,
    step_sid: step.sid,
    parent_step_sid: parentStepSid,
    name: step.name,
    transitioned_from: step.transitioned_from,
    transitioned_to: step.transitioned_to,
    type: step.type,
    date_created: step.date_created,
    ...(step.error ? { error: { code: step.error.code, message: step.error.message } } : {}),
    ...(step.migration ? { migration: { migration_sid: step.migration.sid, from_revision: step.migration.from, to_revision: step.migration.to } } : {}),
  };
}

/** The SID that started an execution, from its trigger; null for a REST start (the account did). */
export function startedBy(trigger: ExecutionState['trigger']): string | null {
  const data = trigger.data;
  for (const key of ['MessageSid', 'CallSid', 'ConversationSid']) {
    if (typeof data[key] === 'string') return data[key];
  }
  if (trigger.event === 'incomingParent' && typeof data.execution_sid === 'string') return data.execution_sid;
  return null;
}

