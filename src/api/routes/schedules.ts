import { z } from 'zod';
import { ContactListRejected } from '../../services/campaign-contacts';
import { ScheduleRejected, type NewSchedule, type ScheduleService, type ScheduleState } from '../../services/schedules';
import type { CampaignLimits } from '../../limits/campaigns';
import type { ContactLists } from '../../store/contact-lists';
import type { ScheduleRecord, Schedules } from '../../store/schedules';
import { ApiError } from '../errors';
import { pageParams } from '../paging';
import { flowUrl } from '../resources/flows';
import { route, type RouteSpec } from '../route';
import { requireFlow, type FlowRouteDeps } from './flows';

export interface ScheduleRouteDeps extends FlowRouteDeps {
  readonly schedules: ScheduleService;
  readonly records: Schedules;
  readonly lists: ContactLists;
  readonly campaignLimits: CampaignLimits;
}

const SCHEDULE_SID = /^SC[0-9a-f]{32}$/;

const scheduleSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  flow_sid: z.string(),
  friendly_name: z.string(),
  cron: z.string().nullable(),
  interval: z.number().nullable().describe('seconds between runs'),
  time_zone: z.string(),
  catchup_window: z.number().describe('seconds: a run missed during an outage is made up if due no longer ago than this (the first one only)'),
  target: z.enum(['execution', 'campaign']),
  from: z.string(),
  to: z.string().nullable(),
  parameters: z.record(z.string(), z.unknown()).nullable().describe('flow.data of the single execution'),
  contact_list_sid: z.string().nullable(),
  contacts_total: z.number().nullable(),
  rate: z.number().nullable(),
  quiet_hours: z.string().nullable(),
  status: z.enum(['active', 'paused']),
  next_runs: z.array(z.string()).describe('the next due times, up to five'),
  runs_missed: z.number().describe('runs not taken: missed beyond the catch-up window, or skipped while an earlier run was still starting'),
  created_by: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  url: z.string(),
  links: z.object({ runs: z.string() }),
});
const runSchema = z.object({
  scheduled_at: z.string().describe('when the run was due'),
  started_at: z.string(),
  target: z.enum(['execution', 'campaign']),
  campaign_sid: z.string().nullable(),
  execution_sid: z.string().nullable(),
  outcome: z.enum(['starting', 'started', 'skipped', 'failed']),
  reason: z.string().nullable(),
});
const createInput = z.looseObject({
  FriendlyName: z.string().max(255).optional(),
  Cron: z.string().optional().describe('a 5-field cron expression (minute hour day-of-month month day-of-week), in TimeZone'),
  Interval: z.coerce.number().optional().describe('seconds between runs'),
  TimeZone: z.string().optional().describe('IANA time zone of Cron and QuietHours (default UTC)'),
  CatchupWindow: z.coerce.number().optional().describe('seconds (default 3600): how late a run missed during an outage may still be made up'),
  From: z.string().trim().min(1).describe("the flow's own address each execution starts from"),
  To: z.string().optional().describe('one execution per run, to this contact'),
  Parameters: z.string().optional().describe('a JSON object: flow.data of that execution'),
  Contacts: z.string().optional().describe('a campaign per run over this list: a JSON array of objects, each with To'),
  Csv: z.string().optional().describe('a campaign per run over this list as CSV with a To column'),
  ContactList: z.string().optional().describe('a campaign per run over a saved list (CL…), as it is at each run'),
  Rate: z.coerce.number().int().optional().describe("the campaign's executions started per second"),
  QuietHours: z.string().optional().describe("HH:MM-HH:MM local to TimeZone: the campaign starts no contact then"),
});

function newScheduleOf(input: z.infer<typeof createInput>): NewSchedule {
  const pick = <K extends keyof NewSchedule>(key: K, value: NewSchedule[K] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    from: input.From,
    ...pick('friendlyName', input.FriendlyName),
    ...pick('cron', input.Cron),
    ...pick('interval', input.Interval),
    ...pick('timeZone', input.TimeZone),
    ...pick('catchupWindow', input.CatchupWindow),
    ...pick('to', input.To),
    ...pick('parameters', input.Parameters),
    ...pick('contacts', input.Contacts),
    ...pick('csv', input.Csv),
    ...pick('contactList', input.ContactList),
    ...pick('rate', input.Rate),
    ...pick('quietHours', input.QuietHours),
  };
}

