import type { ExecutionTrigger } from '../src/engine/context';
import type { LentCall } from '../src/engine/call';
import type { FailureReason } from '../src/engine/errors';
import type { JsonObject } from '../src/engine/json';
import type { EngineLimits } from '../src/engine/limits';
import type { ExecutionState } from '../src/engine/state';
import type { FlowDefinition } from '../src/flow/definition';

/**
 * The execution workflow's input and result, apart from the workflow itself: the host, the
 * event recorder and the UI view read them, and the workflow imports those, so keeping these
 * types in the workflow's own file would make a cycle of them.
 */

/** A subflow's place in its parent's stream. */
export interface EventStreamPosition {
  readonly sequenceBase: number;
  readonly parentStepSid: string;
  /** The flow the execution runs (sink filters apply to it, subflow steps included). */
  readonly rootFlowSid: string;
}

/** What starts an execution. The flow revision travels in the input, so it is pinned in history. */
export interface FlowExecutionInput {
  readonly executionSid: string;
  readonly flow: { readonly sid: string; readonly revision: number; readonly definition: FlowDefinition };
  readonly trigger: ExecutionTrigger;
  readonly limits?: Partial<EngineLimits>;
  /** 0 for an execution, 1 for a subflow it runs, … */
  readonly depth?: number;
  /** A subflow's place in its execution's event stream. */
  readonly eventStream?: EventStreamPosition;
  /** A subflow of a call's execution: the parent's call, which its voice widgets speak to. */
  readonly call?: LentCall;
  /** The state carried through continue-as-new. */
  readonly resume?: ExecutionState;
  /** Tests only: continue-as-new after this many steps in one run, whatever Temporal suggests. */
  readonly continueAsNewAfterSteps?: number;
}

export interface FlowExecutionResult {
  readonly executionSid: string;
  readonly status: 'ended';
  readonly failure?: FailureReason;
  readonly stepCount: number;
  readonly context: JsonObject;
  /** The compact state (initial context + step deltas): steps stay readable after the run. */
  readonly state: ExecutionState;
}

/** The workflow's signature, for starting it as a child by name. */
export type FlowExecutionWorkflow = (input: FlowExecutionInput) => Promise<FlowExecutionResult>;
