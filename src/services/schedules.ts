import { isGrpcServiceError, ScheduleNotFoundError, type Client, type ScheduleDescription, type ScheduleOptions } from '@temporalio/client';
import { isTimeZone, parseQuietHours } from '../campaigns/quiet-hours';
import { isChannelAddress, isContactAddress } from '../channels/addresses';
import type { JsonObject } from '../engine/json';
import type { CampaignLimits } from '../limits/campaigns';
import type { ScheduleLimits } from '../limits/schedules';
import { newSid } from '../sids';
import type { NewCampaignContact } from '../store/campaigns';
import type { ContactLists } from '../store/contact-lists';
import type { FlowStore } from '../store/flow-store';
import type { ScheduleRecord, Schedules } from '../store/schedules';
import { scheduledRun } from '../../workflows/schedule';
import { contactsFromCsv, contactsFromJson } from './campaign-contacts';

/** A schedule the flow cannot have; `parameter` names the input at fault. */
export class ScheduleRejected extends Error {
  constructor(
    message: string,
    readonly parameter?: string,
    readonly reason: 'invalid' | 'conflict' = 'invalid',
  ) {
    super(message);
    this.name = 'ScheduleRejected';
  }
}

export interface NewSchedule {
  readonly friendlyName?: string;
  /** Exactly one of `cron` (5 fields) and `interval` (seconds). */
  readonly cron?: string;
  readonly interval?: number;
  readonly timeZone?: string;
  readonly catchupWindow?: number;
  readonly from: string;
  /** One execution per run to `to`, with `parameters` as flow.data ... */
  readonly to?: string;
  readonly parameters?: string;
  /** ... or a campaign per run over a list: given here (JSON or CSV) or saved (`contactList`). */
  readonly contacts?: string;
  readonly csv?: string;
  readonly contactList?: string;
  readonly rate?: number;
  readonly quietHours?: string;
}

/** A schedule's state in Temporal: whether it runs, when next, what an outage cost. */
export interface ScheduleState {
  readonly paused: boolean;
  readonly nextRuns: readonly Date[];
  /** Runs not taken: missed beyond the catch-up window, or skipped while an earlier one still ran. */
  readonly missed: number;
}

/**
 * What a schedule does after an outage: a run missed while the system was down is made up when it
 * is back if it was due no longer ago than the catch-up window (one hour unless `CatchupWindow`
 * says otherwise); only the first such run is made up — later ones are skipped, as a run never
 * starts while the one before it is still starting (Temporal's SKIP overlap policy) — and runs
 * older than the window are dropped. Both are counted in `runs_missed`.
 */
export const DEFAULT_CATCHUP_WINDOW_SECONDS = 3_600;

