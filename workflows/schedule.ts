import { defineSearchAttributeKey } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { ScheduleRunOutcome } from '../src/campaigns/status';

/** What one run of a schedule started, or why it started nothing. */
export interface ScheduleRunResult {
  readonly outcome: Exclude<ScheduleRunOutcome, 'starting'>;
  readonly campaignSid?: string;
  readonly executionSid?: string;
  readonly reason?: string;
}

/**
 * The activity a schedule's run needs (src/services/schedule-activities.ts implements it),
 * declared here: it starts executions and campaigns, which the workflow bundle must not import.
 */
export interface ScheduleActivities {
  /** `runKey` names the run for good: a retry of it resumes what it began. */
  runSchedule(scheduleSid: string, runKey: string, scheduledAt: number): Promise<ScheduleRunResult>;
}

/** Set by Temporal on every workflow a Schedule starts: the time the run was due (not when it began). */
const ScheduledStartTime = defineSearchAttributeKey('TemporalScheduledStartTime', 'DATETIME');

// A run starts one execution, or stores a campaign and starts its workflow: seconds at most.
const { runSchedule } = proxyActivities<ScheduleActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/**
 * One run of a schedule, started by its Temporal Schedule (`schedule:{Sid}`). Its workflow run
 * names it for good: the key that makes a retried activity resume instead of starting a second
 * execution or campaign.
 */
export async function scheduledRun(input: { readonly scheduleSid: string }): Promise<ScheduleRunResult> {
  const info = workflowInfo();
  const due = info.typedSearchAttributes.get(ScheduledStartTime) ?? info.runStartTime;
  // The run ID too: two runs triggered in one second share a workflow ID (Temporal's is to the second).
  return runSchedule(input.scheduleSid, `${info.workflowId}/${info.runId}`, due.getTime());
}
