import type { ExecutionTrigger, FlowContext } from './context';
import { initialContext } from './context';
import type { FailureReason } from './errors';
import type { JsonObject } from './json';

/**
 * One transition, as Studio's Steps API shows it: `name` is the event the widget emitted,
 * `transitioned_to` is the next widget or `"Ended"`, `context` the flow context after the step.
 */
export interface Step {
  readonly sid: string;
  readonly name: string;
  readonly transitioned_from: string;
  readonly transitioned_to: string;
  /** The widget type that emitted the event. */
  readonly type: string;
  readonly context: JsonObject;
  readonly date_created: string;
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
  context: FlowContext;
  steps: Step[];
  /** Set when the execution ended because of an error or a limit. */
  failure?: FailureReason;
  /** The widget that ran last and how many times in a row (Studio's loop guard). */
  repeat: { widget: string; count: number };
}

/** The state of a new execution, positioned on the flow's initial state. */
export function newExecutionState(flowSid: string, executionSid: string, initialState: string, trigger: ExecutionTrigger): ExecutionState {
  return {
    flowSid,
    executionSid,
    trigger,
    status: 'active',
    current: initialState,
    context: initialContext(flowSid, executionSid, trigger),
    steps: [],
    repeat: { widget: '', count: 0 },
  };
}
