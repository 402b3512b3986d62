/**
 * How far a flow-test run may go (LIMIT_FLOWTEST_*; `open-studio test` takes the first three
 * as options): a test that never settles or never ends stops at one of these, named.
 */
export interface FlowTestLimits {
  /** Real time one step may take, settling included. */
  readonly stepTimeoutMs: number;
  /** Real time one test may take. */
  readonly testTimeoutMs: number;
  /** The longest single `wait`, in virtual seconds. */
  readonly maxWaitSeconds: number;
  /** Tests in one run through the API. */
  readonly maxTests: number;
  /** Bytes of a flow's test file kept with it. */
  readonly maxBytes: number;
}

export const DEFAULT_FLOWTEST_LIMITS: FlowTestLimits = Object.freeze({
  stepTimeoutMs: 15_000,
  testTimeoutMs: 120_000,
  maxWaitSeconds: 400 * 86_400,
  maxTests: 200,
  maxBytes: 256 * 1024,
});
