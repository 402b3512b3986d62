import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import type { VoiceAnswer, VoiceTurn } from '../engine/call';
import { executionInfoFromRaw } from '@temporalio/client/lib/helpers';
import type { ExecutionTrigger } from '../engine/context';
import type { JsonObject } from '../engine/json';
import type { InboundEvent } from '../engine/mailbox';
import type { EngineLimits } from '../engine/limits';
import type { ExecutionState } from '../engine/state';
import type { FlowDefinition } from '../flow/definition';
import type { ExecutionTombstones } from '../store/execution-tombstones';
import { derivedExecutionSid, mintedAt, newExecutionSid, sameDerivation } from '../temporal/execution-sids';
import { allOf, keywordIs, statusIs, statusIsNot, timeBefore, timeFrom } from '../temporal/visibility-query';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { callStatus, endExecution, executionSnapshot, inboundMessage, messageStatus, voiceTurn } from '../../workflows/messages';
import { ContactAddress, ExecutionSid, FlowRevision, FlowSid, TriggerType } from '../../workflows/search-attributes';

export interface ExecutionSettings {
  readonly namespace: string;
  readonly taskQueue: string;
  /** EXECUTION_RETENTION_DAYS: also the longest an execution may stay active. */
  readonly retentionDays: number;
  /** Pinned on each execution when it starts, as its revision is: a changed setting never alters a running one. */
  readonly engineLimits?: EngineLimits;
}

/** An execution as visibility and the workflow describe it. */
export interface ExecutionRecord {
  readonly sid: string;
  readonly accountSid: string;
  readonly flowSid: string;
  readonly workflowId: string;
  readonly contact: string;
  readonly revision: number;
  readonly active: boolean;
  readonly started: Date;
  readonly closed?: Date;
  readonly initiatedBy: string | null;
}

export class ExecutionConflict extends Error {
  constructor(readonly contact: string) {
    super(`Execution ${contact} is already active for this flow`);
    this.name = 'ExecutionConflict';
  }
}

export interface StartExecution {
  readonly accountSid: string;
  readonly flowSid: string;
  readonly revision: number;
  readonly definition: FlowDefinition;
  readonly trigger: ExecutionTrigger;
  readonly initiatedBy: string;
  /**
   * Twilio's `I-Twilio-Idempotency-Token`: a retried request with the same token gets the
   * execution the first one started instead of a second one (or a 409).
   */
  readonly idempotencyToken?: string;
}

export interface ExecutionPage {
  readonly executions: ExecutionRecord[];
  readonly nextPageToken?: string;
}

/** What a REST start may carry, and how many new executions an account may start a second. */
export interface ExecutionLimits {
  /** UTF-8 bytes of `To` and `From` together (Studio: 300, error 81023). */
  readonly maxContactBytes: number;
  /** UTF-8 bytes of the `Parameters` JSON. */
  readonly maxParametersBytes: number;
  /** New executions per second per account through `POST /v2/Flows/{FlowSid}/Executions` (Studio: 20; then 429, 20429). */
  readonly maxNewRestExecutionsPerSecond: number;
  /** New executions per second per account started by inbound messages, calls and conversation messages (Studio: 100; then 429). */
  readonly maxNewInboundExecutionsPerSecond: number;
}

export const DEFAULT_EXECUTION_LIMITS: ExecutionLimits = Object.freeze({
  maxContactBytes: 300,
  maxParametersBytes: 64 * 1024,
  maxNewRestExecutionsPerSecond: 20,
  maxNewInboundExecutionsPerSecond: 100,
});

/** How long after a start visibility may still not list it: a SID minted this recently is waited for. */
const VISIBILITY_GRACE_MS = 1_000;
/** How far apart the clocks of the API processes (which mint SIDs) may be. */
const CLOCK_SKEW_MS = 1_000;
/** Executions this process started, found without visibility while it catches up. */
const RECENT_STARTS = 10_000;

/**
 * Executions as Temporal workflows: one workflow ID per flow and contact (so a second start for
 * a busy contact conflicts), search attributes for listing, the workflow's query and result
 * for context and steps.
 */
export class ExecutionService {
  private readonly recent = new Map<string, { flowSid: string; workflowId: string }>();

  constructor(
    private readonly client: Client,
    private readonly settings: ExecutionSettings,
    private readonly tombstones: ExecutionTombstones,
  ) {}

  static workflowId(flowSid: string, contact: string): string {
    return `${flowSid}:${contact}`;
  }

