import type { RouteSpec } from '../route';
import { eventSinkRoutes } from './event-sinks';
import type { EventStreamRouteDeps } from './event-streams-shared';
import { subscribedEventRoutes } from './event-subscribed-events';
import { eventSubscriptionRoutes } from './event-subscriptions';
import { eventTypeRoutes } from './event-types';

export type { EventStreamRouteDeps } from './event-streams-shared';

/**
 * Twilio's Event Streams REST API (Events v1, events.twilio.com/v1): sinks, subscriptions and
 * the event types we emit. Producing and delivering the events happens elsewhere.
 */
export function eventStreamRoutes(deps: EventStreamRouteDeps): RouteSpec<never>[] {
  return [...eventSinkRoutes(deps), ...eventSubscriptionRoutes(deps), ...subscribedEventRoutes(deps), ...eventTypeRoutes(deps)];
}
