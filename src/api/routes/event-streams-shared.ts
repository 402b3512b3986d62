import { z } from 'zod';
import { EventStreamRejected, type EventStreamService } from '../../services/event-streams';
import { ApiError } from '../errors';
import { pageMeta, type ListPageTokens, type PageParams } from '../paging';
import type { ResourceUrls } from '../resources/flows';

/** What the Events API routes need: the service and where resources live. */
export interface EventStreamRouteDeps extends ResourceUrls {
  readonly service: EventStreamService;
}

const SINK_SID = /^DG[0-9a-f]{32}$/;
const SUBSCRIPTION_SID = /^DF[0-9a-f]{32}$/;

/** The sink SID named in the path; a malformed one can name no sink (404). */
export function sinkSid(sid: string | undefined): string {
  if (!sid || !SINK_SID.test(sid)) throw ApiError.notFound(`/v1/Sinks/${sid ?? ''}`);
  return sid;
}

export function subscriptionSid(sid: string | undefined): string {
  if (!sid || !SUBSCRIPTION_SID.test(sid)) throw ApiError.notFound(`/v1/Subscriptions/${sid ?? ''}`);
  return sid;
}

/** The service's refusals as Twilio's 20001, listed in `details.errors` like every parameter error. */
export function rejected(err: unknown): never {
  if (err instanceof EventStreamRejected) {
    throw new ApiError(400, 20001, err.message, { errors: [{ parameter: err.parameter ?? null, message: err.message }] });
  }
  throw err;
}

export const description = z.string().trim().min(1, 'must not be empty').max(1000, 'at most 1000 characters');

type Filters = Record<string, string | undefined>;

const position = z.object({ a: z.string(), f: z.record(z.string(), z.string()) });

/**
 * Where a list continues and with which filters. Lists page by the last key seen; the filters
 * travel in the token because `next_page_url` carries only the paging parameters, and a client
 * following it must get the same filtered list. Filters given again explicitly win.
 */
export function listPosition<F extends Filters>(tokens: ListPageTokens, params: PageParams, given: F): { after?: string; filters: F } {
  const token = tokens.decode(params.PageToken, position);
  if (!token) return { filters: given };
  return { after: token.a, filters: { ...token.f, ...defined(given) } as F };
}

/** Twilio's paging envelope; `next` is the key of the last item when more follow. */
export function listMeta(tokens: ListPageTokens, baseUrl: string, key: string, params: PageParams, next: string | undefined, filters: Filters) {
  return pageMeta(baseUrl, key, params, next === undefined ? undefined : tokens.encode({ a: next, f: defined(filters) }));
}

/** One page of a short list held in memory (event types, a subscription's types), in key order. */
export function memoryPage<T>(items: readonly T[], keyOf: (item: T) => string, after: string | undefined, size: number): { items: T[]; next?: string } {
  const rest = items.filter((item) => after === undefined || keyOf(item) > after).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const kept = rest.slice(0, size);
  return rest.length > size ? { items: kept, next: keyOf(kept[kept.length - 1]!) } : { items: kept };
}

function defined(filters: Filters): Record<string, string> {
  return Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
