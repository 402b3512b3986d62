import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ExecutionState } from '../engine/state';
import type { ExecutionTombstones } from '../store/execution-tombstones';
import { mintedAt } from '../temporal/execution-sids';
import { allOf, keywordIs, statusIs, statusIsNot, timeBefore, timeFrom } from '../temporal/visibility-query';
import type { flowExecution } from '../../workflows/flow-execution';
import { executionSnapshot } from '../../workflows/messages';
import { ExecutionSid, FlowSid } from '../../workflows/search-attributes';
import { recordFromDescription, recordFromVisibility, type ExecutionRecord } from './execution-record';
import type { RecentStarts } from './recent-starts';

export interface ExecutionPage {
  readonly executions: ExecutionRecord[];
  readonly nextPageToken?: string;
}

/** How long after a start visibility may still not list it: a SID minted this recently is waited for. */
const VISIBILITY_GRACE_MS = 1_000;
/** How far apart the clocks of the API processes (which mint SIDs) may be. */
const CLOCK_SKEW_MS = 1_000;

/**
 * What the Executions API reads: lists from Temporal visibility, one execution's identity from
 * visibility and its status from the workflow, its steps and context from the workflow's
 * result or query. Deleted executions (tombstones) are never shown.
 */
export class ExecutionReads {
  constructor(
    private readonly client: Client,
    private readonly namespace: string,
    private readonly tombstones: ExecutionTombstones,
    private readonly recent: RecentStarts,
  ) {}

  /** Executions of a flow, newest first, from Temporal visibility. */
  async list(flowSid: string, filter: { from?: Date; to?: Date; status?: 'active' | 'ended' }, pageSize: number, pageToken?: Uint8Array): Promise<ExecutionPage> {
    const clauses = [keywordIs(FlowSid, flowSid), statusIsNot('ContinuedAsNew')];
    if (filter.from) clauses.push(timeFrom('StartTime', filter.from));
    if (filter.to) clauses.push(timeBefore('StartTime', filter.to));
    if (filter.status === 'active') clauses.push(statusIs('Running'));
    if (filter.status === 'ended') clauses.push(statusIsNot('Running'));
    const response = await this.client.workflowService.listWorkflowExecutions({
      namespace: this.namespace,
      pageSize,
      query: allOf(...clauses),
      ...(pageToken ? { nextPageToken: pageToken } : {}),
    });
    const converter = this.client.workflow.options.loadedDataConverter;
    const decoded = (await Promise.all((response.executions ?? []).map((raw) => recordFromVisibility(raw, converter)))).filter((e): e is ExecutionRecord => e !== undefined);
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
    const workflowId = this.recent.workflowId(flowSid, executionSid) ?? (await this.lookup(flowSid, executionSid));
    if (!workflowId) return undefined;
    const record = await currentExecution(this.client, workflowId);
    return record?.sid === executionSid ? record : undefined;
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

  /**
   * The workflow ID of an execution, from visibility. Visibility may lag behind a start made by
   * another API process, so a SID minted moments ago (see execution-sids) is polled for until
   * visibility must have caught up; any other SID is answered from one query.
   */
  private async lookup(flowSid: string, executionSid: string): Promise<string | undefined> {
    const query = allOf(keywordIs(FlowSid, flowSid), keywordIs(ExecutionSid, executionSid), statusIsNot('ContinuedAsNew'));
    const deadline = visibilityDeadline(executionSid, Date.now());
    for (;;) {
      const response = await this.client.workflowService.listWorkflowExecutions({ namespace: this.namespace, pageSize: 1, query });
      const workflowId = response.executions?.[0]?.execution?.workflowId;
      if (workflowId) return workflowId;
      if (Date.now() >= deadline) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The execution now running (or last run) under a workflow ID, as the workflow describes itself. */
export async function currentExecution(client: Client, workflowId: string): Promise<ExecutionRecord | undefined> {
  try {
    return recordFromDescription(await client.workflow.getHandle(workflowId).describe());
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * Until when (epoch ms) visibility may not yet list an execution with this SID: a little after
 * its mint time. A SID minted in the future (beyond clock skew) is none of ours: no wait.
 */
function visibilityDeadline(executionSid: string, now: number): number {
  const minted = mintedAt(executionSid);
  return minted > now + CLOCK_SKEW_MS ? now : minted + VISIBILITY_GRACE_MS + CLOCK_SKEW_MS;
}
