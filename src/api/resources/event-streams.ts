import { z } from 'zod';
import { EVENT_TYPES_DATE, EVENT_TYPES_DOCUMENTATION, type EventSchemaInfo, type EventTypeInfo } from '../../events/event-types';
import type { SinkRecord, SubscribedType, SubscriptionRecord } from '../../store/event-sinks';
import { twilioDate } from '../paging';
import type { ResourceUrls } from './flows';

/** Response shapes of Twilio's Events API v1, field for field as the `twilio` client reads them. */

const sinkStatus = z.enum(['initialized', 'validating', 'active', 'failed']);

export const sinkResourceSchema = z.object({
  sid: z.string(),
  description: z.string(),
  sink_configuration: z.record(z.string(), z.unknown()),
  sink_type: z.enum(['kinesis', 'webhook', 'segment', 'email']),
  status: sinkStatus,
  date_created: z.string(),
  date_updated: z.string(),
  url: z.string(),
  links: z.object({ sink_test: z.string(), sink_validate: z.string() }),
});

export const subscriptionResourceSchema = z.object({
  account_sid: z.string(),
  sid: z.string(),
  description: z.string(),
  sink_sid: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  url: z.string(),
  links: z.object({ subscribed_events: z.string() }),
});

export const subscribedEventResourceSchema = z.object({
  account_sid: z.string(),
  type: z.string(),
  schema_version: z.number().int(),
  subscription_sid: z.string(),
  url: z.string(),
});

export const eventTypeResourceSchema = z.object({
  type: z.string(),
  schema_id: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  description: z.string(),
  status: z.string().describe('available: the type can be subscribed to'),
  documentation_url: z.string(),
  url: z.string(),
  links: z.object({ schema: z.string() }),
});

export const schemaResourceSchema = z.object({
  id: z.string(),
  url: z.string(),
  links: z.object({ versions: z.string() }),
  latest_version_date_created: z.string(),
  latest_version: z.number().int(),
});

export const schemaVersionResourceSchema = z.object({
  id: z.string(),
  schema_version: z.number().int(),
  date_created: z.string(),
  url: z.string(),
  raw: z.string().describe('Where the JSON schema document lives'),
});

export const sinkTestResultSchema = z.object({ result: z.literal('submitted') });
export const sinkValidateResultSchema = z.object({ result: z.literal('valid') });

function sinkUrl(urls: ResourceUrls, sid: string): string {
  return `${urls.publicUrl}/v1/Sinks/${sid}`;
}

export function subscriptionUrl(urls: ResourceUrls, sid: string): string {
  return `${urls.publicUrl}/v1/Subscriptions/${sid}`;
}

export function sinkResource(urls: ResourceUrls, sink: SinkRecord): z.infer<typeof sinkResourceSchema> {
  const url = sinkUrl(urls, sink.sid);
  return {
    sid: sink.sid,
    description: sink.description,
    sink_configuration: sink.configuration,
    sink_type: 'webhook',
    status: sink.status,
    date_created: twilioDate(sink.dateCreated),
    date_updated: twilioDate(sink.dateUpdated),
    url,
    links: { sink_test: `${url}/Test`, sink_validate: `${url}/Validate` },
  };
}

export function subscriptionResource(urls: ResourceUrls, subscription: SubscriptionRecord): z.infer<typeof subscriptionResourceSchema> {
  const url = subscriptionUrl(urls, subscription.sid);
  return {
    account_sid: subscription.accountSid,
    sid: subscription.sid,
    description: subscription.description,
    sink_sid: subscription.sinkSid,
    date_created: twilioDate(subscription.dateCreated),
    date_updated: twilioDate(subscription.dateUpdated),
    url,
    links: { subscribed_events: `${url}/SubscribedEvents` },
  };
}

export function subscribedEventResource(urls: ResourceUrls, accountSid: string, subscriptionSid: string, type: SubscribedType): z.infer<typeof subscribedEventResourceSchema> {
  return {
    account_sid: accountSid,
    type: type.type,
    schema_version: type.schemaVersion,
    subscription_sid: subscriptionSid,
    url: `${subscriptionUrl(urls, subscriptionSid)}/SubscribedEvents/${type.type}`,
  };
}

export function eventTypeResource(urls: ResourceUrls, type: EventTypeInfo): z.infer<typeof eventTypeResourceSchema> {
  return {
    type: type.type,
    schema_id: type.schemaId,
    date_created: EVENT_TYPES_DATE,
    date_updated: EVENT_TYPES_DATE,
    description: type.description,
    status: 'available',
    documentation_url: EVENT_TYPES_DOCUMENTATION,
    url: `${urls.publicUrl}/v1/Types/${type.type}`,
    links: { schema: `${urls.publicUrl}/v1/Schemas/${type.schemaId}` },
  };
}

export function schemaResource(urls: ResourceUrls, schema: EventSchemaInfo): z.infer<typeof schemaResourceSchema> {
  const url = `${urls.publicUrl}/v1/Schemas/${schema.id}`;
  return { id: schema.id, url, links: { versions: `${url}/Versions` }, latest_version_date_created: EVENT_TYPES_DATE, latest_version: schema.version };
}

export function schemaVersionResource(urls: ResourceUrls, schema: EventSchemaInfo): z.infer<typeof schemaVersionResourceSchema> {
  return { id: schema.id, schema_version: schema.version, date_created: EVENT_TYPES_DATE, url: `${urls.publicUrl}/v1/Schemas/${schema.id}/Versions/${schema.version}`, raw: schema.url };
}
