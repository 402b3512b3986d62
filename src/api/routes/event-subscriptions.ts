import { z } from 'zod';
import { EXECUTION_STARTED } from '../../engine/events';
import type { RequestedType } from '../../services/event-streams';
import { ApiError } from '../errors';
import { pageMetaSchema, pageParams } from '../paging';
import { subscriptionResource, subscriptionResourceSchema } from '../resources/event-streams';
import { route, type RouteSpec } from '../route';
import { description, listMeta, listPosition, rejected, subscriptionSid, type EventStreamRouteDeps } from './event-streams-shared';

const typeShape = z.object({
  type: z.string().min(1, 'type must not be empty').max(200),
  schema_version: z.coerce.number().int().min(1).optional(),
});

/** One entry of `Types`: JSON text (form, as the twilio client sends it) or an object (JSON body). */
const typeEntry = z.union([z.string(), z.record(z.string(), z.unknown())]);

function parseEntry(entry: z.infer<typeof typeEntry>): RequestedType | undefined {
  let value: unknown = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry);
    } catch {
      return undefined;
    }
  }
  const parsed = typeShape.safeParse(value);
  if (!parsed.success) return undefined;
  return { type: parsed.data.type, ...(parsed.data.schema_version !== undefined ? { schemaVersion: parsed.data.schema_version } : {}) };
}

/** Entries are checked together so a bad one is reported as `Types` with its position, not as a failed union. */
const typesParam = z
  .union([z.array(typeEntry).min(1, 'at least one type'), typeEntry])
  .describe('Repeated; each a JSON object {"type": "…", "schema_version": N} (schema_version defaults to the current one)')
  .transform((value, ctx) => {
    const entries = Array.isArray(value) ? value : [value];
    const types: RequestedType[] = [];
    for (const [index, entry] of entries.entries()) {
      const type = parseEntry(entry);
      if (!type) {
        ctx.addIssue({ code: 'custom', message: `entry ${index + 1} is not JSON like {"type": "${EXECUTION_STARTED}", "schema_version": 2}` });
        return z.NEVER;
      }
      types.push(type);
    }
    return types;
  });

/** Subscriptions: which event types go to which sink. */
export function eventSubscriptionRoutes(deps: EventStreamRouteDeps): RouteSpec<never>[] {
  const { service } = deps;
  const requireSubscription = async (accountSid: string, sid: string | undefined) => {
    const subscription = await service.sinks.subscription(accountSid, subscriptionSid(sid));
    if (!subscription) throw ApiError.notFound(`/v1/Subscriptions/${sid ?? ''}`);
    return subscription;
  };

  return [
    route({
      method: 'post',
      path: '/v1/Subscriptions',
      operationId: 'CreateSubscription',
      summary: 'Subscribe an active sink to event types',
      tag: 'Event Streams',
      input: z.looseObject({ Description: description, SinkSid: z.string().max(34, 'not a sink SID'), Types: typesParam }),
      response: { status: 201, description: 'The new subscription', schema: subscriptionResourceSchema },
      errors: [400, 401],
      handle: async ({ input, account }) => {
        const subscription = await service
          .createSubscription(account.accountSid, { description: input.Description, sinkSid: input.SinkSid, types: input.Types })
          .catch(rejected);
        return { status: 201, body: subscriptionResource(deps, subscription) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Subscriptions',
      operationId: 'ListSubscription',
      summary: 'List subscriptions in SID order',
      tag: 'Event Streams',
      input: pageParams.extend({ SinkSid: z.string().max(34).optional() }),
      response: { status: 200, description: 'A page of subscriptions', schema: z.object({ meta: pageMetaSchema, subscriptions: z.array(subscriptionResourceSchema) }) },
      errors: [400, 401],
      handle: async ({ input, account, pageTokens }) => {
        const { after, filters } = listPosition(pageTokens, input, { SinkSid: input.SinkSid });
        const page = await service.sinks.listSubscriptions(account.accountSid, { limit: input.PageSize, ...(after ? { after } : {}), ...(filters.SinkSid ? { sinkSid: filters.SinkSid } : {}) });
        const meta = listMeta(pageTokens, `${deps.publicUrl}/v1/Subscriptions`, 'subscriptions', input, page.next, filters);
        return { status: 200, body: { meta, subscriptions: page.items.map((s) => subscriptionResource(deps, s)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Subscriptions/:Sid',
      operationId: 'FetchSubscription',
      summary: 'Fetch a subscription',
      tag: 'Event Streams',
      response: { status: 200, description: 'The subscription', schema: subscriptionResourceSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => ({ status: 200, body: subscriptionResource(deps, await requireSubscription(account.accountSid, path.Sid)) }),
    }),
    route({
      method: 'post',
      path: '/v1/Subscriptions/:Sid',
      operationId: 'UpdateSubscription',
      summary: "Change a subscription's description or move it to another active sink",
      tag: 'Event Streams',
      input: z.looseObject({ Description: description.optional(), SinkSid: z.string().max(34, 'not a sink SID').optional() }),
      response: { status: 200, description: 'The subscription', schema: subscriptionResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const sid = subscriptionSid(path.Sid);
        const changes = { ...(input.Description !== undefined ? { description: input.Description } : {}), ...(input.SinkSid !== undefined ? { sinkSid: input.SinkSid } : {}) };
        const subscription = await service.updateSubscription(account.accountSid, sid, changes).catch(rejected);
        if (!subscription) throw ApiError.notFound(`/v1/Subscriptions/${sid}`);
        return { status: 200, body: subscriptionResource(deps, subscription) };
      },
    }),
    route({
      method: 'delete',
      path: '/v1/Subscriptions/:Sid',
      operationId: 'DeleteSubscription',
      summary: 'Delete a subscription',
      tag: 'Event Streams',
      response: { status: 204, description: 'Deleted' },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        if (!(await service.sinks.deleteSubscription(account.accountSid, subscriptionSid(path.Sid)))) throw ApiError.notFound(`/v1/Subscriptions/${path.Sid}`);
        return { status: 204 };
      },
    }),
  ] as RouteSpec<never>[];
}
