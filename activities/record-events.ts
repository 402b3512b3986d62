import { EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED, type ExecutionEvent } from '../src/engine/events';
import { executionCloudEvent, type CloudEvent } from '../src/events/cloudevent';
import type { Metrics } from '../src/observability/metrics';
import type { EventOutbox, OutboxEvent } from '../src/store/event-outbox';
import type { ExecutionEnded, ExecutionStarted, InsightFacts, StepTaken } from '../src/store/insight-facts';

/** A workflow's new events, as it hands them over. */
export interface EventBatch {
  readonly executionSid: string;
  /** The flow the execution runs (for a subflow's steps: its parent's). */
  readonly rootFlowSid: string;
  /** The trigger event that started the execution, for metrics. */
  readonly trigger: string;
  readonly events: readonly ExecutionEvent[];
}

/** An execution's event as recorded: its envelope is the CloudEvent built here. */
type ExecutionOutboxEvent = OutboxEvent & { readonly envelope: CloudEvent };

interface RecordDependencies {
  readonly outbox: EventOutbox;
  readonly account: { readonly accountSid: string };
  readonly metrics?: Metrics;
  readonly eventsRecorded?: () => void;
}

/**
 * Stores a batch in the outbox. Repeating it (a retried or replayed local activity) stores
 * nothing new; metrics count only what was new, so they count each event once.
 */
export async function recordEvents(deps: RecordDependencies, batch: EventBatch): Promise<number> {
  const { accountSid } = deps.account;
  const events: ExecutionOutboxEvent[] = batch.events.map((event) => {
    const envelope = executionCloudEvent(accountSid, batch.executionSid, batch.rootFlowSid, event);
    // A REST start is the account's doing.
    if (envelope.data.started_by === null) envelope.data.started_by = accountSid;
    return { accountSid, stream: batch.executionSid, sequence: event.sequence, flowSid: batch.rootFlowSid, envelope };
  });
  const fresh = await deps.outbox.record(events, (recorded) => insightFactsOf(recorded, batch.trigger));
  if (deps.metrics) count(deps.metrics, batch.trigger, fresh);
  if (fresh.length > 0) deps.eventsRecorded?.();
  return fresh.length;
}

/** What newly recorded events say for flow insights: the engine sets every field read here. */
export function insightFactsOf(events: readonly ExecutionOutboxEvent[], trigger: string): InsightFacts {
  const started: ExecutionStarted[] = [];
  const steps: StepTaken[] = [];
  const ended: ExecutionEnded[] = [];
  for (const { accountSid, stream, sequence, envelope } of events) {
    const data = envelope.data;
    const text = (key: string) => {
      const value = data[key];
      return typeof value === 'string' ? value : JSON.stringify(value ?? null);
    };
    if (envelope.type === EXECUTION_STARTED) {
      started.push({ executionSid: stream, accountSid, flowSid: text('flow_sid'), revision: Number(data.flow_revision), trigger, startedAt: Date.parse(text('date_created')) });
    } else if (envelope.type === STEP_ENDED) {
      const error = data.error as { code?: unknown } | undefined;
      steps.push({
        executionSid: stream,
        sequence,
        accountSid,
        flowSid: text('flow_sid'),
        revision: Number(data.flow_revision),
        widget: text('transitioned_from'),
        widgetType: text('type'),
        event: text('name'),
        next: text('transitioned_to'),
        at: Date.parse(text('date_created')),
        errorCode: typeof error?.code === 'string' ? error.code : null,
      });
    } else if (envelope.type === EXECUTION_ENDED) {
      ended.push({ executionSid: stream, endedAt: Date.parse(text('date_updated')), endedReason: text('ended_reason') });
    }
  }
  return { started, steps, ended };
}

function count(metrics: Metrics, trigger: string, events: readonly ExecutionOutboxEvent[]): void {
  for (const { envelope } of events) {
    if (envelope.type === EXECUTION_STARTED) metrics.executionsStarted.inc({ trigger });
    else if (envelope.type === EXECUTION_ENDED) metrics.executionsEnded.inc({ reason: label(envelope.data.ended_reason) });
    else if (envelope.type === STEP_ENDED) metrics.steps.inc({ widget_type: label(envelope.data.type), event: label(envelope.data.name) });
  }
}

/** Metric labels come from fields the engine always sets as strings; anything else is a bug worth seeing. */
function label(value: unknown): string {
  return typeof value === 'string' ? value : 'unknown';
}
