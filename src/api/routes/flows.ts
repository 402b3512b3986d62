import { z } from 'zod';
import { jsonValueTooDeep } from '../../engine/json';
import type { FlowLimits } from '../../flow/limits';
import { DefinitionRejected, type FlowService } from '../../services/flows';
import type { FlowRecord, FlowStore } from '../../store/flow-store';
import { ApiError } from '../errors';
import { page, pageMetaSchema, pageParams } from '../paging';
import { flowResource, flowResourceSchema, type ResourceUrls } from '../resources/flows';
import { route, type RouteSpec } from '../route';

export interface FlowRouteDeps extends ResourceUrls {
  readonly flows: FlowService;
  readonly store: FlowStore;
  readonly limits: FlowLimits;
  /** LIMIT_MAX_JSON_DEPTH, which a definition sent as an object is checked against before it is written as text. */
  readonly maxJsonDepth: number;
}

const FLOW_SID = /^FW[0-9a-f]{32}$/;

/** The flow SID named in the path; a malformed one can name no flow (404). */
export function flowSid(sid: string | undefined): string {
  if (!sid || !FLOW_SID.test(sid)) throw ApiError.notFound(`/v2/Flows/${sid ?? ''}`);
  return sid;
}

/** The flow named in the path, or 404. */
export async function requireFlow(store: FlowStore, accountSid: string, sid: string | undefined): Promise<FlowRecord> {
  const flow = await store.get(accountSid, flowSid(sid));
  if (!flow) throw ApiError.notFound(`/v2/Flows/${sid ?? ''}`);
  return flow;
}

/**
 * `Definition` arrives as JSON text (form) or as an object (JSON body); it is kept as text. An
 * object nested too deep is refused before `JSON.stringify` walks it (recursively).
 */
