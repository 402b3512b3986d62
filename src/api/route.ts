import type { Request, RequestHandler, Router } from 'express';
import { z } from 'zod';
import type { AccountCredentials } from '../config/credentials';
import { ApiError } from './errors';
import { invalidPageToken, type ListPageTokens, type PageTokens } from './paging';

/**
 * A REST route described as data: the same description registers the Express handler, parses
 * and checks the input with its zod schema, and feeds the OpenAPI document. A route that is
 * served is therefore a route that is documented.
 */
export interface RouteSpec<I = unknown> {
  readonly method: 'get' | 'post' | 'delete';
  /** Express path, e.g. `/v2/Flows/:FlowSid`; path parameters use Twilio's names. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly tag: string;
  /** Form/JSON body (POST) or query string (GET) parameters, with Twilio's PascalCase names. */
  readonly input?: z.ZodType<I>;
  readonly response: { readonly status: number; readonly schema?: z.ZodType; readonly description: string };
  /** Statuses of error responses this route may give, for the document. */
  readonly errors?: readonly number[];
  /** False for the few routes that need no credentials. */
  readonly auth?: boolean;
  /** A POST body bigger than the API's usual bound (a campaign's contact list). */
  readonly maxBodyBytes?: number;
  /**
   * A POST body of this media type (`text/csv`) is taken whole as the parameter named here, the
   * other parameters coming from the query string.
   */
  readonly textBody?: { readonly type: string; readonly parameter: string };
  handle(request: ApiRequest<I>): Promise<ApiResult> | ApiResult;
}

export interface ApiRequest<I> {
  readonly input: I;
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, unknown>>;
  /** The authenticated account. */
  readonly account: AccountCredentials;
  /** The API key (`SK…`) the caller authenticated with; undefined for the auth token. */
  readonly apiKeySid?: string | undefined;
  /** Signs and opens this list's page tokens (a `PageToken` given was verified before the handler ran). */
  readonly pageTokens: ListPageTokens;
  /** A request header (case-insensitive). */
  header(this: void, name: string): string | undefined;
}

export interface ApiResult {
  readonly status: number;
  readonly body?: unknown;
  /** A body that is text in this media type (a CSV export) rather than JSON. */
  readonly contentType?: string;
}

/** Declares a route; the input type flows from its schema into the handler. */
export function route<I>(spec: RouteSpec<I>): RouteSpec<I> {
  return spec;
}

/** What runs around every route's handler. */
export interface RouteMiddleware {
  /** Checks credentials. It runs first: nobody without them gets a body read, or an answer other than 401. */
  readonly authenticate: RequestHandler;
  /** The body parsers of a POST route, run once the caller is known. */
  readonly parseBody: (spec: Pick<RouteSpec, 'maxBodyBytes' | 'textBody'>) => readonly RequestHandler[];
  readonly pageTokens: PageTokens;
}

export function registerRoutes(router: Router, routes: readonly RouteSpec<never>[], middleware: RouteMiddleware): void {
  for (const spec of routes as readonly RouteSpec<unknown>[]) {
    const handlers: RequestHandler[] = spec.auth === false ? [] : [middleware.authenticate];
    if (spec.method === 'post') handlers.push(...middleware.parseBody(spec));
    handlers.push(async (req, res) => {
      const raw: unknown = spec.method === 'get' || spec.method === 'delete' ? req.query : bodyOf(req, spec);
      const path = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, Array.isArray(v) ? v.join('/') : v]));
      const pageTokens = middleware.pageTokens.forList([spec.operationId, ...Object.values(path)].join('/'));
      checkPageToken(raw, pageTokens);
      const input = spec.input ? parseInput(spec.input, raw) : undefined;
      const result = await spec.handle({ input, path, query: req.query, account: accountOf(req), apiKeySid: (req as Request & { apiKeySid?: string }).apiKeySid, pageTokens, header: (name) => req.header(name) });
      if (result.body === undefined) res.status(result.status).end();
      else if (result.contentType && typeof result.body === 'string') res.status(result.status).type(result.contentType).send(result.body);
      else res.status(result.status).json(result.body);
    });
    router[spec.method](spec.path, ...handlers);
  }
}

/**
 * A page token we did not issue for this list is refused here, for every list at once, before
 * its handler reads the store or Temporal with it.
 */
function checkPageToken(raw: unknown, tokens: ListPageTokens): void {
  const token = (raw as { PageToken?: unknown } | undefined)?.PageToken;
  if (typeof token === 'string' && !tokens.verifies(token)) throw invalidPageToken();
}

/** A POST's parameters: its form or JSON body, or a text body as one parameter beside the query string's. */
function bodyOf(req: Request, spec: Pick<RouteSpec, 'textBody'>): unknown {
  const body: unknown = req.body;
  if (spec.textBody && typeof body === 'string') return { ...(req.query as Record<string, unknown>), [spec.textBody.parameter]: body };
  return body ?? {};
}

function accountOf(req: Request): AccountCredentials {
  return (req as Request & { account: AccountCredentials }).account;
}

/**
 * Parses request parameters. Twilio answers a missing parameter with 20001 "Missing required
 * parameter X in the post body"; every problem is also listed in `details.errors`.
 */
function parseInput<I>(schema: z.ZodType<I>, raw: unknown): I {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const given = (raw ?? {}) as Record<string, unknown>;
  const errors = parsed.error.issues.map((issue) => {
    const parameter = issue.path.map(String).join('.');
    const missing = issue.path.length === 1 && given[parameter] === undefined;
    return { parameter, message: missing ? `Missing required parameter ${parameter}` : `Invalid parameter ${parameter}: ${issue.message}` };
  });
  throw new ApiError(400, 20001, errors[0]?.message ?? 'Invalid parameters', { errors });
}

/** A parameter that arrives as one string or, repeated, as several (form encoding). */
export function repeated<T extends z.ZodType<string>>(item: T) {
  return z.union([item.transform((v) => [v]), z.array(item)]);
}
