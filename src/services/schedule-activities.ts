import { Context } from '@temporalio/activity';
import type { FlowDefinition } from '../flow/definition';
import type { JsonObject } from '../engine/json';
import { newSid } from '../sids';
import type { Campaigns } from '../store/campaigns';
import type { ExecutionTombstones } from '../store/execution-tombstones';
import type { FlowStore } from '../store/flow-store';
import type { ScheduleRecord, Schedules } from '../store/schedules';
import { newExecutionSid } from '../temporal/execution-sids';
import type { ScheduleActivities, ScheduleRunResult } from '../../workflows/schedule';
import { startedBefore } from './campaign-activities';
import { startCampaignWorkflow } from './campaigns';
import { deleteTemporalSchedule } from './schedules';
import { ExecutionCommands, ExecutionConflict, restExecutionTrigger, type ExecutionSettings } from './execution-commands';
import { RecentStarts } from './recent-starts';

/** What a schedule's runs need on the worker. */
export interface ScheduleActivityDependencies {
  readonly schedules: Schedules;
  readonly campaigns: Campaigns;
  readonly store: FlowStore;
  readonly settings: ExecutionSettings;
  readonly tombstones: ExecutionTombstones;
}

export function createScheduleActivities(deps: ScheduleActivityDependencies): ScheduleActivities {
  return { runSchedule: (scheduleSid, runKey, scheduledAt) => runSchedule(deps, scheduleSid, runKey, scheduledAt) };
}

/**
 * One run: the execution or campaign it will start is named and recorded (`starting`) first, so
 * a retry after a crash finds what it named — started already or not — and never starts a second.
 * Every run starts the revision published at its time.
 */
async function runSchedule(deps: ScheduleActivityDependencies, scheduleSid: string, runKey: string, scheduledAt: number): Promise<ScheduleRunResult> {
  const schedule = await deps.schedules.bySid(scheduleSid);
  // Deleted between Temporal's start of the run and now: nothing to run, nowhere to record it.
  if (!schedule) return { outcome: 'skipped', reason: 'the schedule was deleted' };
  // Its flow deleted: the schedule goes too, rather than fail every run from now on.
  if (!(await deps.store.get(schedule.account_sid, schedule.flow_sid))) {
    await deleteTemporalSchedule(Context.current().client, scheduleSid);
    await deps.schedules.delete(scheduleSid);
    return { outcome: 'skipped', reason: `flow ${schedule.flow_sid} was deleted: so is the schedule` };
  }
  const isCampaign = schedule.contact_list_sid !== null;
  const { run, resumed } = await deps.schedules.beginRun({
    schedule_sid: scheduleSid,
    run_key: runKey,
    scheduled_at: scheduledAt,
    started_at: Date.now(),
    campaign_sid: isCampaign ? newSid('CM') : null,
    execution_sid: isCampaign ? null : newExecutionSid(),
  });
  if (run.outcome !== 'starting') return { outcome: run.outcome, ...(run.campaign_sid ? { campaignSid: run.campaign_sid } : {}), ...(run.execution_sid ? { executionSid: run.execution_sid } : {}), ...(run.reason ? { reason: run.reason } : {}) };
  const result = isCampaign ? await startCampaign(deps, schedule, run.campaign_sid!) : await startExecution(deps, schedule, run.execution_sid!, resumed);
  await deps.schedules.settleRun(scheduleSid, runKey, result.outcome, result.reason ?? null);
  return result;
}

async function startCampaign(deps: ScheduleActivityDependencies, schedule: ScheduleRecord, campaignSid: string): Promise<ScheduleRunResult> {
  const revision = await deps.store.getRevision(schedule.flow_sid, 'LatestPublished');
  if (!revision) return { outcome: 'failed', campaignSid, reason: `flow ${schedule.flow_sid} has no published revision` };
  const campaign = { sid: campaignSid, account_sid: schedule.account_sid, flow_sid: schedule.flow_sid, revision: revision.revision, from_address: schedule.from_address, rate: schedule.rate!, quiet_hours: schedule.quiet_hours, time_zone: schedule.time_zone, created_by: schedule.sid, date_created: Date.now() };
  if (!(await deps.campaigns.createFromList(campaign, schedule.contact_list_sid!))) return { outcome: 'failed', campaignSid, reason: `contact list ${schedule.contact_list_sid} was deleted` };
  const stored = (await deps.campaigns.bySid(campaignSid))!;
  await startCampaignWorkflow(Context.current().client, deps.settings.taskQueue, stored);
  return { outcome: 'started', campaignSid };
}

async function startExecution(deps: ScheduleActivityDependencies, schedule: ScheduleRecord, executionSid: string, resumed: boolean): Promise<ScheduleRunResult> {
  const client = Context.current().client;
  const to = schedule.to_address!;
  // A retried run: the execution it named may have started (and even ended) already.
  if (resumed && (await startedBefore(client, schedule.flow_sid, to, executionSid))) return { outcome: 'started', executionSid };
  const revision = await deps.store.getRevision(schedule.flow_sid, 'LatestPublished');
  if (!revision) return { outcome: 'failed', reason: `flow ${schedule.flow_sid} has no published revision` };
  const commands = new ExecutionCommands(client, deps.settings, deps.tombstones, new RecentStarts());
  const data = (schedule.parameters ? JSON.parse(schedule.parameters) : {}) as JsonObject;
  try {
    await commands.start({ accountSid: schedule.account_sid, flowSid: schedule.flow_sid, revision: revision.revision, definition: revision.definition as FlowDefinition, trigger: restExecutionTrigger(to, schedule.from_address, data), initiatedBy: schedule.sid, executionSid });
    return { outcome: 'started', executionSid };
  } catch (err) {
    // Studio's 409 rule: a contact with an active execution of the flow is not started again.
    if (err instanceof ExecutionConflict) return { outcome: 'skipped', reason: 'busy: the contact has an active execution of the flow' };
    throw err;
  }
}
