import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { FlowDefinition } from '../flow/definition';
import type { JsonObject } from '../engine/json';
import type { Campaigns, CampaignContactRow } from '../store/campaigns';
import type { ExecutionTombstones } from '../store/execution-tombstones';
import type { FlowStore } from '../store/flow-store';
import type { CampaignStatus } from '../store/schema';
import { newExecutionSid } from '../temporal/execution-sids';
import { allOf, keywordIs } from '../temporal/visibility-query';
import type { CampaignActivities, CampaignBatchResult } from '../../workflows/campaign';
import { ExecutionSid } from '../../workflows/search-attributes';
import { ExecutionCommands, ExecutionConflict, restExecutionTrigger, type ExecutionSettings } from './execution-commands';
import { currentExecution } from './execution-reads';
import { executionWorkflowId } from './execution-workflow-ids';
import { RecentStarts } from './recent-starts';

/** What a campaign's activities need on the worker: its store, the flows, and how executions are started. */
export interface CampaignActivityDependencies {
  readonly campaigns: Campaigns;
  readonly store: FlowStore;
  readonly settings: ExecutionSettings;
  readonly tombstones: ExecutionTombstones;
}

/** The campaign workflow's activities, run by every worker given the campaigns store. */
export function createCampaignActivities(deps: CampaignActivityDependencies): CampaignActivities {
  return {
    startCampaignBatch: (campaignSid, limit) => startCampaignBatch(deps, campaignSid, limit),
    setCampaignStatus: (campaignSid: string, status: CampaignStatus) => deps.campaigns.setStatus(campaignSid, status, Date.now()),
  };
}

/**
 * Starts the next `limit` contacts of a campaign, in list order. Each contact's execution SID is
 * chosen and recorded (`starting`) before its start, so that a batch retried after a crash finds
 * the executions it had started — running or already ended — by their SIDs instead of starting
 * them again: one execution per contact, however often this runs.
 */
async function startCampaignBatch(deps: CampaignActivityDependencies, campaignSid: string, limit: number): Promise<CampaignBatchResult> {
  const campaign = await deps.campaigns.bySid(campaignSid);
  if (!campaign) throw new Error(`Campaign ${campaignSid} is not in the store`);
  const revision = await deps.store.getRevision(campaign.flow_sid, campaign.revision);
  const rows = await deps.campaigns.claimNext(campaignSid, limit, Date.now(), newExecutionSid);
  const context = Context.current();
  const commands = new ExecutionCommands(context.client, deps.settings, deps.tombstones, new RecentStarts());
  const result = { claimed: rows.length, started: 0, skipped: 0, failed: 0 };
  for (let i = 0; i < rows.length; i += STARTS_AT_ONCE) {
    // A cancelled campaign stops between two groups of starts, not after the batch.
    context.heartbeat(rows[i]!.position);
    if (context.cancellationSignal.aborted) break;
    await Promise.all(
      rows.slice(i, i + STARTS_AT_ONCE).map(async (row) => {
        const outcome = revision ? await startOne(commands, context.client, campaign.account_sid, campaign.flow_sid, campaign.revision, revision.definition as FlowDefinition, campaign.from_address, campaignSid, row) : { status: 'failed' as const, reason: `revision ${campaign.revision} cannot be read` };
        await deps.campaigns.settle(campaignSid, row.position, outcome.status, outcome, Date.now());
        result[outcome.status]++;
      }),
    );
  }
  return result;
}

/** Starts in flight at once within a batch: one Temporal round trip each, so a batch of 50 fits in its second. */
const STARTS_AT_ONCE = 10;

type Outcome = { status: 'started'; executionSid: string } | { status: 'skipped' | 'failed'; reason: string };

async function startOne(commands: ExecutionCommands, client: Client, accountSid: string, flowSid: string, revision: number, definition: FlowDefinition, from: string, campaignSid: string, row: CampaignContactRow): Promise<Outcome> {
  const executionSid = row.execution_sid!;
  // Left `starting` by a batch that stopped: it may have started (and even ended) already.
  if (row.status === 'starting' && (await startedBefore(client, flowSid, row.contact, executionSid))) return { status: 'started', executionSid };
  try {
    const data = JSON.parse(row.data) as JsonObject;
    await commands.start({ accountSid, flowSid, revision, definition, trigger: restExecutionTrigger(row.contact, from, data), initiatedBy: campaignSid, executionSid });
    return { status: 'started', executionSid };
  } catch (err) {
    // Studio's 409 rule: a contact with an active execution of the flow is not started again.
    if (err instanceof ExecutionConflict) return { status: 'skipped', reason: 'busy' };
    return { status: 'failed', reason: (err as Error).message };
  }
}

/** Whether the execution with this SID exists: the contact's latest run, or any run visibility lists. */
export async function startedBefore(client: Client, flowSid: string, contact: string, executionSid: string): Promise<boolean> {
  const latest = await currentExecution(client, executionWorkflowId(flowSid, contact));
  if (latest?.sid === executionSid) return true;
  const listed = client.workflow.list({ query: allOf(keywordIs(ExecutionSid, executionSid)), pageSize: 1 });
  for await (const _ of listed) return true;
  return false;
}
