/** Executions this process started, found without visibility while it catches up. */
const RECENT_STARTS = 10_000;

/**
 * The workflow IDs of the executions this process started lately, by SID: a fetch right after a
 * create must not wait for visibility to list the new execution. Oldest forgotten first.
 */
export class RecentStarts {
  private readonly recent = new Map<string, { flowSid: string; workflowId: string }>();

  remember(executionSid: string, flowSid: string, workflowId: string): void {
    if (this.recent.size >= RECENT_STARTS) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(executionSid, { flowSid, workflowId });
  }

  forget(executionSid: string): void {
    this.recent.delete(executionSid);
  }

  /** The workflow ID of an execution of `flowSid` started here, if it was. */
  workflowId(flowSid: string, executionSid: string): string | undefined {
    const known = this.recent.get(executionSid);
    return known?.flowSid === flowSid ? known.workflowId : undefined;
  }
}
