import { EVENT_SCHEMAS, EXECUTION_ENDED, EXECUTION_STARTED, STEP_ENDED } from '../engine/events';

/** One event type a sink can subscribe to, with the schema its data follows. */
export interface EventTypeInfo {
  readonly type: string;
  readonly description: string;
  /** Twilio's schema id, e.g. `Studio.FlowExecutionEvent`. */
  readonly schemaId: string;
  /** The one schema version we emit: the data we produce has this shape only. */
  readonly schemaVersion: number;
  /** Where the JSON schema lives (the envelope's `dataschema`). */
  readonly schemaUrl: string;
}

/**
 * The catalogue is code, not data: a fixed date keeps `date_created`/`date_updated` stable
 * across restarts and instances instead of changing with every deploy.
 */
export const EVENT_TYPES_DATE = '2025-01-01T00:00:00Z';

export const EVENT_TYPES_DOCUMENTATION = 'https://www.twilio.com/docs/events/event-types/studio/flow';

const DESCRIPTIONS: Readonly<Record<string, string>> = {
  [EXECUTION_STARTED]: 'Studio Flow Execution Started',
  [EXECUTION_ENDED]: 'Studio Flow Execution Ended',
  [STEP_ENDED]: 'Studio Flow Step Ended',
};

/** The event types this server emits, in type order (the order lists use). */
export const EVENT_TYPES: readonly EventTypeInfo[] = Object.entries(EVENT_SCHEMAS)
  .map(([type, schema]) => ({
    type,
    description: DESCRIPTIONS[type] ?? type,
    // The schema URL ends in `/{id}/{version}`, as Twilio's events-schemas host publishes them.
    schemaId: schema.url.split('/').at(-2) ?? type,
    schemaVersion: schema.version,
    schemaUrl: schema.url,
  }))
  .sort((a, b) => (a.type < b.type ? -1 : 1));

export function eventType(type: string): EventTypeInfo | undefined {
  return EVENT_TYPES.find((t) => t.type === type);
}

/** A schema with the (one) version we publish of it. */
export interface EventSchemaInfo {
  readonly id: string;
  readonly version: number;
  readonly url: string;
}

export function eventSchema(id: string): EventSchemaInfo | undefined {
  const type = EVENT_TYPES.find((t) => t.schemaId === id);
  return type && { id, version: type.schemaVersion, url: type.schemaUrl };
}