/** The service's refusals in Twilio's error shape. */
function refused(err: unknown): never {
  if (err instanceof ContactListRejected) throw new ApiError(400, 20001, err.message);
  if (err instanceof ScheduleRejected) throw err.reason === 'conflict' ? new ApiError(409, 20409, err.message) : new ApiError(400, 20001, err.message, err.parameter ? { parameter: err.parameter } : undefined);
  throw err;
}

/**
 * Schedules (our extension of the Studio API): one execution, or a campaign over a list, on a
 * cron expression or an interval in a time zone, run by Temporal Schedules; paused, resumed,
 * run now, deleted; each run recorded with what it started.
 */
export function scheduleRoutes(deps: ScheduleRouteDeps): RouteSpec<never>[] {
  const base = (flowSid: string) => `${flowUrl(deps, flowSid)}/Schedules`;
  const iso = (ms: number) => new Date(ms).toISOString();
  const resource = async (s: ScheduleRecord, state?: ScheduleState) => {
    const now = state ?? (await deps.schedules.state(s));
    const list = s.contact_list_sid ? await deps.lists.get(s.account_sid, s.contact_list_sid) : undefined;
    return {
      sid: s.sid,
      account_sid: s.account_sid,
      flow_sid: s.flow_sid,
      friendly_name: s.friendly_name,
      cron: s.cron,
      interval: s.interval_seconds,
      time_zone: s.time_zone,
      catchup_window: s.catchup_window_seconds,
      target: s.contact_list_sid ? ('campaign' as const) : ('execution' as const),
      from: s.from_address,
      to: s.to_address,
      parameters: s.parameters ? (JSON.parse(s.parameters) as Record<string, unknown>) : null,
      contact_list_sid: s.contact_list_sid,
      contacts_total: list?.total ?? null,
      rate: s.rate,
      quiet_hours: s.quiet_hours,
      status: now.paused ? ('paused' as const) : ('active' as const),
      next_runs: now.nextRuns.map((d) => d.toISOString()),
      runs_missed: now.missed,
      created_by: s.created_by,
      date_created: iso(s.date_created),
      date_updated: iso(s.date_updated),
      url: `${base(s.flow_sid)}/${s.sid}`,
      links: { runs: `${base(s.flow_sid)}/${s.sid}/Runs` },
    };
  };
  const requireSchedule = async (accountSid: string, flowSid: string | undefined, sid: string | undefined) => {
    const flow = await requireFlow(deps.store, accountSid, flowSid);
    const found = sid && SCHEDULE_SID.test(sid) ? await deps.records.get(accountSid, flow.sid, sid) : undefined;
    if (!found) throw ApiError.notFound(`/Flows/${flow.sid}/Schedules/${sid ?? ''}`);
    return found;
  };

  return [
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Schedules',
      operationId: 'CreateSchedule',
      summary: 'Schedule one execution, or a campaign over a list, on a cron expression or an interval in a time zone',
      tag: 'Schedules',
      input: createInput,
      maxBodyBytes: deps.campaignLimits.maxBodyBytes,
      response: { status: 201, description: 'The schedule, active', schema: scheduleSchema },
      errors: [400, 401, 404, 409, 413],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const created = await deps.schedules.create(request.account.accountSid, flow.sid, newScheduleOf(request.input), request.apiKeySid ?? request.account.accountSid).catch(refused);
        return { status: 201, body: await resource(created) };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Schedules',
      operationId: 'ListSchedule',
      summary: "The flow's schedules, the newest first",
      tag: 'Schedules',
      input: z.looseObject({ PageSize: pageParams.shape.PageSize }),
      response: { status: 200, description: 'The schedules', schema: z.object({ schedules: z.array(scheduleSchema), url: z.string() }) },
      errors: [400, 401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const list = await deps.records.list(request.account.accountSid, flow.sid, request.input.PageSize);
        return { status: 200, body: { schedules: await Promise.all(list.map((s) => resource(s))), url: base(flow.sid) } };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Schedules/:ScheduleSid',
      operationId: 'FetchSchedule',
      summary: 'A schedule: what it starts, whether it is paused, its next runs',
      tag: 'Schedules',
      input: z.looseObject({}),
      response: { status: 200, description: 'The schedule', schema: scheduleSchema },
      errors: [401, 404],
      handle: async (request) => ({ status: 200, body: await resource(await requireSchedule(request.account.accountSid, request.path.FlowSid, request.path.ScheduleSid)) }),
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Schedules/:ScheduleSid',
      operationId: 'UpdateSchedule',
      summary: 'Pause (Status=paused) or resume (active) a schedule, or rename it',
      tag: 'Schedules',
      input: z.looseObject({ Status: z.enum(['paused', 'active']).optional(), FriendlyName: createInput.shape.FriendlyName }),
      response: { status: 200, description: 'The schedule', schema: scheduleSchema },
      errors: [400, 401, 404],
      handle: async (request) => {
        const schedule = await requireSchedule(request.account.accountSid, request.path.FlowSid, request.path.ScheduleSid);
        const { Status, FriendlyName } = request.input;
        if (Status) await deps.schedules.setPaused(schedule, Status === 'paused', request.apiKeySid ?? request.account.accountSid);
        if (FriendlyName?.trim()) await deps.records.setName(schedule.sid, FriendlyName.trim(), Date.now());
        return { status: 200, body: await resource((await deps.records.get(schedule.account_sid, schedule.flow_sid, schedule.sid))!) };
      },
    }),
    route({
      method: 'delete',
      path: '/v2/Flows/:FlowSid/Schedules/:ScheduleSid',
      operationId: 'DeleteSchedule',
      summary: 'Delete a schedule, its runs, and the list it was given (a saved list stays)',
      tag: 'Schedules',
      response: { status: 204, description: 'Deleted' },
      errors: [401, 404],
      handle: async (request) => {
        await deps.schedules.delete(await requireSchedule(request.account.accountSid, request.path.FlowSid, request.path.ScheduleSid));
        return { status: 204 };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Schedules/:ScheduleSid/Runs',
      operationId: 'CreateScheduleRun',
      summary: 'Run a schedule now, besides its due runs (paused or not)',
      tag: 'Schedules',
      input: z.looseObject({}),
      response: { status: 202, description: 'The run is on its way; the schedule', schema: scheduleSchema },
      errors: [401, 404],
      handle: async (request) => {
        const schedule = await requireSchedule(request.account.accountSid, request.path.FlowSid, request.path.ScheduleSid);
        await deps.schedules.trigger(schedule);
        return { status: 202, body: await resource(schedule) };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Schedules/:ScheduleSid/Runs',
      operationId: 'ListScheduleRun',
      summary: "A schedule's runs, the newest first: when each was due and began, what it started or why not",
      tag: 'Schedules',
      input: z.looseObject({ PageSize: pageParams.shape.PageSize }),
      response: { status: 200, description: 'The runs', schema: z.object({ runs: z.array(runSchema), url: z.string() }) },
      errors: [400, 401, 404],
      handle: async (request) => {
        const schedule = await requireSchedule(request.account.accountSid, request.path.FlowSid, request.path.ScheduleSid);
        const runs = await deps.records.runs(schedule.sid, request.input.PageSize);
        const started = (sid: string | null, outcome: string) => (outcome === 'started' ? sid : null);
        return {
          status: 200,
          body: {
            runs: runs.map((r) => ({ scheduled_at: iso(r.scheduled_at), started_at: iso(r.started_at), target: r.campaign_sid ? ('campaign' as const) : ('execution' as const), campaign_sid: started(r.campaign_sid, r.outcome), execution_sid: started(r.execution_sid, r.outcome), outcome: r.outcome, reason: r.reason })),
            url: `${base(schedule.flow_sid)}/${schedule.sid}/Runs`,
          },
        };
      },
    }),
  ] as RouteSpec<never>[];
}
