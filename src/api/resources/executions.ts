import { z } from 'zod';
import { servedError, type ServedError } from '../../engine/errors';
import type { JsonObject } from '../../engine/json';
import type { FlowContext } from '../../engine/context';
import { contextAt, ENDED, type ExecutionState, type Step } from '../../engine/state';
import type { ExecutionRecord } from '../../services/executions';
import { twilioDate } from '../paging';
import { flowUrl, type ResourceUrls } from './flows';

/** Response shapes of the Executions API, with Studio's snake_case fields. */

export const executionResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  flow_sid: z.string(),
  contact_sid: z.string().nullable().describe('Deprecated in Studio; always null'),
  contact_channel_address: z.string(),
  context: z.record(z.string(), z.unknown()).describe('Always {} here, as in Studio; see the Context resource'),
  status: z.enum(['active', 'ended']),
  flow_version: z.number().int(),
  initiated_by: z.string().nullable(),
  date_created: z.string(),
  date_updated: z.string().nullable(),
  url: z.string(),
  links: z.object({ steps: z.string(), execution_context: z.string() }),
});

export const executionContextSchema = z.object({
  account_sid: z.string(),
  context: z.record(z.string(), z.unknown()),
  flow_sid: z.string(),
  execution_sid: z.string(),
  url: z.string(),
});

export const stepResourceSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  flow_sid: z.string(),
  execution_sid: z.string(),
  parent_step_sid: z.string().nullable(),
  name: z.string().describe('The event that caused the transition'),
  context: z.record(z.string(), z.unknown()).describe('Always {} here, as in Studio; see the Step Context resource'),
  transitioned_from: z.string(),
  transitioned_to: z.string(),
  type: z.string(),
  date_created: z.string(),
  date_updated: z.string().nullable(),
  url: z.string(),
  links: z.object({ step_context: z.string() }),
  migration: z
    .object({ migration_sid: z.string(), from_revision: z.number(), to_revision: z.number() })
    .optional()
    .describe('Our extension, on a `migrated` step only: the execution went on in `to_revision` from here'),
});

export const stepContextSchema = z.object({
  account_sid: z.string(),
  context: z.record(z.string(), z.unknown()),
  execution_sid: z.string(),
  flow_sid: z.string(),
  step_sid: z.string(),
  url: z.string(),
});

export function executionUrl(urls: ResourceUrls, flowSid: string, sid: string): string {
  return `${flowUrl(urls, flowSid)}/Executions/${sid}`;
}

export function executionResource(urls: ResourceUrls, accountSid: string, e: ExecutionRecord, updated?: string) {
  const url = executionUrl(urls, e.flowSid, e.sid);
  return {
    sid: e.sid,
    account_sid: accountSid,
    flow_sid: e.flowSid,
    contact_sid: null,
    contact_channel_address: e.contact,
    context: {},
    status: e.active ? ('active' as const) : ('ended' as const),
    flow_version: e.revision,
    initiated_by: e.initiatedBy,
    date_created: twilioDate(e.started.toISOString()),
    date_updated: twilioDate(updated ?? (e.closed ?? e.started).toISOString()),
    url,
    links: { steps: `${url}/Steps`, execution_context: `${url}/Context` },
  };
}

/**
 * Every step of an execution in the order they happened, a subflow's steps right after the
 * Run Subflow step that ran them (with `parent_step_sid`), each with its context.
 */
export interface FlatStep {
  readonly step: Step;
  readonly parentStepSid: string | null;
  /** Undefined for a step whose own context is no longer kept (folded to keep the state within LIMIT_MAX_EXECUTION_STATE_BYTES). */
  context(): JsonObject | undefined;
}

export function flattenSteps(state: ExecutionState): FlatStep[] {
  const out: FlatStep[] = [];
  const at = (initial: FlowContext, steps: readonly Step[], folded: number | undefined, index: number) => () => (index < (folded ?? 0) ? undefined : contextAt(initial, steps, index));
  state.steps.forEach((step, index) => {
    if (step.subflow) {
      const run = step.subflow;
      run.steps.forEach((child, childIndex) => out.push({ step: child, parentStepSid: step.sid, context: at(run.initial, run.steps, run.folded, childIndex) }));
    }
    out.push({ step, parentStepSid: null, context: at(state.initial, state.steps, state.folded, index) });
  });
  return out;
}

export function stepResource(urls: ResourceUrls, accountSid: string, e: ExecutionRecord, flat: FlatStep) {
  const url = `${executionUrl(urls, e.flowSid, e.sid)}/Steps/${flat.step.sid}`;
  return {
    sid: flat.step.sid,
    account_sid: accountSid,
    flow_sid: e.flowSid,
    execution_sid: e.sid,
    parent_step_sid: flat.parentStepSid,
    name: flat.step.name,
    context: {},
    transitioned_from: flat.step.transitioned_from,
    transitioned_to: flat.step.transitioned_to,
    type: flat.step.type,
    date_created: twilioDate(flat.step.date_created),
    date_updated: twilioDate(flat.step.date_created),
    url,
    links: { step_context: `${url}/Context` },
    ...(flat.step.migration ? { migration: { migration_sid: flat.step.migration.sid, from_revision: flat.step.migration.from, to_revision: flat.step.migration.to } } : {}),
  };
}

/**
 * The execution's context as the Context resource serves it: the flow context, plus `error`
 * when the execution ended because of a failure — a limit, a Liquid error — or because its last
 * widget failed with no transition to follow (a blocked or timed-out HTTP call, an oversized
 * response). Studio users look here first; without it an ended execution with an empty
 * `widgets.<name>` says nothing about why. `error` is not part of what Liquid sees.
 */
export function servedExecutionContext(state: ExecutionState): JsonObject {
  const error = executionError(state);
  return error ? { ...state.context, error: { ...error } } : state.context;
}

/**
 * A step's context as the Step Context resource serves it, with `error` when its widget failed;
 * undefined when the step no longer keeps its own context.
 */
export function servedStepContext(flat: FlatStep): JsonObject | undefined {
  const context = flat.context();
  if (context === undefined) return undefined;
  const { error } = flat.step;
  return error ? { ...context, error: { ...servedError(error, flat.step.transitioned_from, flat.step.type) } } : context;
}

function executionError(state: ExecutionState): ServedError | undefined {
  // An execution's own failures (limits, Liquid) carry their Studio code; widget errors do not.
  if (state.failure) return servedError(state.failure, state.failure.widget, undefined);
  const last = state.steps[state.steps.length - 1];
  if (state.status === 'ended' && last?.error && last.transitioned_to === ENDED) return servedError(last.error, last.transitioned_from, last.type);
  return undefined;
}
