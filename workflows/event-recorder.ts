import { isCancellation, patched, proxyLocalActivities, sleep } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { EventBatch } from '../activities/record-events';
import { executionEvents, nextSequence, startedBy, type EventOrigin } from '../src/engine/events';
import type { ExecutionState } from '../src/engine/state';
import type { EventStreamPosition, FlowExecutionInput } from './execution-input';

export type { EventStreamPosition } from './execution-input';

// A local activity: one marker in history per batch, recorded in the workflow task that made
// the steps. A store hiccup is retried briefly here and otherwise at the next flush: the
// events are derived from the state, so nothing is lost by waiting.
const { recordEvents } = proxyLocalActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 milliseconds', backoffCoefficient: 4 },
});

/** How long an ended execution waits between attempts to hand over its last events. */
const FINAL_RETRY = '30 seconds';

/** Executions recorded before a call's answer went ahead of the events replay without it. */
export const ANSWER_BEFORE_EVENTS_PATCH = 'call-answer-before-events';


/**
 * Hands an execution's events to the durable outbox: before the workflow waits on anything
 * (so a sink hears of each step while the execution goes on) and at the end. Events come from
 * the state, so their sequence numbers are the same on every replay and the outbox stores
 * each once.
 */
export class EventRecorder {
  constructor(
    private readonly input: FlowExecutionInput,
    private readonly state: ExecutionState,
    private readonly enabled: boolean,
  ) {
    if (enabled) state.events ??= { startedAt: new Date().toISOString(), recordedThrough: (input.eventStream?.sequenceBase ?? 1) - 1 };
    this.answeredAtLastFlush = state.call.answered ?? 0;
  }

  /** Call turns answered when events were last handed over (replayed identically: it follows the state). */
  private answeredAtLastFlush: number;

  /** The position a subflow started now takes in this execution's stream. */
  subflowPosition(parentStepSid: string): EventStreamPosition {
    return { sequenceBase: nextSequence(this.state, this.origin()), parentStepSid, rootFlowSid: this.rootFlowSid() };
  }

  /** Records what is new; false if the store could not take it now (it is tried again later). */
  async flush(): Promise<boolean> {
    const batch = this.pending();
    if (!batch) return true;
    await this.answerCallFirst();
    try {
      await recordEvents(batch);
      this.state.events!.recordedThrough = batch.events[batch.events.length - 1]!.sequence;
      return true;
    } catch (err) {
      if (isCancellation(err)) throw err;
      return false;
    }
  }

  /**
   * What is new, for an activity the execution runs anyway to store before its own work (a sent
   * message): then the wait after it finds nothing to flush and schedules no local activity — one
   * marker fewer in history and one activation fewer on every replay of a waiting execution.
   * `answered`: the call turns answered by now, which the task scheduling the activity sends out.
   */
  forActivity(): { readonly batch: EventBatch; readonly answered: number } | undefined {
    const batch = this.pending();
    return batch && { batch, answered: this.state.call.answered ?? 0 };
  }

  /** The activity given `handed` stored its events through `sequence`. */
  carried(handed: { readonly answered: number }, sequence: number): void {
    const cursor = this.state.events;
    if (cursor) cursor.recordedThrough = Math.max(cursor.recordedThrough, sequence);
    // Those turns went out with the task that scheduled the activity: no later flush waits for them.
    this.answeredAtLastFlush = handed.answered;
  }

  private pending(): EventBatch | undefined {
    const cursor = this.state.events;
    if (!this.enabled || !cursor) return undefined;
    const events = executionEvents(this.state, this.origin()).filter((e) => e.sequence > cursor.recordedThrough);
    return events.length === 0 ? undefined : { executionSid: this.state.executionSid, rootFlowSid: this.rootFlowSid(), trigger: this.input.trigger.event, events };
  }

  /** The end: the last events must reach the outbox before the workflow completes. */
  async flushAtEnd(): Promise<void> {
    if (!this.enabled || !this.state.events) return;
    this.state.events.endedAt ??= new Date().toISOString();
    while (!(await this.flush())) await sleep(FINAL_RETRY, { summary: 'waiting for the event store' });
  }

  /**
   * A webhook waiting for TwiML is answered by the workflow task that completes after the
   * answer; a local activity scheduled in that task holds its completion until the activity
   * is done. When this task answered a call turn, a timer ends the task first, so the caller
   * hears the answer without waiting for the event store (two timer events in history).
   */
  private async answerCallFirst(): Promise<void> {
    const answered = this.state.call.answered ?? 0;
    if (answered === this.answeredAtLastFlush) return;
    this.answeredAtLastFlush = answered;
    if (patched(ANSWER_BEFORE_EVENTS_PATCH)) await sleep(1);
  }

  private origin(): EventOrigin {
    const cursor = this.state.events;
    const position = this.input.eventStream;
    return {
      flowSid: this.input.flow.sid,
      revision: this.input.flow.revision,
      startedBy: startedBy(this.state.trigger),
      startedAt: cursor?.startedAt ?? '',
      ...(cursor?.endedAt ? { endedAt: cursor.endedAt } : {}),
      ...(position ? { subflow: { sequenceBase: position.sequenceBase, parentStepSid: position.parentStepSid } } : {}),
    };
  }

  private rootFlowSid(): string {
    return this.input.eventStream?.rootFlowSid ?? this.input.flow.sid;
  }
}
