import type { FlowDefinition } from '../../../src/flow/definition';
import type { ApiClient } from '../api/client';
import { flowPath, type ExecutionResource, type FlowResource, type RevisionResource, type StepResource } from '../api/resources';
import type { ExecutionPath } from '../editor/context';
import { executionPath } from './path';

/** The Executions API calls shared by the Executions and Simulator panels. */

export const executionsPath = (flowSid: string) => `${flowPath(flowSid)}/Executions`;
export const executionPathOf = (flowSid: string, sid: string) => `${executionsPath(flowSid)}/${sid}`;

export function fetchSteps(api: ApiClient, flowSid: string, sid: string): Promise<StepResource[]> {
  return api.list<StepResource>(`${executionPathOf(flowSid, sid)}/Steps`, 'steps', {}, 100_000);
}

export function endExecution(api: ApiClient, flowSid: string, sid: string): Promise<ExecutionResource> {
  return api.post<ExecutionResource>(executionPathOf(flowSid, sid), { Status: 'ended' });
}

/** Newest first by date_created (the server lists newest first too; this keeps it so after merging). */
export function newestFirst(executions: readonly ExecutionResource[]): ExecutionResource[] {
  return [...executions].sort((a, b) => Date.parse(b.date_created) - Date.parse(a.date_created));
}

// Revisions never change once written, so each is fetched once per page load.
const revisions = new Map<string, Promise<FlowDefinition | undefined>>();

function revisionDefinition(api: ApiClient, flowSid: string, version: number): Promise<FlowDefinition | undefined> {
  const key = `${flowSid}/${version}`;
  let found = revisions.get(key);
  if (!found) {
    found = api.get<RevisionResource>(`${flowPath(flowSid)}/Revisions/${version}`).then((r) => r.definition ?? undefined);
    // A failed fetch is not remembered: the next poll tries again.
    void found.catch(() => revisions.delete(key));
    revisions.set(key, found);
  }
  return found;
}

/**
 * The path of an execution, over the revision it ran: the canvas definition when that is the
 * saved revision, else the execution's own revision (which the canvas then shows read-only).
 */
export async function pathOfExecution(api: ApiClient, flow: FlowResource, canvas: FlowDefinition, execution: ExecutionResource, steps: readonly StepResource[]): Promise<ExecutionPath> {
  const other = execution.flow_version !== flow.revision ? await revisionDefinition(api, flow.sid, execution.flow_version) : undefined;
  const title = `execution ${execution.sid} (${execution.contact_channel_address}, ${execution.status})`;
  const path = executionPath(steps, other ?? canvas, title);
  return other ? { ...path, definition: other } : path;
}
