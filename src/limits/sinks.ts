/** Delivery to event sinks: named limits, set by `LIMIT_SINK_*` variables. */
export interface SinkLimits {
  /** Events per request to a sink that takes batches. */
  readonly maxBatchEvents: number;
  /** How long a sink may take to answer (Twilio's Event Streams allow 5 s). */
  readonly deliveryTimeoutMs: number;
  /** The first retry after a failed delivery; each further one waits twice as long… */
  readonly retryInitialMs: number;
  /** …up to this. Retries go on until retention drops the event. */
  readonly retryMaxMs: number;
  /** How often a dispatcher looks for owed events when nobody told it of new ones. */
  readonly pollIntervalMs: number;
}

export const DEFAULT_SINK_LIMITS: SinkLimits = Object.freeze({
  maxBatchEvents: 100,
  deliveryTimeoutMs: 5_000,
  retryInitialMs: 1_000,
  retryMaxMs: 5 * 60_000,
  pollIntervalMs: 1_000,
});
