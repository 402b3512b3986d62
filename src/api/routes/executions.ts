import { z } from 'zod';
import { failpoint } from '../../faults/failpoints';
import { jsonValueTooDeep, parseJsonWithin, type JsonObject } from '../../engine/json';
import type { FlowDefinition } from '../../flow/definition';
import { ExecutionConflict, restExecutionTrigger, type ExecutionLimits, type ExecutionRecord, type ExecutionService } from '../../services/executions';
import type { NewExecutionLimiter } from '../../services/rate-limits';
import type { FlowStore } from '../../store/flow-store';
import { checkStartAddresses } from '../addresses';
import { ApiError } from '../errors';
import { annotateRequest } from '../middleware/request-context';
import { pageMeta, pageMetaSchema, pageParams } from '../paging';
import {
  executionContextSchema,
  executionResource,
  executionResourceSchema,
  executionUrl,
  flattenSteps,
  servedExecutionContext,
  servedStepContext,
  stepContextSchema,
  stepResource,
  stepResourceSchema,
} from '../resources/executions';
import type { ResourceUrls } from '../resources/flows';
import { route, type RouteSpec } from '../route';
import { flowSid, requireFlow } from './flows';
import { revisionFor } from '../../services/revisions';


export interface ExecutionRouteDeps extends ResourceUrls {
  readonly store: FlowStore;
  readonly executions: ExecutionService;
  readonly limits: ExecutionLimits;
  /** LIMIT_MAX_JSON_DEPTH: `Parameters` nested deeper are refused (400, 84004). */
  readonly maxJsonDepth: number;
  /** Per-account bucket of new REST-triggered executions (`maxNewRestExecutionsPerSecond`); none: unlimited. */
  readonly newExecutions?: NewExecutionLimiter;
}

const EXECUTION_SID = /^FN[0-9a-f]{32}$/;
const STEP_SID = /^FT[0-9a-f]{32}$/;

export const isoDate = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'expected an ISO-8601 date-time')
  .transform((v) => new Date(v));

