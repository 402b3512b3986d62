import type { ExecutionTrigger, FlowContext } from './context';
import type { EngineHost } from './host';
import type { JsonObject } from './json';

/** What a widget gets when it runs. */
export interface WidgetRun<P> {
  /** The widget's name in the flow (`widgets.<name>`). */
  readonly name: string;
  readonly props: P;
  /** The flow context before this step; widgets return changes, they never mutate it. */
  readonly context: Readonly<FlowContext>;
  readonly trigger: ExecutionTrigger;
  /** Renders a Liquid template against the current context. Throws FlowError on failure. */
  readonly render: (template: string) => string;
  readonly host: EngineHost;
}

/** What a widget decided: the event it emits and what it publishes. */
export interface WidgetOutcome {
  readonly event: string;
  /** Stored under `widgets.<name>` when the step ends. */
  readonly outputs?: JsonObject;
  /** Merged into `flow.variables` (Set Variables). */
  readonly variables?: JsonObject;
}

/**
 * A widget's behaviour. One per Studio type id, each in its own file under `src/widgets/`,
 * listed in the explicit registry there.
 */
export interface WidgetBehaviour<P = unknown> {
  /** The Studio type id, e.g. `set-variables`. */
  readonly type: string;
  /** Every transition event it can emit, with Studio's spelling. */
  readonly events: readonly string[];
  /** Reads the widget's `properties`; throws FlowError when they cannot be used. */
  parse(properties: Record<string, unknown>): P;
  run(run: WidgetRun<P>): WidgetOutcome | Promise<WidgetOutcome>;
}

export type WidgetRegistry = Readonly<Record<string, WidgetBehaviour<unknown>>>;
