/**
 * Errors in Twilio's shape: `{code, message, more_info, status}` (plus `details` where Studio
 * gives them). Routes throw ApiError; the error funnel writes it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Response headers that go with the error (`Retry-After` on 429). */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toBody(): TwilioErrorBody {
    return {
      code: this.code,
      message: this.message,
      more_info: `https://www.twilio.com/docs/errors/${this.code}`,
      status: this.status,
      ...(this.details ? { details: this.details } : {}),
    };
  }

  static notFound(resource: string): ApiError {
    return new ApiError(404, 20404, `The requested resource ${resource} was not found`);
  }

  /** Twilio's 429: 20429 "Too Many Requests", with `Retry-After` in whole seconds. */
  static tooManyRequests(retryAfterSeconds: number, message = 'Too Many Requests'): ApiError {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    return new ApiError(429, 20429, message, undefined, { 'Retry-After': String(seconds) });
  }
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  details?: Record<string, unknown>;
}
