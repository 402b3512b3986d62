import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { parseQuietHours, isTimeZone, type QuietHours } from '../campaigns/quiet-hours';
import { isChannelAddress } from '../channels/addresses';
import type { CampaignLimits } from '../limits/campaigns';
import { newSid } from '../sids';
import type { CampaignRecord, Campaigns } from '../store/campaigns';
import type { CampaignsTable } from '../store/schema';
import type { FlowStore } from '../store/flow-store';
import { campaignWorkflow, cancelCampaign, pauseCampaign, resumeCampaign } from '../../workflows/campaign';
import { contactsFromCsv, contactsFromJson, type CampaignContact } from './campaign-contacts';

/** A campaign the flow cannot have; `parameter` names the input at fault. */
export class CampaignRejected extends Error {
  constructor(
    message: string,
    readonly parameter?: string,
    readonly reason: 'invalid' | 'not-found' | 'conflict' = 'invalid',
  ) {
    super(message);
    this.name = 'CampaignRejected';
  }
}

export interface NewCampaign {
  readonly from: string;
  readonly rate: number;
  /** `Contacts` (JSON) or `Csv`: exactly one. */
  readonly contacts?: string;
  readonly csv?: string;
  readonly quietHours?: string;
  readonly timeZone?: string;
}

/** The campaign workflow's ID: one per campaign, so a repeated start is refused by Temporal. */
export const campaignWorkflowId = (sid: string) => `campaign:${sid}`;

/**
 * Starts the workflow of a stored campaign; a start repeated (a retried schedule run) finds it
 * started and leaves it: the workflow ID is the campaign's.
 */
export async function startCampaignWorkflow(client: Client, taskQueue: string, campaign: CampaignsTable & { readonly total: number }): Promise<void> {
  const quietHours = campaign.quiet_hours ? parseQuietHours(campaign.quiet_hours) : undefined;
  try {
    await client.workflow.start(campaignWorkflow, {
      args: [{ campaignSid: campaign.sid, rate: campaign.rate, timeZone: campaign.time_zone, ...(quietHours ? { quietHours } : {}) }],
      taskQueue,
      workflowId: campaignWorkflowId(campaign.sid),
      staticSummary: `Campaign ${campaign.sid} of ${campaign.flow_sid}: ${campaign.total} contacts at ${campaign.rate}/s`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/**
 * Campaigns over contact lists: the list is checked and stored, then a campaign workflow starts
 * one execution per contact at the campaign's rate (see workflows/campaign.ts). Pause, resume
 * and cancel are signals to it; the counts come from the store.
 */
export class CampaignService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly store: FlowStore,
    private readonly campaigns: Campaigns,
    private readonly limits: CampaignLimits,
  ) {}

  /** The list as the campaign would read it, and its first rows, without starting anything. */
  preview(input: Pick<NewCampaign, 'contacts' | 'csv'>, rows: number): { total: number; skipped: Record<string, number>; first: CampaignContact[] } {
    const contacts = this.list(input);
    const skipped: Record<string, number> = {};
    for (const c of contacts) if (c.skip) skipped[c.skip] = (skipped[c.skip] ?? 0) + 1;
    return { total: contacts.length, skipped, first: contacts.slice(0, rows) };
  }

  async create(accountSid: string, flowSid: string, input: NewCampaign, createdBy: string): Promise<CampaignRecord> {
    const { contacts, timeZone } = this.checked(input);
    const published = await this.store.getRevision(flowSid, 'LatestPublished');
    if (!published) throw new CampaignRejected(`Flow ${flowSid} has no published revision to run`, undefined, 'conflict');
    const sid = newSid('CM');
    await this.campaigns.create(
      { sid, account_sid: accountSid, flow_sid: flowSid, revision: published.revision, from_address: input.from, rate: input.rate, quiet_hours: input.quietHours?.trim() ?? null, time_zone: timeZone, created_by: createdBy, date_created: Date.now() },
      contacts,
    );
    const record = (await this.campaigns.get(accountSid, flowSid, sid))!;
    await startCampaignWorkflow(this.client, this.taskQueue, record);
    return record;
  }

  /** Everything a campaign is refused for before it is stored, in the order a user fixes them. */
  private checked(input: NewCampaign): { contacts: CampaignContact[]; timeZone: string; quietHours: QuietHours | undefined } {
    if (!isChannelAddress(input.from)) throw new CampaignRejected(`Invalid 'From' address ${JSON.stringify(input.from)}`, 'From');
    if (input.rate < 1 || input.rate > this.limits.maxRate) throw new CampaignRejected(`Rate must be from 1 to ${this.limits.maxRate} executions per second (LIMIT_CAMPAIGN_MAX_RATE)`, 'Rate');
    const timeZone = input.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone)) throw new CampaignRejected(`Unknown TimeZone ${JSON.stringify(timeZone)}: expected an IANA name such as America/New_York`, 'TimeZone');
    const quietHours = input.quietHours ? parseQuietHours(input.quietHours) : undefined;
    if (input.quietHours && !quietHours) throw new CampaignRejected(`QuietHours must be HH:MM-HH:MM (24-hour, local to TimeZone), not ${JSON.stringify(input.quietHours)}`, 'QuietHours');
    return { contacts: this.list(input), timeZone, quietHours };
  }

  private list(input: Pick<NewCampaign, 'contacts' | 'csv'>): CampaignContact[] {
    if ((input.contacts === undefined) === (input.csv === undefined)) throw new CampaignRejected('Give the list as Contacts (JSON) or as a CSV upload, one of them', 'Contacts');
    return input.contacts !== undefined ? contactsFromJson(input.contacts, this.limits.maxContacts) : contactsFromCsv(input.csv!, this.limits.maxContacts);
  }

  /** Pauses, resumes or cancels it; an ended campaign takes nothing. */
  async update(record: CampaignRecord, status: 'paused' | 'running' | 'cancelled'): Promise<void> {
    if (record.status === 'completed' || record.status === 'cancelled') throw new CampaignRejected(`Campaign ${record.sid} is ${record.status}`, 'Status', 'conflict');
    const handle = this.client.workflow.getHandle(campaignWorkflowId(record.sid));
    const signal = status === 'paused' ? pauseCampaign : status === 'running' ? resumeCampaign : cancelCampaign;
    try {
      await handle.signal(signal);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw new CampaignRejected(`Campaign ${record.sid} is no longer running`, 'Status', 'conflict');
      throw err;
    }
  }
}
