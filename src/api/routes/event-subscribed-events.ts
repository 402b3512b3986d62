import { z } from 'zod';
import type { SubscribedType } from '../../store/event-sinks';
import { ApiError } from '../errors';
import { pageMetaSchema, pageParams } from '../paging';
import { subscribedEventResource, subscribedEventResourceSchema, subscriptionUrl } from '../resources/event-streams';
import { route, type RouteSpec } from '../route';
import { listMeta, listPosition, memoryPage, rejected, subscriptionSid, type EventStreamRouteDeps } from './event-streams-shared';

const schemaVersion = z.coerce.number({ error: 'expected an integer' }).int('expected an integer').min(1, 'at least 1');

/** The event types of one subscription (Twilio's SubscribedEvents). */
export function subscribedEventRoutes(deps: EventStreamRouteDeps): RouteSpec<never>[] {
  const { service } = deps;
  /** The subscription's SID once it is known to exist in the account, or 404. */
  const requireSubscription = async (accountSid: string, sid: string | undefined): Promise<string> => {
    const checked = subscriptionSid(sid);
    if (!(await service.sinks.subscription(accountSid, checked))) throw ApiError.notFound(`/v1/Subscriptions/${checked}`);
    return checked;
  };
  const typeNotFound = (sid: string, type: string | undefined) => ApiError.notFound(`/v1/Subscriptions/${sid}/SubscribedEvents/${type ?? ''}`);
  const resource = (accountSid: string, sid: string, type: SubscribedType) => subscribedEventResource(deps, accountSid, sid, type);

  return [
    route({
      method: 'get',
      path: '/v1/Subscriptions/:SubscriptionSid/SubscribedEvents',
      operationId: 'ListSubscribedEvent',
      summary: 'List the event types of a subscription',
      tag: 'Event Streams',
      input: pageParams,
      response: { status: 200, description: 'A page of subscribed types', schema: z.object({ meta: pageMetaSchema, types: z.array(subscribedEventResourceSchema) }) },
      errors: [400, 401, 404],
      handle: async ({ input, path, account, pageTokens }) => {
        const sid = await requireSubscription(account.accountSid, path.SubscriptionSid);
        const { after } = listPosition(pageTokens, input, {});
        const page = memoryPage(await service.sinks.subscribedTypes(sid), (t) => t.type, after, input.PageSize);
        const meta = listMeta(pageTokens, `${subscriptionUrl(deps, sid)}/SubscribedEvents`, 'types', input, page.next, {});
        return { status: 200, body: { meta, types: page.items.map((t) => resource(account.accountSid, sid, t)) } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/Subscriptions/:SubscriptionSid/SubscribedEvents',
      operationId: 'CreateSubscribedEvent',
      summary: 'Add an event type to a subscription',
      tag: 'Event Streams',
      input: z.looseObject({ Type: z.string().min(1, 'must not be empty').max(200), SchemaVersion: schemaVersion.optional() }),
      response: { status: 201, description: 'The subscribed type', schema: subscribedEventResourceSchema },
      errors: [400, 401, 404, 409],
      handle: async ({ input, path, account }) => {
        const sid = await requireSubscription(account.accountSid, path.SubscriptionSid);
        const added = await service.addSubscribedType(sid, { type: input.Type, ...(input.SchemaVersion !== undefined ? { schemaVersion: input.SchemaVersion } : {}) }).catch(rejected);
        if (!added) throw new ApiError(409, 20409, `Subscription ${sid} already subscribes to ${input.Type}: update it with POST /v1/Subscriptions/${sid}/SubscribedEvents/${input.Type}`);
        return { status: 201, body: resource(account.accountSid, sid, added) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Subscriptions/:SubscriptionSid/SubscribedEvents/:Type',
      operationId: 'FetchSubscribedEvent',
      summary: 'Fetch one event type of a subscription',
      tag: 'Event Streams',
      response: { status: 200, description: 'The subscribed type', schema: subscribedEventResourceSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        const sid = await requireSubscription(account.accountSid, path.SubscriptionSid);
        const type = (await service.sinks.subscribedTypes(sid)).find((t) => t.type === path.Type);
        if (!type) throw typeNotFound(sid, path.Type);
        return { status: 200, body: resource(account.accountSid, sid, type) };
      },
    }),
    route({
      method: 'post',
      path: '/v1/Subscriptions/:SubscriptionSid/SubscribedEvents/:Type',
      operationId: 'UpdateSubscribedEvent',
      summary: 'Change the schema version of a subscribed event type',
      tag: 'Event Streams',
      input: z.looseObject({ SchemaVersion: schemaVersion.optional() }),
      response: { status: 200, description: 'The subscribed type', schema: subscribedEventResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const sid = await requireSubscription(account.accountSid, path.SubscriptionSid);
        const type = await service.updateSubscribedType(sid, { type: path.Type ?? '', ...(input.SchemaVersion !== undefined ? { schemaVersion: input.SchemaVersion } : {}) }).catch(rejected);
        if (!type) throw typeNotFound(sid, path.Type);
        return { status: 200, body: resource(account.accountSid, sid, type) };
      },
    }),
    route({
      method: 'delete',
      path: '/v1/Subscriptions/:SubscriptionSid/SubscribedEvents/:Type',
      operationId: 'DeleteSubscribedEvent',
      summary: 'Remove an event type from a subscription',
      tag: 'Event Streams',
      response: { status: 204, description: 'Removed' },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        const sid = await requireSubscription(account.accountSid, path.SubscriptionSid);
        if (!(await service.sinks.deleteSubscribedType(sid, path.Type ?? ''))) throw typeNotFound(sid, path.Type);
        return { status: 204 };
      },
    }),
  ] as RouteSpec<never>[];
}