function definitionParam(maxJsonDepth: number) {
  return z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .refine((v) => typeof v === 'string' || !jsonValueTooDeep(v, maxJsonDepth), `nests arrays or objects more than ${maxJsonDepth} levels deep (LIMIT_MAX_JSON_DEPTH)`)
    .transform((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

const status = z.enum(['draft', 'published'], { error: 'expected draft or published' });

function saveParams(limits: FlowLimits) {
  return {
    FriendlyName: z.string().trim().min(1, 'must not be empty').max(limits.maxFriendlyNameLength, `at most ${limits.maxFriendlyNameLength} characters`),
    CommitMessage: z.string().max(limits.maxCommitMessageLength, `at most ${limits.maxCommitMessageLength} characters`).optional(),
  };
}

/** 81022 with every finding in `details`, as Studio reports a definition that fails validation. */
function definitionError(err: unknown): never {
  if (err instanceof DefinitionRejected) {
    throw new ApiError(400, 81022, `${err.message}: ${err.errors[0]?.property_path ?? '#'} ${err.errors[0]?.message ?? ''}`.trim(), {
      errors: err.errors,
      warnings: err.warnings,
    });
  }
  throw err;
}

const flowPosition = z.object({ d: z.string(), s: z.string() });

export function flowRoutes(deps: FlowRouteDeps): RouteSpec<never>[] {
  const { limits } = deps;
  const base = saveParams(limits);
  const definition = definitionParam(deps.maxJsonDepth);
  const createParams = z.looseObject({ FriendlyName: base.FriendlyName, Status: status, Definition: definition, CommitMessage: base.CommitMessage });
  const updateParams = z.looseObject({ Status: status, FriendlyName: base.FriendlyName.optional(), Definition: definition.optional(), CommitMessage: base.CommitMessage });

  return [
    route({
      method: 'get',
      path: '/v2/Flows',
      operationId: 'ListFlow',
      summary: 'List flows, newest first',
      tag: 'Flows',
      input: pageParams,
      response: { status: 200, description: 'A page of flows', schema: z.object({ meta: pageMetaSchema, flows: z.array(flowResourceSchema) }) },
      errors: [400, 401],
      handle: async ({ input, account, pageTokens }) => {
        const after = pageTokens.decode(input.PageToken, flowPosition);
        const rows = await deps.store.list(account.accountSid, input.PageSize + 1, after ? { date: after.d, sid: after.s } : undefined, input.Page * input.PageSize);
        const result = page({ baseUrl: `${deps.publicUrl}/v2/Flows`, key: 'flows', params: input, items: rows, positionOf: (f) => ({ d: f.dateCreated, s: f.sid }), tokens: pageTokens });
        return { status: 200, body: { meta: result.meta, flows: result.items.map((f) => flowResource(deps, f, false)) } };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows',
      operationId: 'CreateFlow',
      summary: 'Create a flow (revision 1)',
      tag: 'Flows',
      input: createParams,
      response: { status: 201, description: 'The new flow', schema: flowResourceSchema },
      errors: [400, 401],
      handle: async ({ input, account }) => {
        const flow = await deps.flows
          .create(account.accountSid, { friendlyName: input.FriendlyName, status: input.Status, definition: input.Definition, commitMessage: input.CommitMessage })
          .catch(definitionError);
        return { status: 201, body: flowResource(deps, flow, true) };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/Validate',
      operationId: 'UpdateFlowValidate',
      summary: 'Validate a flow definition without saving it',
      tag: 'Flows',
      input: createParams,
      response: { status: 200, description: 'The definition is valid', schema: z.object({ valid: z.literal(true) }) },
      errors: [400, 401],
      handle: ({ input }) => {
        const result = deps.flows.check(input.Definition);
        if (!result.valid) definitionError(new DefinitionRejected('Invalid flow definition', result.errors, result.warnings));
        return { status: 200, body: { valid: true } };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid',
      operationId: 'FetchFlow',
      summary: 'Fetch a flow with its latest revision',
      tag: 'Flows',
      response: { status: 200, description: 'The flow', schema: flowResourceSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => ({ status: 200, body: flowResource(deps, await requireFlow(deps.store, account.accountSid, path.FlowSid), true) }),
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid',
      operationId: 'UpdateFlow',
      summary: 'Save a new revision: rename, change the definition, publish',
      tag: 'Flows',
      input: updateParams,
      response: { status: 200, description: 'The flow at its new revision', schema: flowResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const flow = await deps.flows
          .update(account.accountSid, flowSid(path.FlowSid), { status: input.Status, friendlyName: input.FriendlyName, definition: input.Definition, commitMessage: input.CommitMessage })
          .catch(definitionError);
        if (!flow) throw ApiError.notFound(`/v2/Flows/${path.FlowSid}`);
        return { status: 200, body: flowResource(deps, flow, true) };
      },
    }),
    route({
      method: 'delete',
      path: '/v2/Flows/:FlowSid',
      operationId: 'DeleteFlow',
      summary: 'Delete a flow and all its revisions',
      tag: 'Flows',
      response: { status: 204, description: 'Deleted' },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        if (!(await deps.store.delete(account.accountSid, flowSid(path.FlowSid)))) throw ApiError.notFound(`/v2/Flows/${path.FlowSid}`);
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Duplicate',
      operationId: 'CreateFlowDuplicate',
      summary: 'Duplicate a flow as a new draft (the Console\'s "Duplicate to new Flow"; not in Twilio\'s API)',
      tag: 'Flows',
      input: z.looseObject({ FriendlyName: base.FriendlyName.optional() }),
      response: { status: 201, description: 'The new flow', schema: flowResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const flow = await deps.flows.duplicate(account.accountSid, flowSid(path.FlowSid), input.FriendlyName).catch(definitionError);
        if (!flow) throw ApiError.notFound(`/v2/Flows/${path.FlowSid}`);
        return { status: 201, body: flowResource(deps, flow, true) };
      },
    }),
  ] as RouteSpec<never>[];
}
