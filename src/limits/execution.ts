/** What a REST start may carry, and how many new executions an account may start a second. */
export interface ExecutionLimits {
  /** UTF-8 bytes of `To` and `From` together (Studio: 300, error 81023). */
  readonly maxContactBytes: number;
  /** UTF-8 bytes of the `Parameters` JSON. */
  readonly maxParametersBytes: number;
  /** New executions per second per account through `POST /v2/Flows/{FlowSid}/Executions` (Studio: 20; then 429, 20429). */
  readonly maxNewRestExecutionsPerSecond: number;
  /** New executions per second per account started by inbound messages, calls and conversation messages (Studio: 100; then 429). */
  readonly maxNewInboundExecutionsPerSecond: number;
}

export const DEFAULT_EXECUTION_LIMITS: ExecutionLimits = Object.freeze({
  maxContactBytes: 300,
  maxParametersBytes: 64 * 1024,
  maxNewRestExecutionsPerSecond: 20,
  maxNewInboundExecutionsPerSecond: 100,
});
