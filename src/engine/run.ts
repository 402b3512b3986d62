import type { FlowDefinition, FlowState } from '../flow/definition';
import { FlowError, type FailureReason } from './errors';
import type { EngineHost } from './host';
import { cloneJson } from './json';
import type { EngineLimits } from './limits';
import { TemplateRenderer } from './liquid';
import { ENDED, type ExecutionState, type Step } from './state';
import type { WidgetOutcome, WidgetRegistry } from './widget';

export interface EngineOptions {
  readonly widgets: WidgetRegistry;
  readonly limits: EngineLimits;
}

/**
 * Runs an execution from `state.current` until it ends. Each widget emits one event; the
 * transition for that event names the next widget, and a missing `next` ends the execution.
 * Every transition is recorded as a Step. Problems in the flow or its data end the execution
 * with a reason on `state.failure`; this function does not throw for them.
 *
 * The state is updated in place so that a query can observe progress while a widget waits.
 */
export async function runExecution(
  flow: FlowDefinition,
  state: ExecutionState,
  host: EngineHost,
  options: EngineOptions,
): Promise<ExecutionState> {
  const states = new Map(flow.states.map((s) => [s.name, s]));
  const renderer = new TemplateRenderer(options.limits);
  while (state.status === 'active' && state.current !== undefined) {
    const widget = states.get(state.current);
    if (!widget) return end(state, { code: 'flow:unknown-state', message: `The flow has no widget named "${state.current}"` });
    const limit = checkLimits(state, widget.name, options.limits);
    if (limit) return end(state, limit);

    const outcome = await runWidget(widget, state, host, options.widgets, renderer);
    if ('failure' in outcome) return end(state, outcome.failure);
    applyOutcome(state, widget, outcome);
    const next = widget.transitions.find((t) => t.event === outcome.event)?.next || undefined;
    const step = recordStep(state, widget, outcome.event, next, host);
    host.stepRecorded?.(step, state);
    state.current = next;
  }
  if (state.current === undefined) state.status = 'ended';
  return state;
}

function checkLimits(state: ExecutionState, widget: string, limits: EngineLimits): FailureReason | undefined {
  if (state.steps.length >= limits.maxSteps) {
    return { code: 'limit:steps', message: `Execution reached the limit of ${limits.maxSteps} steps`, twilioCode: 84000, widget };
  }
  const count = state.repeat.widget === widget ? state.repeat.count + 1 : 1;
  if (count > limits.maxSameWidgetInARow) {
    return {
      code: 'limit:widget-loop',
      message: `Widget "${widget}" ran more than ${limits.maxSameWidgetInARow} times in a row`,
      twilioCode: 81001,
      widget,
    };
  }
  state.repeat = { widget, count };
  return undefined;
}

async function runWidget(
  widget: FlowState,
  state: ExecutionState,
  host: EngineHost,
  registry: WidgetRegistry,
  renderer: TemplateRenderer,
): Promise<WidgetOutcome | { failure: FailureReason }> {
  const behaviour = registry[widget.type];
  if (!behaviour) {
    return { failure: { code: 'widget:unsupported', message: `Widget type "${widget.type}" is not supported yet`, widget: widget.name } };
  }
  try {
    const props = behaviour.parse(widget.properties ?? {});
    return await behaviour.run({
      name: widget.name,
      props,
      context: state.context,
      trigger: state.trigger,
      render: (template) => renderer.render(template, state.context),
      host,
    });
  } catch (err) {
    if (err instanceof FlowError) return { failure: err.reason(widget.name) };
    throw err;
  }
}

function applyOutcome(state: ExecutionState, widget: FlowState, outcome: WidgetOutcome): void {
  if (outcome.variables) Object.assign(state.context.flow.variables, outcome.variables);
  if (outcome.outputs) state.context.widgets[widget.name] = outcome.outputs;
}

function recordStep(state: ExecutionState, widget: FlowState, event: string, next: string | undefined, host: EngineHost): Step {
  const step: Step = {
    sid: host.newSid('FT'),
    name: event,
    transitioned_from: widget.name,
    transitioned_to: next ?? ENDED,
    type: widget.type,
    context: cloneJson(state.context),
    date_created: host.now().toISOString(),
  };
  state.steps.push(step);
  return step;
}

function end(state: ExecutionState, failure: FailureReason): ExecutionState {
  state.status = 'ended';
  state.current = undefined;
  state.failure = failure;
  return state;
}
