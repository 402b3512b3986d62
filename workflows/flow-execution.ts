import { setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { ExecutionTrigger } from '../src/engine/context';
import type { FailureReason } from '../src/engine/errors';
import type { JsonObject } from '../src/engine/json';
import { resolveLimits, type EngineLimits } from '../src/engine/limits';
import { runExecution } from '../src/engine/run';
import { newExecutionState } from '../src/engine/state';
import type { FlowDefinition } from '../src/flow/definition';
import { WIDGETS } from '../src/widgets';
import { executionSnapshot } from './messages';
import { StepCount } from './search-attributes';
import { temporalHost } from './temporal-host';

/** What starts an execution. The flow revision travels in the input, so it is pinned in history. */
export interface FlowExecutionInput {
  readonly executionSid: string;
  readonly flow: { readonly sid: string; readonly revision: number; readonly definition: FlowDefinition };
  readonly trigger: ExecutionTrigger;
  readonly limits?: Partial<EngineLimits>;
}

export interface FlowExecutionResult {
  readonly executionSid: string;
  readonly status: 'ended';
  readonly failure?: FailureReason;
  readonly stepCount: number;
  readonly context: JsonObject;
}

/**
 * One Studio Execution: a thin driver of the deterministic interpreter in `src/engine`.
 * Handlers are registered before the first await, so messages that arrive with the start are
 * never rejected.
 */
export async function flowExecution(input: FlowExecutionInput): Promise<FlowExecutionResult> {
  const state = newExecutionState(input.flow.sid, input.executionSid, input.flow.definition.initial_state, input.trigger);
  setHandler(executionSnapshot, () => state);

  await runExecution(input.flow.definition, state, temporalHost(), { widgets: WIDGETS, limits: resolveLimits(input.limits) });

  upsertSearchAttributes([{ key: StepCount, value: state.steps.length }]);
  return {
    executionSid: state.executionSid,
    status: 'ended',
    ...(state.failure ? { failure: state.failure } : {}),
    stepCount: state.steps.length,
    context: state.context,
  };
}