export function executionRoutes(deps: ExecutionRouteDeps): RouteSpec<never>[] {
  async function requireExecution(accountSid: string, path: Readonly<Record<string, string>>): Promise<ExecutionRecord> {
    const sid = flowSid(path.FlowSid);
    const executionSid = path.ExecutionSid ?? '';
    const execution = EXECUTION_SID.test(executionSid) ? await deps.executions.reads.find(sid, executionSid) : undefined;
    if (!execution || execution.accountSid !== accountSid) throw ApiError.notFound(`/v2/Flows/${sid}/Executions/${executionSid}`);
    annotateRequest({ flow_sid: execution.flowSid, execution_sid: execution.sid });
    return execution;
  }

  async function requireState(execution: ExecutionRecord) {
    const state = await deps.executions.reads.state(execution);
    if (!state) throw new ApiError(503, 20503, 'The execution state is not available right now (no worker answered); try again');
    return state;
  }

  const createParams = z.looseObject({
    To: z.string().trim().min(1, 'must not be empty'),
    From: z.string().trim().min(1, 'must not be empty'),
    Parameters: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  });

  return [
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Executions',
      operationId: 'CreateExecution',
      summary: 'Start an execution for a contact (409 when the contact already has an active one)',
      tag: 'Executions',
      input: createParams,
      response: { status: 201, description: 'The new execution', schema: executionResourceSchema },
      errors: [400, 401, 404, 409, 429],
      handle: async ({ input, path, account, header }) => {
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        annotateRequest({ flow_sid: flow.sid });
        checkStartAddresses({ To: input.To, From: input.From, contact: 'To' }, deps.limits.maxContactBytes);
        const parameters = parseParameters(input.Parameters, deps.limits, deps.maxJsonDepth);
        const revision = await revisionFor(deps.store, flow, input.To);
        if (!revision) throw new ApiError(400, 20001, `Flow ${flow.sid} has no published revision to execute`);
        const trigger = restExecutionTrigger(input.To, input.From, parameters);
        // Every REST start is a new execution: a token is taken once the request is known to be
        // good, and given back when nothing started (a 409, or Temporal failing).
        const admission = await deps.newExecutions?.take(account.accountSid);
        if (admission && !admission.allowed) throw ApiError.tooManyRequests(admission.retryAfterSeconds);
        try {
          const execution = await deps.executions.commands.start({
            accountSid: account.accountSid,
            flowSid: flow.sid,
            revision: revision.revision,
            definition: revision.definition as FlowDefinition,
            trigger,
            initiatedBy: account.accountSid,
            ...idempotencyToken(header),
          });
          failpoint('executions.after-start');
          // A retried request (same idempotency token) gets the execution it started: not a new one.
          if (execution.repeated) await deps.newExecutions?.refund(account.accountSid);
          annotateRequest({ execution_sid: execution.sid });
          return { status: 201, body: executionResource(deps, account.accountSid, execution) };
        } catch (err) {
          // A token not given back delays the next start by 1/rate s; this request's own error matters more.
          await deps.newExecutions?.refund(account.accountSid).catch(() => undefined);
          if (err instanceof ExecutionConflict) {
            throw new ApiError(409, 20409, `Execution already active for contact ${input.To} on flow ${flow.sid}`);
          }
          throw err;
        }
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Executions',
      operationId: 'ListExecution',
      summary: 'List executions of a flow, newest first (Temporal visibility)',
      tag: 'Executions',
      input: pageParams.extend({ DateCreatedFrom: isoDate.optional(), DateCreatedTo: isoDate.optional(), Status: z.enum(['active', 'ended']).optional() }),
      response: { status: 200, description: 'A page of executions', schema: z.object({ meta: pageMetaSchema, executions: z.array(executionResourceSchema) }) },
      errors: [400, 401, 404],
      handle: async ({ input, path, account, pageTokens }) => {
        const token = pageTokens.decode(input.PageToken, z.object({ t: z.string() }));
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        const page = await deps.executions.reads.list(
          flow.sid,
          { ...(input.DateCreatedFrom ? { from: input.DateCreatedFrom } : {}), ...(input.DateCreatedTo ? { to: input.DateCreatedTo } : {}), ...(input.Status ? { status: input.Status } : {}) },
          input.PageSize,
          token ? Buffer.from(token.t, 'base64url') : undefined,
        );
        const base = `${deps.publicUrl}/v2/Flows/${flow.sid}/Executions`;
        return {
          status: 200,
          body: {
            meta: pageMeta(base, 'executions', input, page.nextPageToken ? pageTokens.encode({ t: page.nextPageToken }) : undefined, {
              DateCreatedFrom: input.DateCreatedFrom?.toISOString(),
              DateCreatedTo: input.DateCreatedTo?.toISOString(),
              Status: input.Status,
            }),
            executions: page.executions.map((e) => executionResource(deps, account.accountSid, e)),
          },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Executions/:ExecutionSid',
      operationId: 'FetchExecution',
      summary: 'Fetch an execution (status active or ended)',
      tag: 'Executions',
      response: { status: 200, description: 'The execution', schema: executionResourceSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => ({ status: 200, body: executionResource(deps, account.accountSid, await requireExecution(account.accountSid, path)) }),
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Executions/:ExecutionSid',
      operationId: 'UpdateExecution',
      summary: 'End an active execution (Status=ended)',
      tag: 'Executions',
      input: z.looseObject({ Status: z.enum(['ended'], { error: 'the only status an execution can be set to is ended' }) }),
      response: { status: 200, description: 'The ended execution', schema: executionResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ path, account }) => {
        const execution = await requireExecution(account.accountSid, path);
        await deps.executions.commands.end(execution);
        return { status: 200, body: executionResource(deps, account.accountSid, { ...execution, active: false, closed: new Date() }) };
      },
    }),
    route({
      method: 'delete',
      path: '/v2/Flows/:FlowSid/Executions/:ExecutionSid',
      operationId: 'DeleteExecution',
      summary: 'Delete an execution and its steps',
      tag: 'Executions',
      response: { status: 204, description: 'Deleted' },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        await deps.executions.commands.delete(await requireExecution(account.accountSid, path));
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Executions/:ExecutionSid/Context',
      operationId: 'FetchExecutionContext',
      summary: "The execution's current flow context",
      tag: 'Executions',
      response: { status: 200, description: 'The context', schema: executionContextSchema },
      errors: [401, 404, 503],
      handle: async ({ path, account }) => {
        const execution = await requireExecution(account.accountSid, path);
        const state = await requireState(execution);
        return {
          status: 200,
          body: { account_sid: account.accountSid, context: servedExecutionContext(state), flow_sid: execution.flowSid, execution_sid: execution.sid, url: `${executionUrl(deps, execution.flowSid, execution.sid)}/Context` },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Executions/:ExecutionSid/Steps',
      operationId: 'ListExecutionStep',
      summary: 'The steps of an execution, in order (subflow steps carry parent_step_sid)',
      tag: 'Steps',
      input: pageParams,
      response: { status: 200, description: 'A page of steps', schema: z.object({ meta: pageMetaSchema, steps: z.array(stepResourceSchema) }) },
      errors: [400, 401, 404, 503],
      handle: async ({ input, path, account, pageTokens }) => {
        const after = pageTokens.decode(input.PageToken, z.object({ i: z.number().int().min(0) }));
        const execution = await requireExecution(account.accountSid, path);
        const steps = flattenSteps(await requireState(execution));
        const start = after?.i ?? input.Page * input.PageSize;
        const slice = steps.slice(start, start + input.PageSize);
        const next = start + input.PageSize < steps.length ? pageTokens.encode({ i: start + input.PageSize }) : undefined;
        return {
          status: 200,
          body: { meta: pageMeta(`${executionUrl(deps, execution.flowSid, execution.sid)}/Steps`, 'steps', input, next), steps: slice.map((s) => stepResource(deps, account.accountSid, execution, s)) },
        };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Executions/:ExecutionSid/Steps/:StepSid',
      operationId: 'FetchExecutionStep',
      summary: 'One step',
      tag: 'Steps',
      response: { status: 200, description: 'The step', schema: stepResourceSchema },
      errors: [401, 404, 503],
      handle: async ({ path, account }) => {
        const { execution, step } = await requireStep(path, account.accountSid);
        return { status: 200, body: stepResource(deps, account.accountSid, execution, step) };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Executions/:ExecutionSid/Steps/:StepSid/Context',
      operationId: 'FetchExecutionStepContext',
      summary: 'The flow context as it was when the step ended',
      tag: 'Steps',
      response: { status: 200, description: 'The step context', schema: stepContextSchema },
      errors: [401, 404, 503],
      handle: async ({ path, account }) => {
        const { execution, step } = await requireStep(path, account.accountSid);
        const context = servedStepContext(step);
        if (context === undefined) {
          throw new ApiError(404, 20404, `The context of step ${step.step.sid} is no longer kept: the execution outgrew LIMIT_MAX_EXECUTION_STATE_BYTES and its oldest steps keep only their transitions`);
        }
        return {
          status: 200,
          body: {
            account_sid: account.accountSid,
            context,
            execution_sid: execution.sid,
            flow_sid: execution.flowSid,
            step_sid: step.step.sid,
            url: `${executionUrl(deps, execution.flowSid, execution.sid)}/Steps/${step.step.sid}/Context`,
          },
        };
      },
    }),
  ] as RouteSpec<never>[];

  async function requireStep(path: Readonly<Record<string, string>>, accountSid: string) {
    const execution = await requireExecution(accountSid, path);
    const stepSid = path.StepSid ?? '';
    const step = STEP_SID.test(stepSid) ? flattenSteps(await requireState(execution)).find((s) => s.step.sid === stepSid) : undefined;
    if (!step) throw ApiError.notFound(`${executionUrl(deps, execution.flowSid, execution.sid)}/Steps/${stepSid}`.replace(deps.publicUrl, ''));
    return { execution, step };
  }
}

/**
 * `Parameters`: a JSON object (as text in a form, or as an object in a JSON body) → `flow.data`.
 * Bounded in size and depth here, where it enters: the execution keeps it in its history and
 * serves it back in every context.
 */
function parseParameters(raw: string | Record<string, unknown> | undefined, limits: ExecutionLimits, maxJsonDepth: number): JsonObject {
  if (raw === undefined || raw === '') return {};
  const tooDeep = () => new ApiError(400, 84004, `Parameters nest arrays or objects more than ${maxJsonDepth} levels deep (LIMIT_MAX_JSON_DEPTH)`);
  // An object from a JSON body is measured before JSON.stringify walks it (recursively).
  if (typeof raw !== 'string' && jsonValueTooDeep(raw, maxJsonDepth)) throw tooDeep();
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (Buffer.byteLength(text, 'utf8') > limits.maxParametersBytes) throw new ApiError(400, 84004, `Parameters exceed ${limits.maxParametersBytes} bytes`);
  const parsed = parseJsonWithin(text, maxJsonDepth);
  if (!parsed.ok && parsed.reason === 'depth') throw tooDeep();
  if (!parsed.ok) throw new ApiError(400, 84004, `Parameters is not valid JSON: ${parsed.message}`);
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ApiError(400, 84004, 'Parameters must be a JSON object');
  return value;
}

/** Twilio's `I-Twilio-Idempotency-Token` (what its clients send to make a retried request safe). */
function idempotencyToken(header: (name: string) => string | undefined): { idempotencyToken?: string } {
  const token = header('i-twilio-idempotency-token')?.trim();
  if (token === undefined || token === '') return {};
  if (token.length > 256) throw new ApiError(400, 20001, 'I-Twilio-Idempotency-Token is longer than 256 characters');
  return { idempotencyToken: token };
}