  /** Whether a workflow ID from outside (a callback URL's `WorkflowId`) names an execution of this flow, or a subflow one runs (its ID extends the parent's). */
  static isOfFlow(workflowId: string | undefined, flowSid: string): workflowId is string {
    return workflowId !== undefined && workflowId.startsWith(ExecutionService.workflowId(flowSid, ''));
  }

  async start(input: StartExecution): Promise<ExecutionRecord & { readonly repeated?: true }> {
    // With a token the SID is derived from it, so a retry can recognise the execution it started (whenever minted).
    const executionSid = input.idempotencyToken ? sidForToken(input, input.idempotencyToken) : newExecutionSid();
    const workflowId = ExecutionService.workflowId(input.flowSid, input.trigger.contactAddress);
    try {
      await this.client.workflow.start(flowExecution, { ...this.startOptions(input, executionSid, workflowId), workflowIdConflictPolicy: 'FAIL' });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const running = input.idempotencyToken ? await this.current(workflowId) : undefined;
      if (running && sameDerivation(running.sid, executionSid) && running.active) return { ...running, repeated: true };
      throw new ExecutionConflict(input.trigger.contactAddress);
    }
    this.remember(executionSid, input.flowSid, workflowId);
    return { sid: executionSid, accountSid: input.accountSid, flowSid: input.flowSid, workflowId, contact: input.trigger.contactAddress, revision: input.revision, active: true, started: new Date(), initiatedBy: input.initiatedBy };
  }

  /**
   * Delivers an inbound message to the execution of `flowSid` for `key` (a contact, or a
   * conversation), starting one with the message as its trigger when none is active.
   * Signal-with-start is atomic: concurrent first messages make one execution.
   */
  async deliver(input: StartExecution, key: string, event: InboundEvent): Promise<void> {
    const executionSid = newExecutionSid();
    const workflowId = ExecutionService.workflowId(input.flowSid, key);
    await this.client.workflow.signalWithStart(flowExecution, {
      ...this.startOptions(input, executionSid, workflowId),
      signal: inboundMessage,
      signalArgs: [event],
    });
  }

  /**
   * Delivers an inbound message to the running execution of `flowSid` for `key`, starting
   * nothing: false when there is none (never started, or ended). Lets a caller reserve a
   * rate-limit token only for messages that need a new execution.
   */
  async signalExisting(flowSid: string, key: string, event: InboundEvent): Promise<boolean> {
    return this.signalWorkflow(ExecutionService.workflowId(flowSid, key), event);
  }

