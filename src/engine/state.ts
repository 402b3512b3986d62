import type { ExecutionTrigger, FlowContext } from './context';
import { initialContext } from './context';
import type { FailureReason } from './errors';
import { cloneJson, type JsonObject } from './json';
import { newCallState, type CallState } from './call';
import { newMailbox, type Mailbox } from './mailbox';

/** What a step wrote into the flow context. Steps keep only this, not a copy of the context. */
export interface StepChanges {
  /** `widgets.<name>` replaced by these outputs. */
  readonly widget?: { readonly name: string; readonly outputs: JsonObject };
  /** Merged into `flow.variables`. */
  readonly variables?: JsonObject;
  /** Merged into `flow.channel` (a Conversation a widget attached becomes the execution's channel). */
  readonly channel?: JsonObject;
}

/** A subflow run by a Run Subflow step: its own context and steps, shown within the parent's. */
export interface SubflowRun {
  readonly flowSid: string;
  readonly revision: number;
  readonly initial: FlowContext;
  readonly steps: readonly Step[];
  /** Leading steps whose own contexts are no longer kept (see state-budget.ts). */
  readonly folded?: number;
}

/**
 * One transition, as Studio's Steps API shows it: `name` is the event the widget emitted,
 * `transitioned_to` is the next widget or `"Ended"`. The step's context is the execution's
 * initial context with every step's `changes` up to this one applied (see {@link contextAt}):
 * that keeps state small enough for history and continue-as-new.
 */
export interface Step {
  readonly sid: string;
  readonly name: string;
  readonly transitioned_from: string;
  readonly transitioned_to: string;
  /** The widget type that emitted the event. */
  readonly type: string;
  readonly date_created: string;
  readonly changes: StepChanges;
  readonly subflow?: SubflowRun;
  /** Why the widget took its failure event, when it did (for diagnosis; not in Studio's context). */
  readonly error?: { readonly code: string; readonly message: string };
  /** A `migrated` step: the execution went on in revision `to` of its flow from here. */
  readonly migration?: StepMigration;
}

export interface StepMigration {
  /** The migration's SID (`FM…`). */
  readonly sid: string;
  readonly from: number;
  readonly to: number;
}

export const ENDED = 'Ended';

export type ExecutionStatus = 'active' | 'ended';

/**
 * The whole interpreter state: plain data, so it can be queried, carried through
 * continue-as-new and compared in tests.
 */
export interface ExecutionState {
  readonly flowSid: string;
  readonly executionSid: string;
  readonly trigger: ExecutionTrigger;
  status: ExecutionStatus;
  /** The widget to run next; undefined once ended. */
  current: string | undefined;
  /**
   * The context before `steps[folded]`: the one the execution started with, unless the oldest
   * steps' changes were folded into it to keep the state within its limit (state-budget.ts).
   */
  initial: FlowContext;
  /** The context now: `initial` with every step's changes applied. */
  context: FlowContext;
  steps: Step[];
  /** Set when the execution ended because of an error, a limit or a request to end it. */
  failure?: FailureReason;
  /** The widget that ran last and how many times in a row (Studio's loop guard). */
  repeat: { widget: string; count: number };
  /** Inbound messages waiting for, taken by or ignored by the execution. */
  mailbox: Mailbox;
  /** The execution's call, when it has one (incoming call, or an outgoing call it placed). */
  call: CallState;
  /** Leading steps whose changes were folded into `initial`: their own contexts are no longer kept. */
  folded?: number;
  /** Which of its events the outbox has; absent in executions that started before events existed. */
  events?: EventCursor;
}

/** The state of a new execution, positioned on the flow's initial state. */
export function newExecutionState(flowSid: string, executionSid: string, initialState: string, trigger: ExecutionTrigger): ExecutionState {
  const initial = initialContext(flowSid, executionSid, trigger);
  return {
    flowSid,
    executionSid,
    trigger,
    status: 'active',
    current: initialState,
    initial,
    context: cloneJson(initial),
    steps: [],
    repeat: { widget: '', count: 0 },
    mailbox: newMailbox(typeof trigger.data.MessageSid === 'string' ? trigger.data.MessageSid : undefined),
    call: newCallState(trigger.event === 'incomingCall' && typeof trigger.data.CallSid === 'string' ? trigger.data.CallSid : undefined),
  };
}

/** Applies one step's changes to a context, in place. */
export function applyChanges(context: FlowContext, changes: StepChanges): void {
  if (changes.variables) Object.assign(context.flow.variables, changes.variables);
  if (changes.widget) context.widgets[changes.widget.name] = changes.widget.outputs;
  if (changes.channel) Object.assign(context.flow.channel, changes.channel);
}

/** The flow context as it was when step `index` ended. */
export function contextAt(initial: FlowContext, steps: readonly Step[], index: number): FlowContext {
  const context = cloneJson(initial);
  for (const step of steps.slice(0, index + 1)) applyChanges(context, step.changes);
  return context;
}

/** Where an execution's events stand; carried in its state through continue-as-new. */
export interface EventCursor {
  readonly startedAt: string;
  /** The highest sequence the outbox has taken. */
  recordedThrough: number;
  endedAt?: string;
}
