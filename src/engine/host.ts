import type { ExecutionState, Step } from './state';

/**
 * Everything the interpreter needs from outside, so that the engine itself stays pure and
 * deterministic. The Temporal workflow implements it with workflow time, `uuid4()` and
 * activities; tests implement it with a sequential clock and seeded ids.
 */
export interface EngineHost {
  /** The current time (workflow time under Temporal: frozen within an activation). */
  now(): Date;
  /** A new Twilio-shaped SID: `prefix` + 32 lowercase hex digits. */
  newSid(prefix: string): string;
  /** Called after every step, e.g. to update search attributes. */
  stepRecorded?(step: Step, state: ExecutionState): void;
}
