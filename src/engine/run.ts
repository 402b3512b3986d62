import type { FlowDefinition, FlowState } from '../flow/definition';
import type { FlowSource } from './migrate';
import { FlowError, type FailureReason } from './errors';
import { applies, type EngineHost } from './host';
import type { EngineLimits } from './limits';
import { TemplateRenderer } from './liquid';
import { admitChanges } from './state-budget';
import { applyChanges, ENDED, type ExecutionState, type Step, type StepChanges } from './state';
import type { WidgetOutcome, WidgetRegistry } from './widget';

export interface EngineOptions {
  readonly widgets: WidgetRegistry;
  readonly limits: EngineLimits;
  /** 0 for an execution, 1 inside a subflow, … */
  readonly depth?: number;
  /** Called after every step, e.g. to decide on continue-as-new. Returning true pauses the run. */
  readonly afterStep?: (step: Step, state: ExecutionState) => boolean;
  /** Checked before every widget: a reason ends the execution there (e.g. ended through the API). */
  readonly interrupted?: () => FailureReason | undefined;
}

/**
 * Runs an execution from `state.current` until it ends (or `afterStep` asks to pause). Each
 * widget emits one event; the transition for that event names the next widget, and a missing
 * `next` ends the execution. Every transition is recorded as a Step. Problems in the flow or
 * its data end the execution with a reason on `state.failure`; this function does not throw
 * for them.
 *
 * The state is updated in place so that a query can observe progress while a widget waits.
 * `flow` may be a function: an execution migrated while a widget waited takes that widget's
 * transition, and every widget after it, from the revision it was moved to.
 */
export async function runExecution(flow: FlowSource, state: ExecutionState, host: EngineHost, options: EngineOptions): Promise<ExecutionState> {
  const widgetNamed = widgetLookup(flow);
  const renderer = new TemplateRenderer(options.limits, { applies: () => applies(host, 'liquid-studio-semantics'), now: () => host.now() });
  while (state.status === 'active' && state.current !== undefined) {
    const interruption = options.interrupted?.();
    if (interruption) return end(state, interruption);
    const widget = widgetNamed(state.current);
    if (!widget) return end(state, { code: 'flow:unknown-state', message: `The flow has no widget named "${state.current}"` });
    const limit = checkLimits(state, widget.name, options.limits);
    if (limit) return end(state, limit);

    const stepSid = host.newSid('FT');
    const ran = runWidget(widget, stepSid, state, host, options, renderer);
    const outcome = isPromise(ran) ? await ran : ran;
    // Awaiting a widget is waiting in the workflow (an activity, a timer, a signal): a new task.
    if (isPromise(ran)) renderer.waited();
    if ('failure' in outcome) return end(state, outcome.failure);
    // A branch index was chosen among this widget's transitions; an event is looked up in the
    // widget as the flow has it now (another revision's, if the execution moved while it waited).
    const transition = outcome.transition !== undefined ? widget.transitions[outcome.transition] : (widgetNamed(widget.name) ?? widget).transitions.find((t) => t.event === outcome.event);
    const next = transition?.next || undefined;
    const changes = changesOf(widget, outcome);
    const overBudget = admitChanges(state, changes, widget.name, options.limits.maxExecutionStateBytes);
    if (overBudget) return end(state, overBudget);
    const step = recordStep(state, widget, stepSid, outcome, changes, next, host);
    state.current = next;
    if (next === undefined) state.status = 'ended';
    if (options.afterStep?.(step, state)) break;
  }
  return state;
}

/** Widgets by name in the flow's current definition, indexed again only when it changes. */
function widgetLookup(flow: FlowSource): (name: string) => FlowState | undefined {
  const current = typeof flow === 'function' ? flow : () => flow;
  let indexed: FlowDefinition | undefined;
  let states = new Map<string, FlowState>();
  return (name) => {
    const definition = current();
    if (definition !== indexed) {
      indexed = definition;
      states = new Map(definition.states.map((s) => [s.name, s]));
    }
    return states.get(name);
  };
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

type Ran = WidgetOutcome | { failure: FailureReason };

/**
 * Runs one widget. A synchronous widget (most logic widgets are) gets its outcome back without
 * a promise: every promise is work for the SDK (and a captured stack trace with
 * WORKER_STACK_TRACES), and pure widgets are meant to cost next to nothing.
 */
function runWidget(widget: FlowState, stepSid: string, state: ExecutionState, host: EngineHost, options: EngineOptions, renderer: TemplateRenderer): Ran | Promise<Ran> {
  // Own keys only: a type such as `constructor` must not find an Object.prototype member.
  const behaviour = Object.hasOwn(options.widgets, widget.type) ? options.widgets[widget.type] : undefined;
  if (!behaviour) {
    return { failure: { code: 'widget:unsupported', message: `Widget type "${widget.type}" is not supported yet`, widget: widget.name } };
  }
  try {
    const props = behaviour.parse(widget.properties ?? {});
    const outcome = behaviour.run({
      name: widget.name,
      props,
      transitions: widget.transitions,
      stepSid,
      context: state.context,
      trigger: state.trigger,
      render: (template) => renderer.render(template, state.context),
      host,
      limits: options.limits,
      depth: options.depth ?? 0,
    });
    return isPromise(outcome) ? outcome.catch((err: unknown) => failureOf(err, widget.name)) : outcome;
  } catch (err) {
    return failureOf(err, widget.name);
  }
}

/** A FlowError is the flow's problem and ends the execution; anything else is a bug and throws. */
function failureOf(err: unknown, widget: string): { failure: FailureReason } {
  if (err instanceof FlowError) return { failure: err.reason(widget) };
  throw err;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown }).then === 'function';
}

function changesOf(widget: FlowState, outcome: WidgetOutcome): StepChanges {
  return {
    ...(outcome.outputs !== undefined ? { widget: { name: widget.name, outputs: outcome.outputs } } : {}),
    ...(outcome.variables !== undefined ? { variables: outcome.variables } : {}),
    ...(outcome.channel !== undefined ? { channel: outcome.channel } : {}),
  };
}

function recordStep(state: ExecutionState, widget: FlowState, sid: string, outcome: WidgetOutcome, changes: StepChanges, next: string | undefined, host: EngineHost): Step {
  applyChanges(state.context, changes);
  const step: Step = {
    sid,
    name: outcome.event,
    transitioned_from: widget.name,
    transitioned_to: next ?? ENDED,
    type: widget.type,
    date_created: host.now().toISOString(),
    changes,
    ...(outcome.subflow ? { subflow: outcome.subflow } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  state.steps.push(step);
  return step;
}

/** Ends the execution with a reason. */
export function end(state: ExecutionState, failure: FailureReason): ExecutionState {
  state.status = 'ended';
  state.current = undefined;
  state.failure = failure;
  return state;
}
