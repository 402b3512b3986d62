import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../logger';
import { RateLimited } from '../../services/rate-limits';
import { isTemporalUnreachable, type TemporalAvailability } from '../../temporal/availability';
import { ApiError } from '../errors';
import { requestContextOf } from './request-context';

/** Unknown paths answer 404 in Twilio's error shape. */
export const notFound: RequestHandler = (req, _res, next) => next(ApiError.notFound(req.path));

/**
 * The one error funnel: ApiError as itself, RateLimited as 429 (with Retry-After), body-parser
 * errors as 400, anything else as 500 without leaking internals. Failures are logged through the request's logger, so they carry
 * its `request_id` (which the caller has from the response header).
 */
export function errorFunnel(logger: Logger, temporal?: TemporalAvailability): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    // Temporal away (or slower than TEMPORAL_CALL_TIMEOUT_MS): the request can be retried later.
    const apiError = temporal?.noteFailure(err) || isTemporalUnreachable(err) ? TEMPORAL_AWAY : toApiError(err);
    if (apiError === TEMPORAL_AWAY) {
      (requestContextOf(res)?.log ?? logger).warn({ path: req.path }, 'Temporal unreachable: answered 503');
    } else if (apiError.status >= 500) {
      const context = requestContextOf(res);
      (context?.log ?? logger).error({ err, path: req.path, ...context?.fields }, 'request failed');
    }
    if (apiError.headers) res.set(apiError.headers);
    res.status(apiError.status).json(apiError.toBody());
  };
}

const TEMPORAL_AWAY = new ApiError(503, 20503, 'The execution engine (Temporal) is not reachable right now; try again shortly', undefined, { 'Retry-After': '5' });

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // A service refused a new execution over its account's rate (REST start or inbound webhook).
  if (err instanceof RateLimited) return ApiError.tooManyRequests(err.retryAfterSeconds, err.message);
  const e = err as { status?: number; type?: string; message?: string };
  if (e.type === 'entity.too.large') return new ApiError(413, 20413, 'Request body is too large');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ApiError(400, 20001, `Malformed request: ${e.message ?? 'bad request'}`);
  }
  return new ApiError(500, 20500, 'Internal server error');
}
