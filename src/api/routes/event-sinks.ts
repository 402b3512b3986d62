import { z } from 'zod';
import { ApiError } from '../errors';
import { pageMetaSchema, pageParams } from '../paging';
import { sinkResource, sinkResourceSchema, sinkTestResultSchema, sinkValidateResultSchema } from '../resources/event-streams';
import { route, type RouteSpec } from '../route';
import { description, listMeta, listPosition, rejected, sinkSid, type EventStreamRouteDeps } from './event-streams-shared';

const sinkStatus = z.enum(['initialized', 'validating', 'active', 'failed'], { error: 'expected initialized, validating, active or failed' });

const createParams = z.looseObject({
  Description: description,
  /** JSON text (form) or an object (JSON body); the service parses and checks it. */
  SinkConfiguration: z.union([z.string(), z.record(z.string(), z.unknown())]).describe('JSON: {"destination": "https://…", "method": "POST", "batch_events": true, "flow_sids": ["FW…"]}'),
  SinkType: z.enum(['kinesis', 'webhook', 'segment', 'email'], { error: 'expected webhook' }).describe('webhook (the only type this server delivers to)'),
});

const listParams = pageParams.extend({
  InUse: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  Status: sinkStatus.optional(),
});

/** Sinks: where events go. A sink proves it receives (Test, then Validate) before it is used. */
export function eventSinkRoutes(deps: EventStreamRouteDeps): RouteSpec<never>[] {
  const { service } = deps;
  const requireSink = async (accountSid: string, sid: string | undefined) => {
    const sink = await service.sinks.sink(accountSid, sinkSid(sid));
    if (!sink) throw ApiError.notFound(`/v1/Sinks/${sid ?? ''}`);
    return sink;
  };

  return [
    route({
      method: 'post',
      path: '/v1/Sinks',
      operationId: 'CreateSink',
      summary: 'Create a webhook sink (status initialized until tested and validated)',
      tag: 'Event Streams',
      input: createParams,
      response: { status: 201, description: 'The new sink', schema: sinkResourceSchema },
      errors: [400, 401],
      handle: async ({ input, account }) => {
        const sink = await service.createSink(account.accountSid, { description: input.Description, sinkType: input.SinkType, configuration: input.SinkConfiguration }).catch(rejected);
        return { status: 201, body: sinkResource(deps, sink) };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Sinks',
      operationId: 'ListSink',
      summary: 'List sinks in SID order',
      tag: 'Event Streams',
      input: listParams,
      response: { status: 200, description: 'A page of sinks', schema: z.object({ meta: pageMetaSchema, sinks: z.array(sinkResourceSchema) }) },
      errors: [400, 401],
      handle: async ({ input, account, pageTokens }) => {
        const { after, filters } = listPosition(pageTokens, input, { InUse: input.InUse, Status: input.Status });
        const status = filters.Status === undefined ? undefined : sinkStatus.safeParse(filters.Status).data;
        // Only a tampered token can carry a status the parameter itself would have refused.
        if (filters.Status !== undefined && !status) throw new ApiError(400, 20001, 'Invalid parameter PageToken');
        const page = await service.sinks.listSinks(account.accountSid, {
          limit: input.PageSize,
          ...(after ? { after } : {}),
          ...(status ? { status } : {}),
          ...(filters.InUse !== undefined ? { inUse: filters.InUse === 'true' } : {}),
        });
        const meta = listMeta(pageTokens, `${deps.publicUrl}/v1/Sinks`, 'sinks', input, page.next, filters);
        return { status: 200, body: { meta, sinks: page.items.map((s) => sinkResource(deps, s)) } };
      },
    }),
    route({
      method: 'get',
      path: '/v1/Sinks/:Sid',
      operationId: 'FetchSink',
      summary: 'Fetch a sink',
      tag: 'Event Streams',
      response: { status: 200, description: 'The sink', schema: sinkResourceSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => ({ status: 200, body: sinkResource(deps, await requireSink(account.accountSid, path.Sid)) }),
    }),
    route({
      method: 'post',
      path: '/v1/Sinks/:Sid',
      operationId: 'UpdateSink',
      summary: "Change a sink's description",
      tag: 'Event Streams',
      input: z.looseObject({ Description: description }),
      response: { status: 200, description: 'The sink', schema: sinkResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const sink = await service.describeSink(account.accountSid, sinkSid(path.Sid), input.Description);
        if (!sink) throw ApiError.notFound(`/v1/Sinks/${path.Sid}`);
        return { status: 200, body: sinkResource(deps, sink) };
      },
    }),
    route({
      method: 'delete',
      path: '/v1/Sinks/:Sid',
      operationId: 'DeleteSink',
      summary: 'Delete a sink with its subscriptions and undelivered events',
      tag: 'Event Streams',
      response: { status: 204, description: 'Deleted' },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        if (!(await service.sinks.deleteSink(account.accountSid, sinkSid(path.Sid)))) throw ApiError.notFound(`/v1/Sinks/${path.Sid}`);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/v1/Sinks/:Sid/Test',
      operationId: 'CreateSinkTest',
      summary: 'Send the sink a test event; its data.test_id validates the sink',
      tag: 'Event Streams',
      response: { status: 201, description: 'The test event is on its way', schema: sinkTestResultSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        if (!(await service.testSink(account.accountSid, sinkSid(path.Sid)))) throw ApiError.notFound(`/v1/Sinks/${path.Sid}/Test`);
        return { status: 201, body: { result: 'submitted' } };
      },
    }),
    route({
      method: 'post',
      path: '/v1/Sinks/:Sid/Validate',
      operationId: 'CreateSinkValidate',
      summary: 'Activate a sink with the test_id its test event carried',
      tag: 'Event Streams',
      input: z.looseObject({ TestId: z.string().trim().min(1, 'must not be empty').max(200, 'at most 200 characters') }),
      response: { status: 201, description: 'The sink is active', schema: sinkValidateResultSchema },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const sink = await service.validateSink(account.accountSid, sinkSid(path.Sid), input.TestId).catch(rejected);
        if (!sink) throw ApiError.notFound(`/v1/Sinks/${path.Sid}/Validate`);
        return { status: 201, body: { result: 'valid' } };
      },
    }),
  ] as RouteSpec<never>[];
}
