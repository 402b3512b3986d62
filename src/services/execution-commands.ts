import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { VoiceAnswer, VoiceTurn } from '../engine/call';
import type { ExecutionTrigger } from '../engine/context';
import type { JsonObject } from '../engine/json';
import type { InboundEvent } from '../engine/mailbox';
import type { EngineLimits } from '../engine/limits';
import type { FlowDefinition } from '../flow/definition';
import type { ExecutionTombstones } from '../store/execution-tombstones';
import { derivedExecutionSid, newExecutionSid, sameDerivation } from '../temporal/execution-sids';
import { allOf, keywordIs } from '../temporal/visibility-query';
import { flowExecution, type FlowExecutionInput } from '../../workflows/flow-execution';
import { callStatus, endExecution, executionSnapshot, inboundMessage, messageStatus, voiceTurn } from '../../workflows/messages';
import { ContactAddress, ExecutionSid, FlowRevision, FlowSid, TriggerType } from '../../workflows/search-attributes';
import type { ExecutionRecord } from './execution-record';
import { currentExecution } from './execution-reads';
import { executionWorkflowId } from './execution-workflow-ids';
import type { RecentStarts } from './recent-starts';

export interface ExecutionSettings {
  readonly namespace: string;
  readonly taskQueue: string;
  /** EXECUTION_RETENTION_DAYS: also the longest an execution may stay active. */
  readonly retentionDays: number;
  /** Pinned on each execution when it starts, as its revision is: a changed setting never alters a running one. */
  readonly engineLimits?: EngineLimits;
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
  /**
   * The SID to give it, chosen (and recorded) by the caller before starting: a retried start
   * finds the execution it started by it instead of conflicting (a campaign's contact).
   */
  readonly executionSid?: string;
}

/**
 * What changes executions: starts (REST, inbound message, call), the signals and updates that
 * carry what the contact and Twilio say, and ending or deleting one. The workflow ID is one per
 * flow and contact, so a second start for a busy contact conflicts.
 */
export class ExecutionCommands {
  constructor(
    private readonly client: Client,
    private readonly settings: ExecutionSettings,
    private readonly tombstones: ExecutionTombstones,
    private readonly recent: RecentStarts,
  ) {}

  async start(input: StartExecution): Promise<ExecutionRecord & { readonly repeated?: true }> {
    // With a token the SID is derived from it, so a retry can recognise the execution it started (whenever minted).
    const executionSid = input.executionSid ?? (input.idempotencyToken ? sidForToken(input, input.idempotencyToken) : newExecutionSid());
    const workflowId = executionWorkflowId(input.flowSid, input.trigger.contactAddress);
    try {
      await this.client.workflow.start(flowExecution, { ...this.startOptions(input, executionSid, workflowId), workflowIdConflictPolicy: 'FAIL' });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      const recognisable = input.idempotencyToken !== undefined || input.executionSid !== undefined;
      const running = recognisable ? await currentExecution(this.client, workflowId) : undefined;
      if (running && sameDerivation(running.sid, executionSid) && running.active) return { ...running, repeated: true };
      throw new ExecutionConflict(input.trigger.contactAddress);
    }
    this.recent.remember(executionSid, input.flowSid, workflowId);
    return { sid: executionSid, accountSid: input.accountSid, flowSid: input.flowSid, workflowId, contact: input.trigger.contactAddress, revision: input.revision, active: true, started: new Date(), initiatedBy: input.initiatedBy };
  }

  /**
   * Delivers an inbound message to the execution of `flowSid` for `key` (a contact, or a
   * conversation), starting one with the message as its trigger when none is active.
   * Signal-with-start is atomic: concurrent first messages make one execution.
   */
  async deliver(input: StartExecution, key: string, event: InboundEvent): Promise<void> {
    const executionSid = newExecutionSid();
    const workflowId = executionWorkflowId(input.flowSid, key);
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
    return this.signalWorkflow(executionWorkflowId(flowSid, key), event);
  }

  /**
   * Whether the execution of `flowSid` for `key` has ended having taken `messageSid` (its
   * trigger, or a message its mailbox saw): a process that died before recording a delivery may
   * have made it, and delivering again would start a second execution. A running execution needs
   * no check — its mailbox drops a MessageSid it has seen. Asks a worker (a query replays the
   * closed execution), so it costs a little and is only asked for a taken-over claim.
   */
  async endedHaving(flowSid: string, key: string, messageSid: string): Promise<boolean> {
    const handle = this.client.workflow.getHandle(executionWorkflowId(flowSid, key));
    try {
      if ((await handle.describe()).status.name === 'RUNNING') return false;
      return (await handle.query(executionSnapshot)).mailbox.seen.includes(messageSid);
    } catch (err) {
      ignoreNotFound(err);
      return false;
    }
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
    const { namespace } = this.settings;
    await this.tombstones.add(execution.sid, execution.flowSid, new Date());
    this.recent.forget(execution.sid);
    const handle = this.client.workflow.getHandle(execution.workflowId);
    if (execution.active) await handle.terminate('Deleted through the Executions API').catch(ignoreNotFound);
    // By SID only: the workflow ID holds the contact, which a query may not be able to carry.
    const query = allOf(keywordIs(FlowSid, execution.flowSid), keywordIs(ExecutionSid, execution.sid));
    const runs = await this.client.workflowService.listWorkflowExecutions({ namespace, pageSize: 1000, query });
    const ours = (runs.executions ?? []).filter((r) => r.execution?.workflowId === execution.workflowId);
    const runIds = new Set(ours.map((r) => r.execution?.runId).filter((id): id is string => !!id));
    for (const runId of runIds) {
      await this.client.workflowService.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId: execution.workflowId, runId } }).catch(ignoreNotFound);
    }
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
}

/** The trigger of a REST API execution (`POST /v2/Flows/{FlowSid}/Executions`): `Parameters` become `flow.data`. */
export function restExecutionTrigger(to: string, from: string, parameters: JsonObject): ExecutionTrigger {
  return { event: 'incomingRequest', data: { from, to, parameters }, contactAddress: to, channelAddress: from, flowData: parameters };
}

/** A signal or call to a workflow that no longer runs (gRPC NOT_FOUND) is nothing to report. */
function ignoreNotFound(err: unknown): void {
  if (err instanceof WorkflowNotFoundError || (err as { code?: number }).code === 5) return;
  throw err;
}

/** An execution SID derived from the account, flow, contact and idempotency token (and minted now). */
function sidForToken(input: StartExecution, token: string): string {
  return derivedExecutionSid([input.accountSid, input.flowSid, input.trigger.contactAddress, token]);
}
