import type { Client } from '@temporalio/client';
import type { ExecutionTombstones } from '../store/execution-tombstones';
import { ExecutionCommands, type ExecutionSettings } from './execution-commands';
import { ExecutionReads } from './execution-reads';
import { executionWorkflowId, isExecutionOfFlow } from './execution-workflow-ids';
import { RecentStarts } from './recent-starts';

export { ExecutionCommands, ExecutionConflict, restExecutionTrigger, type ExecutionSettings, type StartExecution } from './execution-commands';
export { DEFAULT_EXECUTION_LIMITS, type ExecutionLimits } from '../limits/execution';
export type { ExecutionRecord } from './execution-record';
export { ExecutionReads, type ExecutionPage } from './execution-reads';

/**
 * Executions as Temporal workflows: `commands` start, signal, end and delete them; `reads` list
 * and fetch them from visibility and the workflows. The two share what this process started
 * lately, so a fetch right after a create needs no visibility.
 */
export class ExecutionService {
  readonly commands: ExecutionCommands;
  readonly reads: ExecutionReads;

  constructor(client: Client, settings: ExecutionSettings, tombstones: ExecutionTombstones) {
    const recent = new RecentStarts();
    this.commands = new ExecutionCommands(client, settings, tombstones, recent);
    this.reads = new ExecutionReads(client, settings.namespace, tombstones, recent);
  }

  static workflowId(flowSid: string, contact: string): string {
    return executionWorkflowId(flowSid, contact);
  }

  static isOfFlow(workflowId: string | undefined, flowSid: string): workflowId is string {
    return isExecutionOfFlow(workflowId, flowSid);
  }
}
