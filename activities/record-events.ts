import { EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED, type ExecutionEvent } from '../src/engine/events';
import { executionCloudEvent, type CloudEvent } from '../src/events/cloudevent';
import type { Metrics } from '../src/observability/metrics';
import type { EventOutbox, OutboxEvent } from '../src/store/event-outbox';

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
  const fresh = await deps.outbox.record(events);
  if (deps.metrics) count(deps.metrics, batch.trigger, fresh);
  if (fresh.length > 0) deps.eventsRecorded?.();
  return fresh.length;
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
