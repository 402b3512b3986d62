import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../logger';
import { RateLimited } from '../../services/rate-limits';
import { isStoreUnavailable } from '../../store/database';
import { temporalFailureOf, type TemporalAvailability } from '../../temporal/availability';
import { ApiError } from '../errors';
import { requestContextOf } from './request-context';

/** Unknown paths answer 404 in Twilio's error shape. */
export const notFound: RequestHandler = (req, _res, next) => next(ApiError.notFound(req.path));

/**
 * The one error funnel: ApiError as itself, RateLimited as 429 (with Retry-After), body-parser
 * errors as 400, Temporal's failures as below, the store away as 503, anything else as 500
 * without leaking internals.
 * Failures are logged through the request's logger, so they carry its `request_id` (which the
 * caller has from the response header).
 */
export function errorFunnel(logger: Logger, temporal?: TemporalAvailability): ErrorRequestHandler {
  return async (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const apiError = await temporalError(err, temporal) ?? toApiError(err);
    const log = requestContextOf(res)?.log ?? logger;
    if (apiError === TEMPORAL_AWAY) log.warn({ path: req.path }, 'Temporal unreachable: answered 503');
    else if (apiError === TEMPORAL_SLOW) log.warn({ path: req.path }, 'A Temporal call ran out of time while the server answers: answered 503');
    else if (apiError === TEMPORAL_NO_NAMESPACE) log.warn({ path: req.path }, 'Temporal does not know the namespace right now: answered 503');
    else if (apiError === STORE_AWAY) log.warn({ path: req.path, details: (err as Error).message }, 'The store (database) unreachable: answered 503');
    else if (apiError === TEMPORAL_REFUSED) log.warn({ path: req.path, details: (err as Error).message }, "Temporal refused the request's input: answered 400");
    else if (apiError.status >= 500) log.error({ err, path: req.path, ...requestContextOf(res)?.fields }, 'request failed');
    if (res.headersSent) return;
    if (apiError.headers) res.set(apiError.headers);
    res.status(apiError.status).json(apiError.toBody());
  };
}

const TEMPORAL_AWAY = new ApiError(503, 20503, 'The execution engine (Temporal) is not reachable right now; try again shortly', undefined, { 'Retry-After': '5' });
const TEMPORAL_SLOW = new ApiError(503, 20503, 'The execution engine (Temporal) did not answer in time; try again shortly', undefined, { 'Retry-After': '1' });
// Safe to retry: an inbound claim is released or taken over (checked), a start is keyed by contact or token.
const STORE_AWAY = new ApiError(503, 20503, 'The store (database) is not reachable right now; try again shortly', undefined, { 'Retry-After': '1' });
const TEMPORAL_NO_NAMESPACE = new ApiError(503, 20503, 'The execution engine (Temporal) does not know its namespace right now; try again shortly', undefined, { 'Retry-After': '5' });
const TEMPORAL_REFUSED = new ApiError(400, 20001, 'Invalid request: the execution engine (Temporal) refused its parameters');

/**
 * Temporal's failures: away (or slower than TEMPORAL_CALL_TIMEOUT_MS) is 503 and may be retried
 * later; only a server found away sets the process-wide latch (see TemporalAvailability). An
 * INVALID_ARGUMENT is the request's own input: its 400.
 */
async function temporalError(err: unknown, temporal: TemporalAvailability | undefined): Promise<ApiError | undefined> {
  const failure = temporalFailureOf(err);
  if (failure === 'invalid-argument') return TEMPORAL_REFUSED;
  // Never the latch: the frontend answers, and requests that need no namespace lookup still work.
  if (failure === 'namespace-not-found') return TEMPORAL_NO_NAMESPACE;
  if (failure === undefined) return undefined;
  if (!temporal) return TEMPORAL_AWAY;
  return (await temporal.noteFailure(err)) ? TEMPORAL_AWAY : TEMPORAL_SLOW;
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  // A service refused a new execution over its account's rate (REST start or inbound webhook).
  if (err instanceof RateLimited) return ApiError.tooManyRequests(err.retryAfterSeconds, err.message);
  if (isStoreUnavailable(err)) return STORE_AWAY;
  const e = err as { status?: number; type?: string; message?: string };
  if (e.type === 'entity.too.large') return new ApiError(413, 20413, 'Request body is too large');
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new ApiError(400, 20001, `Malformed request: ${e.message ?? 'bad request'}`);
  }
  return new ApiError(500, 20500, 'Internal server error');
}
