import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { InterceptingCall, ListenerBuilder, RequesterBuilder, type Interceptor } from '@grpc/grpc-js';
import type { Request, RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';
import type { Logger } from '../../logger';
import type { Metrics } from '../../observability/metrics';

/** What one request carries through the app: its id, its logger, and facts learnt on the way. */
export class RequestContext {
  /** Facts a route learns (`flow_sid`, `execution_sid`), added to the request's summary line. */
  readonly fields: Record<string, string> = {};
  /** Wall time spent in calls to Temporal (each call in full, even when calls overlap), and how many. */
  temporalMs = 0;
  temporalCalls = 0;
  constructor(
    readonly requestId: string,
    /** The process logger's child with `request_id`. */
    readonly log: Logger,
  ) {}
}

const REQUEST_ID_HEADER = 'X-Request-Id';

/** Accepted from callers as is: short, and safe to print in a log line or a header. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Probes and scrapes are frequent and uninteresting: their summaries are debug lines. */
const QUIET_PATHS = new Set(['/health', '/metrics']);

// Route specs are handed no request (they are data; see ../route.ts), so the context also
// travels with the async call chain for them to annotate.
const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Gives every request an id (the caller's `X-Request-Id` when sane, else a new `RQ…`), echoes
 * it, gives the request a child logger with `request_id`, and when the response is done writes
 * one summary line and records `httpRequestSeconds`.
 */
export function requestContext(options: { readonly logger: Logger; readonly metrics?: Metrics }): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const incoming = req.get(REQUEST_ID_HEADER);
    const requestId = incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : `RQ${randomBytes(16).toString('hex')}`;
    const context = new RequestContext(requestId, options.logger.child({ request_id: requestId }));
    res.locals.requestContext = context;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    // Where the time went, for the caller (a browser's developer tools, a load test) as for the log.
    onHeaders(res, () => res.setHeader('Server-Timing', serverTiming(context, started)));
    // 'close' comes for finished and for aborted responses alike.
    res.once('close', () => finish(req, res, context, started, options.metrics));
    storage.run(context, next);
  };
}

function finish(req: Request, res: Response, context: RequestContext, started: number, metrics: Metrics | undefined): void {
  const seconds = (performance.now() - started) / 1000;
  const route = routeOf(req);
  const status = res.statusCode;
  metrics?.httpRequestSeconds.observe({ method: req.method, route, status: String(status) }, seconds);
  const line = {
    method: req.method,
    route,
    status,
    duration_ms: Math.round(seconds * 1e6) / 1e3,
    ...(context.temporalCalls > 0 ? { temporal_ms: Math.round(context.temporalMs * 1e3) / 1e3, temporal_calls: context.temporalCalls } : {}),
    ...(res.writableFinished ? {} : { aborted: true }),
    ...context.fields,
  };
  if (QUIET_PATHS.has(route)) context.log.debug(line, 'request finished');
  else context.log.info(line, 'request finished');
}

/**
 * The matched route's pattern (`/v2/Flows/:FlowSid`), never the raw path: paths carry SIDs and
 * would make labels and log fields unbounded. Our routers are mounted at the root, so
 * `baseUrl` is empty by the time the response closes.
 */
function routeOf(req: Request): string {
  const route: unknown = req.route;
  const path = typeof route === 'object' && route !== null && 'path' in route ? route.path : undefined;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : 'unmatched';
}

/** The request's context, for handlers that have the response. */
export function requestContextOf(res: Response): RequestContext | undefined {
  const context: unknown = res.locals.requestContext;
  return context instanceof RequestContext ? context : undefined;
}

/** The request's logger, or `fallback` outside the request-context middleware. */
export function requestLog(res: Response, fallback: Logger): Logger {
  return requestContextOf(res)?.log ?? fallback;
}

/**
 * Adds facts to the current request's summary line (a no-op outside a request). Only bounded,
 * non-personal values: SIDs, never contacts or message bodies.
 */
export function annotateRequest(fields: Readonly<Record<string, string>>): void {
  const context = storage.getStore();
  if (context) Object.assign(context.fields, fields);
}

/** The W3C Server-Timing value: `app` (the whole request so far) and, when it called Temporal, `temporal`. */
function serverTiming(context: RequestContext, started: number): string {
  const app = `app;dur=${(performance.now() - started).toFixed(1)}`;
  return context.temporalCalls > 0 ? `${app}, temporal;dur=${context.temporalMs.toFixed(1)};desc="${context.temporalCalls} call(s)"` : app;
}

/**
 * A gRPC interceptor for the Temporal client that adds each call's time, retries included, to the
 * request it was made for (nothing outside a request): the `temporal` part of Server-Timing and
 * `temporal_ms` in the request's summary line, so a slow webhook shows whether Temporal (with the
 * worker behind it) or the app took the time. Put it before the retry interceptor.
 */
export function temporalCallTimer(): Interceptor {
  return (options, nextCall) => {
    const context = storage.getStore();
    if (!context) return new InterceptingCall(nextCall(options));
    const started = performance.now();
    const requester = new RequesterBuilder()
      .withStart((metadata, listener, next) => {
        next(metadata, new ListenerBuilder().withOnReceiveStatus((status, done) => {
          context.temporalMs += performance.now() - started;
          context.temporalCalls += 1;
          done(status);
        }).build());
      })
      .build();
    return new InterceptingCall(nextCall(options), requester);
  };
}
