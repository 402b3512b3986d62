/** How long a voice webhook waits for an execution's TwiML (LIMIT_VOICE_*). */
export interface VoiceLimits {
  /** How long a webhook waits for the execution's TwiML: well inside Twilio's 15 s. */
  readonly deadlineMs: number;
  /** How many times a caller is held ("one moment") before we give up on a slow execution. */
  readonly maxPolls: number;
}

export const DEFAULT_VOICE_LIMITS: VoiceLimits = Object.freeze({ deadlineMs: 8_000, maxPolls: 3 });
