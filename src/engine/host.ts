import type { HttpRequest, HttpResult, SubflowRequest, SubflowResult } from './effects';

/**
 * Everything the interpreter needs from outside, so that the engine itself stays pure and
 * deterministic. The Temporal workflow implements it with workflow time, `uuid4()`,
 * activities and child workflows; tests implement it with a scripted clock, ids and effects.
 */
export interface EngineHost {
  /** The current time (workflow time under Temporal: frozen within an activation). */
  now(): Date;
  /** A new Twilio-shaped SID: `prefix` + 32 lowercase hex digits. */
  newSid(prefix: string): string;
  /** An outbound HTTP call (Make HTTP Request, Run Function). */
  httpRequest(request: HttpRequest): Promise<HttpResult>;
  /** Runs another flow to its end as part of this execution (Run Subflow). */
  runSubflow(request: SubflowRequest): Promise<SubflowResult>;
}
