import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { ExecutionState } from '../src/engine/state';
import type { FlowExecutionInput } from './execution-input';
import { CurrentWidget, StepCount } from './search-attributes';

/**
 * What the Temporal UI shows of an execution while it runs: live details (Markdown, served
 * by a query, so they cost no history) and the `CurrentWidget` / `StepCount` search attributes,
 * updated only when the execution settles into a wait at another widget — one event per wait,
 * none per pure widget — so "who is stuck at widget X" is a visibility query.
 */
export class ExecutionView {
  private shownWidget: string | undefined;

  constructor(
    private readonly input: FlowExecutionInput,
    private readonly state: ExecutionState,
    private readonly enabled: boolean,
  ) {}

  /** The execution is about to wait at its current widget for `what`. */
  waiting(what: string): void {
    setCurrentDetails(this.details(`waiting at \`${this.state.current ?? '?'}\` ${this.widgetType()}: ${what}`));
    const widget = this.state.current;
    if (!this.enabled || widget === undefined || widget === this.shownWidget) return;
    this.shownWidget = widget;
    upsertSearchAttributes([
      { key: CurrentWidget, value: widget },
      { key: StepCount, value: this.state.steps.length },
    ]);
  }

  /** The current widget runs a short activity: the details say so; nothing goes into history. */
  busy(what: string): void {
    setCurrentDetails(this.details(`at \`${this.state.current ?? '?'}\` ${this.widgetType()}: ${what}`));
  }

  ended(): void {
    const failure = this.state.failure;
    setCurrentDetails(this.details(failure ? `ended: ${failure.message} (${failure.code})` : 'ended at the end of the flow'));
  }

  private details(now: string): string {
    const { input, state } = this;
    const last = state.steps[state.steps.length - 1];
    return [
      `**Execution** ${state.executionSid} of flow ${input.flow.sid} (revision ${input.flow.revision})${input.depth ? ' — subflow' : ''}`,
      `**Contact** ${state.trigger.contactAddress} · **Trigger** ${state.trigger.event}`,
      `**Now** ${now}`,
      `**Steps** ${state.steps.length}${last ? ` — last: \`${last.transitioned_from}\` —${last.name}→ \`${last.transitioned_to}\`` : ''}`,
    ].join('\n\n');
  }

  private widgetType(): string {
    const widget = this.input.flow.definition.states.find((s) => s.name === this.state.current);
    return widget ? `(${widget.type})` : '';
  }
}
