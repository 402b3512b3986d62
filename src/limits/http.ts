/** The API's HTTP server: named limits, set by `LIMIT_*` variables. */
export interface HttpLimits {
  /**
   * Bytes of a request's line and headers together (Node's parser limit). Longer requests are
   * answered 431 in Twilio's error shape before the app sees them.
   */
  readonly maxHeaderBytes: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  maxHeaderBytes: 16 * 1024,
});
