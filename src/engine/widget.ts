import type { Transition } from '../flow/definition';
import type { ExecutionTrigger, FlowContext } from './context';
import type { EngineHost } from './host';
import type { JsonObject } from './json';
import type { EngineLimits } from './limits';
import type { SubflowRun } from './state';

/** What a widget gets when it runs. */
export interface WidgetRun<P> {
  /** The widget's name in the flow (`widgets.<name>`). */
  readonly name: string;
  readonly props: P;
  /** The widget's transitions, in flow order (Split Based On… tests its branches in order). */
  readonly transitions: readonly Transition[];
  /** The SID of the step this run will record. */
  readonly stepSid: string;
  /** The flow context before this step; widgets return changes, they never mutate it. */
  readonly context: Readonly<FlowContext>;
  readonly trigger: ExecutionTrigger;
  /** Renders a Liquid template against the current context. Throws FlowError on failure. */
  readonly render: (template: string) => string;
  readonly host: EngineHost;
  readonly limits: EngineLimits;
  /** 0 for an execution, 1 inside a subflow, … */
  readonly depth: number;
}

/** What a widget decided: the event it emits and what it publishes. */
export interface WidgetOutcome {
  readonly event: string;
  /** Which transition carries the event, when several share it (Split's `match` branches). */
  readonly transition?: number;
  /** Stored under `widgets.<name>` when the step ends. */
  readonly outputs?: JsonObject;
  /** Merged into `flow.variables` (Set Variables). */
  readonly variables?: JsonObject;
  /** Merged into `flow.channel` (Start / Resume Conversation). */
  readonly channel?: JsonObject;
  /** The subflow a Run Subflow step ran, kept with the step. */
  readonly subflow?: SubflowRun;
  /** Why the widget failed, when it emits its failure event (recorded, never thrown). */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * A widget's behaviour. One per Studio type id, each in its own file under `src/widgets/`,
 * listed in the explicit registry there.
 */
export interface WidgetBehaviour<P = unknown> {
  /** The Studio type id, e.g. `set-variables`. */
  readonly type: string;
  /** Reads the widget's `properties`; throws FlowError when they cannot be used. */
  parse(properties: Record<string, unknown>): P;
  run(run: WidgetRun<P>): WidgetOutcome | Promise<WidgetOutcome>;
}

export type WidgetRegistry = Readonly<Record<string, WidgetBehaviour<unknown>>>;