  /** Delivers an inbound message to the running execution `workflowId`: false when it is not running. */
  async signalWorkflow(workflowId: string, event: InboundEvent): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).signal(inboundMessage, event);
      return true;
    } catch (err) {
      ignoreNotFound(err);
      return false;
    }
  }

  /**
   * The first webhook of a call: starts the execution with the call as its trigger and asks it
   * for TwiML in one request (update-with-start). Throws ExecutionConflict when another call holds
   * the workflow ID (concurrent calls off). Bounded by `deadline` (epoch ms).
   */
  async startCall(input: StartExecution, workflowId: string, turn: VoiceTurn, deadline: number): Promise<VoiceAnswer> {
    const operation = new WithStartWorkflowOperation(flowExecution, {
      ...this.startOptions(input, newExecutionSid(), workflowId),
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    try {
      return await this.client.withDeadline(deadline, () => this.client.workflow.executeUpdateWithStart(voiceTurn, { args: [turn], updateId: turn.id, startWorkflowOperation: operation }));
    } catch (err) {
      // The validator refused: the execution there serves another call.
      if ((err as Error).name === 'WorkflowUpdateFailedError') throw new ExecutionConflict(input.trigger.contactAddress);
      throw err;
    }
  }

  /** A later webhook of a call (a callback, an answered outgoing call, a poll). Bounded by `deadline`. */
  async continueCall(workflowId: string, turn: VoiceTurn, deadline: number): Promise<VoiceAnswer> {
    return this.client.withDeadline(deadline, () => this.client.workflow.getHandle(workflowId).executeUpdate(voiceTurn, { args: [turn], updateId: turn.id }));
  }

  /** A call status callback; nothing if the execution has ended. */
  async callStatus(workflowId: string, status: JsonObject): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(workflowId).signal(callStatus, status);
      return true;
    } catch (err) {
      ignoreNotFound(err);
      return false;
    }
  }

  /** A status callback for a message an execution sent; nothing if the execution has ended. */
  async messageStatus(workflowId: string, status: JsonObject): Promise<void> {
    await this.client.workflow
      .getHandle(workflowId)
      .signal(messageStatus, status)
      .catch(ignoreNotFound);
  }

  private startOptions(input: StartExecution, executionSid: string, workflowId: string) {
    const args: FlowExecutionInput = {
      executionSid,
      flow: { sid: input.flowSid, revision: input.revision, definition: input.definition },
      trigger: input.trigger,
      ...(this.settings.engineLimits ? { limits: this.settings.engineLimits } : {}),
    };
    return {
      args: [args] as [FlowExecutionInput],
      taskQueue: this.settings.taskQueue,
      workflowId,
      workflowExecutionTimeout: `${this.settings.retentionDays} days`,
      typedSearchAttributes: [
        { key: FlowSid, value: input.flowSid },
        { key: ExecutionSid, value: executionSid },
        { key: ContactAddress, value: input.trigger.contactAddress },
        { key: TriggerType, value: input.trigger.event },
        { key: FlowRevision, value: input.revision },
      ],
      memo: { accountSid: input.accountSid, initiatedBy: input.initiatedBy },
      staticSummary: `Execution ${executionSid} of ${input.flowSid} r${input.revision} for ${input.trigger.contactAddress}`,
    };
  }

  /** Executions of a flow, newest first, from Temporal visibility. */
  async list(flowSid: string, filter: { from?: Date; to?: Date; status?: 'active' | 'ended' }, pageSize: number, pageToken?: Uint8Array): Promise<ExecutionPage> {
    const clauses = [keywordIs(FlowSid, flowSid), statusIsNot('ContinuedAsNew')];
    if (filter.from) clauses.push(timeFrom('StartTime', filter.from));
    if (filter.to) clauses.push(timeBefore('StartTime', filter.to));
    if (filter.status === 'active') clauses.push(statusIs('Running'));
    if (filter.status === 'ended') clauses.push(statusIsNot('Running'));
    const response = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.settings.namespace,
      pageSize,
      query: allOf(...clauses),
      ...(pageToken ? { nextPageToken: pageToken } : {}),
    });
    const decoded = (await Promise.all((response.executions ?? []).map((raw) => this.decode(raw)))).filter((e): e is ExecutionRecord => e !== undefined);
    const deleted = await this.tombstones.deleted(decoded.map((e) => e.sid));
    const executions = decoded.filter((e) => !deleted.has(e.sid));
    const next = response.nextPageToken && response.nextPageToken.length > 0 ? Buffer.from(response.nextPageToken).toString('base64url') : undefined;
    return { executions, ...(next ? { nextPageToken: next } : {}) };
  }

  /**
   * The execution with this SID in this flow. Its identity comes from visibility (or, right
   * after a create, from memory), its status from the workflow itself, so a fetch never shows a
   * stale status or a deleted execution.
   */
  async find(flowSid: string, executionSid: string): Promise<ExecutionRecord | undefined> {
    if ((await this.tombstones.deleted([executionSid])).size > 0) return undefined;
    const known = this.recent.get(executionSid);
    const workflowId = known?.flowSid === flowSid ? known.workflowId : await this.lookup(flowSid, executionSid);
    if (!workflowId) return undefined;
    const record = await this.current(workflowId);
    return record?.sid === executionSid ? record : undefined;
  }

  /** The execution now running (or last run) under a workflow ID. */
  private async current(workflowId: string): Promise<ExecutionRecord | undefined> {
    try {
      return await this.decode((await this.client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo!);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    }
  }

  /**
   * The workflow ID of an execution, from visibility. Visibility may lag behind a start made by
   * another API process, so a SID minted moments ago (see execution-sids) is polled for until
   * visibility must have caught up; any other SID is answered from one query.
   */
  private async lookup(flowSid: string, executionSid: string): Promise<string | undefined> {
    const query = allOf(keywordIs(FlowSid, flowSid), keywordIs(ExecutionSid, executionSid), statusIsNot('ContinuedAsNew'));
    const deadline = visibilityDeadline(executionSid, Date.now());
    for (;;) {
      const response = await this.client.workflowService.listWorkflowExecutions({ namespace: this.settings.namespace, pageSize: 1, query });
      const workflowId = response.executions?.[0]?.execution?.workflowId;
      if (workflowId) return workflowId;
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private remember(executionSid: string, flowSid: string, workflowId: string): void {
    if (this.recent.size >= RECENT_STARTS) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(executionSid, { flowSid, workflowId });
  }

  /**
   * The interpreter state: from the workflow's result once it has ended (no worker needed), else
   * from its query. Undefined when neither is available (e.g. terminated while no worker ran).
   */
  async state(execution: ExecutionRecord): Promise<ExecutionState | undefined> {
    const handle = this.client.workflow.getHandle<typeof flowExecution>(execution.workflowId);
    if (!execution.active) {
      try {
        return (await handle.result()).state;
      } catch {
        // terminated or timed out: no result; the query may still answer
      }
    }
    try {
      return await this.client.withDeadline(Date.now() + 5_000, () => handle.query(executionSnapshot));
    } catch {
      return undefined;
    }
  }

  /** Ends an active execution (Status=ended): asks the workflow, and terminates it if it does not end in time. */
  async end(execution: ExecutionRecord): Promise<void> {
    if (!execution.active) return;
    const handle = this.client.workflow.getHandle(execution.workflowId);
    await handle.signal(endExecution);
    const ended = await Promise.race([handle.result().then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    if (!ended) await handle.terminate('Ended through the Executions API (the workflow did not end in time)').catch(ignoreNotFound);
  }

  /**
   * Deletes an execution and all its runs (continue-as-new included). It is gone from the API at
   * once; Temporal removes its history in the background.
   */
  async delete(execution: ExecutionRecord): Promise<void> {
    await this.tombstones.add(execution.sid, execution.flowSid, new Date());
    this.recent.delete(execution.sid);
    const handle = this.client.workflow.getHandle(execution.workflowId);
    if (execution.active) await handle.terminate('Deleted through the Executions API').catch(ignoreNotFound);
    // By SID only: the workflow ID holds the contact, which a query may not be able to carry.
    const query = allOf(keywordIs(FlowSid, execution.flowSid), keywordIs(ExecutionSid, execution.sid));
    const runs = await this.client.workflowService.listWorkflowExecutions({ namespace: this.settings.namespace, pageSize: 1000, query });
    const ours = (runs.executions ?? []).filter((r) => r.execution?.workflowId === execution.workflowId);
    const runIds = new Set(ours.map((r) => r.execution?.runId).filter((id): id is string => !!id));
    for (const runId of runIds) {
      await this.client.workflowService
        .deleteWorkflowExecution({ namespace: this.settings.namespace, workflowExecution: { workflowId: execution.workflowId, runId } })
        .catch(ignoreNotFound);
    }
  }

  private async decode(raw: Parameters<typeof executionInfoFromRaw>[0]): Promise<ExecutionRecord | undefined> {
    const info: WorkflowExecutionInfo = await executionInfoFromRaw(raw, this.client.workflow.options.loadedDataConverter, raw, this.settings.namespace);
    const sa = info.typedSearchAttributes;
    const sid = sa.get(ExecutionSid);
    const flowSid = sa.get(FlowSid);
    if (!sid || !flowSid) return undefined;
    const memo = (info.memo ?? {}) as JsonObject;
    return {
      sid,
      accountSid: typeof memo.accountSid === 'string' ? memo.accountSid : '',
      flowSid,
      workflowId: info.workflowId,
      contact: sa.get(ContactAddress) ?? '',
      revision: sa.get(FlowRevision) ?? 0,
      active: info.status.name === 'RUNNING',
      started: info.startTime,
      ...(info.closeTime ? { closed: info.closeTime } : {}),
      initiatedBy: typeof memo.initiatedBy === 'string' ? memo.initiatedBy : null,
    };
  }
}

function ignoreNotFound(err: unknown): void {
  if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return;
  throw err;
}

/** An execution SID derived from the account, flow, contact and idempotency token (and minted now). */
function sidForToken(input: StartExecution, token: string): string {
  return derivedExecutionSid([input.accountSid, input.flowSid, input.trigger.contactAddress, token]);
}

/**
 * Until when (epoch ms) visibility may not yet list an execution with this SID: a little after
 * its mint time. A SID minted in the future (beyond clock skew) is none of ours: no wait.
 */
function visibilityDeadline(executionSid: string, now: number): number {
  const minted = mintedAt(executionSid);
  return minted > now + CLOCK_SKEW_MS ? now : minted + VISIBILITY_GRACE_MS + CLOCK_SKEW_MS;
}
