import { z } from 'zod';
import { EVENT_TYPES, eventSchema, eventType } from '../../events/event-types';
import { ApiError } from '../errors';
import { pageMetaSchema, pageParams } from '../paging';
import { eventTypeResource, eventTypeResourceSchema, schemaResource, schemaResourceSchema, schemaVersionResource, schemaVersionResourceSchema } from '../resources/event-streams';
import { route, type RouteSpec } from '../route';
import { listMeta, listPosition, memoryPage, type EventStreamRouteDeps } from './event-streams-shared';

/** The event types this server emits and their schemas: read-only, the same for every account. */
export function eventTypeRoutes(deps: EventStreamRouteDeps): RouteSpec<never>[] {
  const requireSchema = (id: string | undefined) => {
    const schema = eventSchema(id ?? '');
    if (!schema) throw ApiError.notFound(`/v1/Schemas/${id ?? ''}`);
    return schema;
  };

  return [
    route({
      method: 'get',
      path: '/v1/Types',
      operationId: 'ListEventType',
      summary: 'List the event types this server emits',
      tag: 'Event Streams',
      input: pageParams.extend({ SchemaId: z.string().max(200).optional() }),
      response: { status: 200, description: 'A page of event types', schema: z.object({ meta: pageMetaSchema, types: z.array(eventTypeResourceSchema) }) },
      errors: [400, 401],
      handle: ({ input, pageTokens }) => {
        const { after, filters } = listPosition(pageTokens, input, { SchemaId: input.SchemaId });
        const types = EVENT_TYPES.filter((t) => filters.SchemaId === undefined || t.schemaId === filters.SchemaId);
        const page = memoryPage(types, (t) => t.type, after, input.PageSize);
        const meta = listMeta(pageTokens, `${deps.publicUrl}/v1/Types`, 'types', input, page.next, filters);
        return { status: 200, body: { meta, types: page.items.map((t) => eventTypeResource(deps, t)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Types/:Type',
      operationId: 'FetchEventType',
      summary: 'Fetch an event type',
      tag: 'Event Streams',
      response: { status: 200, description: 'The event type', schema: eventTypeResourceSchema },
      errors: [401, 404],
      handle: ({ path }) => {
        const type = eventType(path.Type ?? '');
        if (!type) throw ApiError.notFound(`/v1/Types/${path.Type ?? ''}`);
        return { status: 200, body: eventTypeResource(deps, type) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Schemas/:Id',
      operationId: 'FetchSchema',
      summary: 'Fetch an event schema',
      tag: 'Event Streams',
      response: { status: 200, description: 'The schema', schema: schemaResourceSchema },
      errors: [401, 404],
      handle: ({ path }) => ({ status: 200, body: schemaResource(deps, requireSchema(path.Id)) }),
    }),
    route({
      method: 'get',
      path: '/v1/Schemas/:Id/Versions',
      operationId: 'ListSchemaVersion',
      summary: 'List the versions of an event schema (the one this server emits)',
      tag: 'Event Streams',
      input: pageParams,
      response: { status: 200, description: 'A page of schema versions', schema: z.object({ meta: pageMetaSchema, schema_versions: z.array(schemaVersionResourceSchema) }) },
      errors: [400, 401, 404],
      handle: ({ input, path, pageTokens }) => {
        const schema = requireSchema(path.Id);
        const page = memoryPage([schema], (s) => String(s.version).padStart(10, '0'), listPosition(pageTokens, input, {}).after, input.PageSize);
        const meta = listMeta(pageTokens, `${deps.publicUrl}/v1/Schemas/${schema.id}/Versions`, 'schema_versions', input, page.next, {});
        return { status: 200, body: { meta, schema_versions: page.items.map((s) => schemaVersionResource(deps, s)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Schemas/:Id/Versions/:SchemaVersion',
      operationId: 'FetchSchemaVersion',
      summary: 'Fetch one version of an event schema',
      tag: 'Event Streams',
      response: { status: 200, description: 'The schema version', schema: schemaVersionResourceSchema },
      errors: [401, 404],
      handle: ({ path }) => {
        const schema = requireSchema(path.Id);
        if (path.SchemaVersion !== String(schema.version)) throw ApiError.notFound(`/v1/Schemas/${schema.id}/Versions/${path.SchemaVersion ?? ''}`);
        return { status: 200, body: schemaVersionResource(deps, schema) };
      },
    }),
  ] as RouteSpec<never>[];
}
