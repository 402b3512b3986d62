import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's Prometheus metrics, one registry per process (`/metrics` serves it). Labels
 * carry only bounded values — widget types, reasons, webhook kinds, sink SIDs — never a
 * contact, a flow variable or anything else a caller controls without bound.
 */
export interface Metrics {
  readonly registry: Registry;
  /** Executions whose `execution.started` event was recorded, by trigger event. */
  readonly executionsStarted: Counter<'trigger'>;
  /** Executions that ended, by reason (`FLOW_END`, `API_ENDED`, `limit:steps`, …). */
  readonly executionsEnded: Counter<'reason'>;
  /** Steps (transitions), by the widget type that made them and the event it emitted. */
  readonly steps: Counter<'widget_type' | 'event'>;
  /** Twilio webhooks into a flow: how long we took to answer, by kind and HTTP status. */
  readonly webhookSeconds: Histogram<'kind' | 'status'>;
  /** Every API request, by route pattern (never the raw path) and status. */
  readonly httpRequestSeconds: Histogram<'method' | 'route' | 'status'>;
  /** Activity attempts that threw (each retry counts), by activity type. */
  readonly activityFailures: Counter<'activity'>;
  /** Event deliveries to sinks, by sink and outcome (`delivered` | `failed`). */
  readonly sinkDeliveries: Counter<'sink' | 'outcome'>;
  /** Events waiting for delivery, by sink (set on every scrape). */
  readonly sinkBacklog: Gauge<'sink'>;
}

export interface MetricsOptions {
  /** Reads the backlog per sink when Prometheus scrapes; absent in processes without a store. */
  readonly sinkBacklog?: () => Promise<ReadonlyMap<string, number>>;
  /** Node's own process metrics (CPU, memory, event loop lag). */
  readonly processMetrics?: boolean;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15];

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'studio_' });
  const registers = [registry];
  const backlog = options.sinkBacklog;
  return {
    registry,
    executionsStarted: new Counter({ name: 'studio_executions_started_total', help: 'Executions started, by trigger', labelNames: ['trigger'], registers }),
    executionsEnded: new Counter({ name: 'studio_executions_ended_total', help: 'Executions ended, by reason', labelNames: ['reason'], registers }),
    steps: new Counter({ name: 'studio_steps_total', help: 'Steps, by widget type and event', labelNames: ['widget_type', 'event'], registers }),
    webhookSeconds: new Histogram({
      name: 'studio_webhook_duration_seconds',
      help: 'Time to answer a Twilio webhook into a flow, by kind and status',
      labelNames: ['kind', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    httpRequestSeconds: new Histogram({
      name: 'studio_http_request_duration_seconds',
      help: 'API requests, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    activityFailures: new Counter({ name: 'studio_activity_failures_total', help: 'Activity attempts that failed, by activity', labelNames: ['activity'], registers }),
    sinkDeliveries: new Counter({ name: 'studio_sink_deliveries_total', help: 'Event deliveries to sinks, by sink and outcome', labelNames: ['sink', 'outcome'], registers }),
    sinkBacklog: new Gauge({
      name: 'studio_sink_backlog_events',
      help: 'Events waiting for delivery, by sink',
      labelNames: ['sink'],
      registers,
      async collect() {
        if (!backlog) return;
        this.reset();
        for (const [sink, count] of await backlog()) this.set({ sink }, count);
      },
    }),
  };
}