/** The Temporal Schedule's ID: one per schedule. */
export const temporalScheduleId = (sid: string) => `schedule:${sid}`;
/** Deletes a schedule's Temporal Schedule; one already gone is fine (a repeated delete). */
export async function deleteTemporalSchedule(client: Client, sid: string): Promise<void> {
  try {
    await client.schedule.getHandle(temporalScheduleId(sid)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}

/** Temporal appends each due run's time to it; a run now gets `-now-` and an ID of its own. */
const runWorkflowId = (sid: string) => `schedule-run:${sid}`;

/**
 * Schedules: a Temporal Schedule per schedule starts a `scheduledRun` workflow at each due time
 * (workflows/schedule.ts), which starts one execution or one campaign. What a run starts is
 * stored here; when it runs, and whether it is paused, is the Temporal Schedule's.
 */
export class ScheduleService {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    private readonly store: FlowStore,
    private readonly schedules: Schedules,
    private readonly lists: ContactLists,
    private readonly limits: { readonly schedules: ScheduleLimits; readonly campaigns: CampaignLimits },
  ) {}

  async create(accountSid: string, flowSid: string, input: NewSchedule, createdBy: string): Promise<ScheduleRecord> {
    const checked = await this.checked(accountSid, input);
    if (!(await this.store.getRevision(flowSid, 'LatestPublished'))) throw new ScheduleRejected(`Flow ${flowSid} has no published revision to run`, undefined, 'conflict');
    if ((await this.schedules.list(accountSid, flowSid, this.limits.schedules.maxPerFlow)).length >= this.limits.schedules.maxPerFlow) {
      throw new ScheduleRejected(`Flow ${flowSid} has ${this.limits.schedules.maxPerFlow} schedules already (LIMIT_SCHEDULE_MAX_PER_FLOW)`, undefined, 'conflict');
    }
    const sid = newSid('SC');
    const at = Date.now();
    let listSid = input.contactList ?? null;
    if (checked.rows) {
      listSid = newSid('CL');
      await this.lists.create({ sid: listSid, account_sid: accountSid, friendly_name: `the list of schedule ${sid}`, schedule_sid: sid, date_created: at }, checked.rows);
    }
    const record: ScheduleRecord = {
      sid,
      account_sid: accountSid,
      flow_sid: flowSid,
      friendly_name: input.friendlyName?.trim() || (input.cron ? `cron ${input.cron}` : `every ${input.interval} s`),
      cron: input.cron?.trim() ?? null,
      interval_seconds: input.interval ?? null,
      time_zone: checked.timeZone,
      catchup_window_seconds: input.catchupWindow ?? DEFAULT_CATCHUP_WINDOW_SECONDS,
      from_address: input.from,
      to_address: input.to?.trim() ?? null,
      parameters: checked.parameters ? JSON.stringify(checked.parameters) : null,
      contact_list_sid: listSid,
      rate: listSid ? input.rate! : null,
      quiet_hours: listSid ? (input.quietHours?.trim() ?? null) : null,
      created_by: createdBy,
      date_created: at,
      date_updated: at,
    };
    await this.schedules.create(record);
    try {
      await this.client.schedule.create(this.temporalSchedule(record));
    } catch (err) {
      // Temporal refused it (a cron expression it cannot read): nothing of it stays.
      await this.schedules.delete(sid);
      const invalid = invalidArgument(err);
      if (invalid) throw new ScheduleRejected(`Temporal cannot read the schedule: ${invalid}`, record.cron ? 'Cron' : 'Interval');
      throw err;
    }
    return record;
  }

  /** Its state in Temporal; a schedule whose Temporal Schedule is missing (a crash while creating it) gets it again. */
  async state(record: ScheduleRecord): Promise<ScheduleState> {
    const handle = this.client.schedule.getHandle(temporalScheduleId(record.sid));
    let described: ScheduleDescription;
    try {
      described = await handle.describe();
    } catch (err) {
      if (!(err instanceof ScheduleNotFoundError)) throw err;
      await this.client.schedule.create(this.temporalSchedule(record));
      described = await handle.describe();
    }
    return { paused: described.state.paused, nextRuns: described.info.nextActionTimes.slice(0, 5), missed: described.info.numActionsMissedCatchupWindow + described.info.numActionsSkippedOverlap };
  }

  async setPaused(record: ScheduleRecord, paused: boolean, by: string): Promise<void> {
    await this.state(record);
    const handle = this.client.schedule.getHandle(temporalScheduleId(record.sid));
    await (paused ? handle.pause(`paused by ${by}`) : handle.unpause(`resumed by ${by}`));
  }

  /**
   * A run now, besides the due ones (it does not wait for one in progress). Started here rather
   * than by the Temporal Schedule's trigger: Temporal names a triggered run by the second it was
   * asked, so a second "run now" in that second, or a due run then, would share the first's
   * workflow ID and be dropped without a word while the first is still open.
   */
  async trigger(record: ScheduleRecord): Promise<void> {
    await this.state(record);
    await this.client.workflow.start(scheduledRun, {
      taskQueue: this.taskQueue,
      workflowId: `${runWorkflowId(record.sid)}-now-${newSid('')}`,
      args: [{ scheduleSid: record.sid }],
      staticSummary: `Run now of schedule ${record.sid} (${record.friendly_name}) of ${record.flow_sid}`,
    });
  }

  async delete(record: ScheduleRecord): Promise<void> {
    await deleteTemporalSchedule(this.client, record.sid);
    await this.schedules.delete(record.sid);
  }

  private temporalSchedule(record: ScheduleRecord): ScheduleOptions {
    return {
      scheduleId: temporalScheduleId(record.sid),
      spec: {
        ...(record.cron ? { cronExpressions: [record.cron] } : { intervals: [{ every: `${record.interval_seconds}s` }] }),
        timezone: record.time_zone,
      },
      action: { type: 'startWorkflow', workflowType: scheduledRun, args: [{ scheduleSid: record.sid }], taskQueue: this.taskQueue, workflowId: runWorkflowId(record.sid), staticSummary: `Run of schedule ${record.sid} (${record.friendly_name}) of ${record.flow_sid}` },
      policies: { overlap: 'SKIP', catchupWindow: `${record.catchup_window_seconds}s` },
      memo: { flowSid: record.flow_sid, friendlyName: record.friendly_name },
    };
  }

  /** Everything a schedule is refused for before anything is stored, in the order a user fixes them. */
  private async checked(accountSid: string, input: NewSchedule): Promise<{ timeZone: string; parameters?: JsonObject; rows?: NewCampaignContact[] }> {
    const { schedules: limits, campaigns } = this.limits;
    if ((input.cron === undefined) === (input.interval === undefined)) throw new ScheduleRejected('Give when it runs as Cron (a 5-field cron expression) or as Interval (seconds), one of them', 'Cron');
    if (input.cron !== undefined && input.cron.trim().split(/\s+/).length !== 5) throw new ScheduleRejected(`Cron must have 5 fields (minute hour day-of-month month day-of-week), not ${JSON.stringify(input.cron)}`, 'Cron');
    if (input.interval !== undefined && !(Number.isInteger(input.interval) && input.interval >= limits.minIntervalSeconds)) throw new ScheduleRejected(`Interval must be a whole number of seconds, at least ${limits.minIntervalSeconds} (LIMIT_SCHEDULE_MIN_INTERVAL_SECONDS)`, 'Interval');
    const timeZone = input.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone)) throw new ScheduleRejected(`Unknown TimeZone ${JSON.stringify(timeZone)}: expected an IANA name such as America/New_York`, 'TimeZone');
    const window = input.catchupWindow;
    if (window !== undefined && !(Number.isInteger(window) && window >= 10 && window <= limits.maxCatchupWindowSeconds)) throw new ScheduleRejected(`CatchupWindow must be from 10 to ${limits.maxCatchupWindowSeconds} seconds (LIMIT_SCHEDULE_MAX_CATCHUP_WINDOW_SECONDS)`, 'CatchupWindow');
    if (!isChannelAddress(input.from)) throw new ScheduleRejected(`Invalid 'From' address ${JSON.stringify(input.from)}`, 'From');
    const lists = [input.contacts, input.csv, input.contactList].filter((x) => x !== undefined).length;
    if ((input.to === undefined) === (lists === 0) || lists > 1) throw new ScheduleRejected('Give what each run starts: To (one execution), or one list for a campaign: Contacts (JSON), a CSV, or ContactList (a saved list)', 'To');
    if (input.to !== undefined) return { timeZone, ...this.single(input) };
    if (input.rate === undefined || input.rate < 1 || input.rate > campaigns.maxRate) throw new ScheduleRejected(`Rate must be from 1 to ${campaigns.maxRate} executions per second (LIMIT_CAMPAIGN_MAX_RATE)`, 'Rate');
    if (input.quietHours && !parseQuietHours(input.quietHours)) throw new ScheduleRejected(`QuietHours must be HH:MM-HH:MM (24-hour, local to TimeZone), not ${JSON.stringify(input.quietHours)}`, 'QuietHours');
    if (input.contactList !== undefined) {
      if (!(await this.lists.get(accountSid, input.contactList))) throw new ScheduleRejected(`Contact list ${input.contactList} was not found`, 'ContactList');
      return { timeZone };
    }
    return { timeZone, rows: input.contacts !== undefined ? contactsFromJson(input.contacts, campaigns.maxContacts) : contactsFromCsv(input.csv!, campaigns.maxContacts) };
  }

  private single(input: NewSchedule): { parameters?: JsonObject } {
    if (!isContactAddress(input.to!.trim())) throw new ScheduleRejected(`Invalid 'To' address ${JSON.stringify(input.to)}`, 'To');
    if (input.parameters === undefined) return {};
    let parameters: unknown;
    try {
      parameters = JSON.parse(input.parameters);
    } catch {
      throw new ScheduleRejected('Parameters must be a JSON object (flow.data of each execution)', 'Parameters');
    }
    if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) throw new ScheduleRejected('Parameters must be a JSON object (flow.data of each execution)', 'Parameters');
    return { parameters: parameters as JsonObject };
  }
}

/** gRPC's INVALID_ARGUMENT. */
const INVALID_ARGUMENT = 3;

/**
 * The server's words when it refused a request as invalid (a cron field out of range): the SDK
 * turns its "Invalid schedule spec" into a TypeError; any other refusal stays a gRPC error.
 */
function invalidArgument(err: unknown): string | undefined {
  if (err instanceof TypeError) return err.message;
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (isGrpcServiceError(e) && Number(e.code) === INVALID_ARGUMENT) return e.details || e.message;
  }
  return undefined;
}
