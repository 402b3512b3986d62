/**
 * The targets each figure is held to (issue 24), beside the bare baseline of the same run.
 * Rates are engine / bare (at least); latencies and times are engine / bare (at most).
 */
export const TARGETS = {
  /** REST-started executions/s. */
  restRate: 0.8,
  /** Inbound SMS answered/s, and each reply's p99. */
  smsRate: 0.8,
  smsP99: 1.3,
  /** Incoming call webhook → first TwiML, p99, against a bare update-with-start. */
  callP99: 1.2,
  /** 10,000 executions parked: resident memory (MiB) of each process, and the time to resume all. */
  parkedWorkerMiB: 500,
  parkedApiMiB: 200,
  parkedResume: 1.2,
} as const;
