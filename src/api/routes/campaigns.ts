import { z } from 'zod';
import { ContactListRejected } from '../../services/campaign-contacts';
import { CampaignRejected, type CampaignService, type NewCampaign } from '../../services/campaigns';
import type { CampaignLimits } from '../../limits/campaigns';
import type { CampaignRecord, Campaigns } from '../../store/campaigns';
import { ApiError } from '../errors';
import { pageParams } from '../paging';
import { flowUrl } from '../resources/flows';
import { route, type RouteSpec } from '../route';
import { requireFlow, type FlowRouteDeps } from './flows';

export interface CampaignRouteDeps extends FlowRouteDeps {
  readonly campaigns: CampaignService;
  readonly records: Campaigns;
  readonly campaignLimits: CampaignLimits;
}

const CAMPAIGN_SID = /^CM[0-9a-f]{32}$/;
const STATUSES = ['pending', 'starting', 'started', 'skipped', 'failed'] as const;

const campaignSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  flow_sid: z.string(),
  flow_revision: z.number().describe('the revision every contact runs: the one published when it was created'),
  from: z.string(),
  rate: z.number(),
  quiet_hours: z.string().nullable(),
  time_zone: z.string(),
  status: z.enum(['running', 'paused', 'cancelled', 'completed']),
  total: z.number(),
  counts: z.object(Object.fromEntries(STATUSES.map((s) => [s, z.number()])) as Record<(typeof STATUSES)[number], z.ZodNumber>),
  executions_ended: z.number().describe('executions of the campaign that have ended'),
  created_by: z.string(),
  date_created: z.string(),
  date_updated: z.string(),
  url: z.string(),
  links: z.object({ contacts: z.string() }),
});
const createInput = z.looseObject({
  From: z.string().trim().min(1).describe("the flow's own address each execution starts from"),
  Rate: z.coerce.number().int().describe('executions started per second'),
  Contacts: z.string().optional().describe('a JSON array of objects, each with To; other keys become flow.data'),
  Csv: z.string().optional().describe('the list as CSV with a To column (or POST it as text/csv, the other parameters in the query string)'),
  QuietHours: z.string().optional().describe('HH:MM-HH:MM local to TimeZone: no contact is started then'),
  TimeZone: z.string().optional().describe('IANA time zone of QuietHours (default UTC)'),
});
const listInput = z.looseObject({ Contacts: createInput.shape.Contacts, Csv: createInput.shape.Csv });
const contactSchema = z.object({ position: z.number(), to: z.string(), data: z.record(z.string(), z.unknown()), status: z.enum(STATUSES), reason: z.string().nullable(), execution_sid: z.string().nullable(), date_updated: z.string() });

const previewSchema = z.object({
  total: z.number(),
  skipped: z.record(z.string(), z.number()).describe('rows that would be skipped, by reason'),
  contacts: z.array(z.object({ to: z.string(), data: z.record(z.string(), z.unknown()), skip: z.string().nullable() })).describe('the first rows'),
});
/** Rows a preview shows. */
const PREVIEW_ROWS = 10;

function newCampaignOf({ From, Rate, Contacts, Csv, QuietHours, TimeZone }: z.infer<typeof createInput>): NewCampaign {
  return { from: From, rate: Rate, ...(Contacts !== undefined ? { contacts: Contacts } : {}), ...(Csv !== undefined ? { csv: Csv } : {}), ...(QuietHours ? { quietHours: QuietHours } : {}), ...(TimeZone ? { timeZone: TimeZone } : {}) };
}

/** The service's refusals in Twilio's error shape. */
function refused(err: unknown): never {
  if (err instanceof ContactListRejected) throw new ApiError(400, 20001, err.message);
  if (err instanceof CampaignRejected) throw err.reason === 'conflict' ? new ApiError(409, 20409, err.message) : new ApiError(400, 20001, err.message, err.parameter ? { parameter: err.parameter } : undefined);
  throw err;
}

/**
 * Campaigns over contact lists (our extension of the Studio API): one execution per contact at a
 * rate, outside quiet hours, durable across crashes; paused, resumed, cancelled; counted per contact.
 */
export function campaignRoutes(deps: CampaignRouteDeps): RouteSpec<never>[] {
  const base = (flowSid: string) => `${flowUrl(deps, flowSid)}/Campaigns`;
  const iso = (ms: number) => new Date(ms).toISOString();
  const resource = (c: CampaignRecord) => ({
    sid: c.sid,
    account_sid: c.account_sid,
    flow_sid: c.flow_sid,
    flow_revision: c.revision,
    from: c.from_address,
    rate: c.rate,
    quiet_hours: c.quiet_hours,
    time_zone: c.time_zone,
    status: c.status,
    total: c.total,
    counts: c.counts,
    executions_ended: c.ended,
    created_by: c.created_by,
    date_created: iso(c.date_created),
    date_updated: iso(c.date_updated),
    url: `${base(c.flow_sid)}/${c.sid}`,
    links: { contacts: `${base(c.flow_sid)}/${c.sid}/Contacts` },
  });
  const requireCampaign = async (accountSid: string, flowSid: string, sid: string | undefined) => {
    const found = sid && CAMPAIGN_SID.test(sid) ? await deps.records.get(accountSid, flowSid, sid) : undefined;
    if (!found) throw ApiError.notFound(`/Flows/${flowSid}/Campaigns/${sid ?? ''}`);
    return found;
  };

  return [
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Campaigns',
      operationId: 'CreateCampaign',
      summary: 'Start a campaign: one execution per contact of a list (JSON or CSV), at a rate, outside quiet hours',
      tag: 'Campaigns',
      input: createInput,
      maxBodyBytes: deps.campaignLimits.maxBodyBytes,
      textBody: { type: 'text/csv', parameter: 'Csv' },
      response: { status: 201, description: 'The campaign, started', schema: campaignSchema },
      errors: [400, 401, 404, 409, 413],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const created = await deps.campaigns.create(request.account.accountSid, flow.sid, newCampaignOf(request.input), request.apiKeySid ?? request.account.accountSid).catch(refused);
        return { status: 201, body: resource(created) };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Campaigns/Preview',
      operationId: 'PreviewCampaign',
      summary: 'Read a list (Contacts or a CSV) as a campaign would, starting nothing: its size, the rows it would skip, the first rows as flow.data',
      tag: 'Campaigns',
      input: listInput,
      maxBodyBytes: deps.campaignLimits.maxBodyBytes,
      textBody: { type: 'text/csv', parameter: 'Csv' },
      response: { status: 200, description: 'The preview', schema: previewSchema },
      errors: [400, 401, 404, 413],
      handle: async (request) => {
        await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const preview = (() => {
          try {
            const { Contacts, Csv } = request.input;
            return deps.campaigns.preview({ ...(Contacts !== undefined ? { contacts: Contacts } : {}), ...(Csv !== undefined ? { csv: Csv } : {}) }, PREVIEW_ROWS);
          } catch (err) {
            return refused(err);
          }
        })();
        return { status: 200, body: { total: preview.total, skipped: preview.skipped, contacts: preview.first.map((c) => ({ to: c.to, data: c.data, skip: c.skip ?? null })) } };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Campaigns',
      operationId: 'ListCampaign',
      summary: "The flow's campaigns, the newest first",
      tag: 'Campaigns',
      input: z.looseObject({ PageSize: pageParams.shape.PageSize }),
      response: { status: 200, description: 'The campaigns', schema: z.object({ campaigns: z.array(campaignSchema), url: z.string() }) },
      errors: [400, 401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const list = await deps.records.list(request.account.accountSid, flow.sid, request.input.PageSize);
        return { status: 200, body: { campaigns: list.map(resource), url: base(flow.sid) } };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Campaigns/:CampaignSid',
      operationId: 'FetchCampaign',
      summary: 'A campaign: its status and counts (pending, started, skipped, failed, executions ended)',
      tag: 'Campaigns',
      input: z.looseObject({}),
      response: { status: 200, description: 'The campaign', schema: campaignSchema },
      errors: [401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        return { status: 200, body: resource(await requireCampaign(request.account.accountSid, flow.sid, request.path.CampaignSid)) };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Campaigns/:CampaignSid',
      operationId: 'UpdateCampaign',
      summary: 'Pause (Status=paused), resume (running) or cancel (cancelled) a campaign',
      tag: 'Campaigns',
      input: z.looseObject({ Status: z.enum(['paused', 'running', 'cancelled']) }),
      response: { status: 200, description: 'The campaign', schema: campaignSchema },
      errors: [400, 401, 404, 409],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const campaign = await requireCampaign(request.account.accountSid, flow.sid, request.path.CampaignSid);
        await deps.campaigns.update(campaign, request.input.Status).catch(refused);
        return { status: 200, body: resource(await requireCampaign(request.account.accountSid, flow.sid, campaign.sid)) };
      },
    }),
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Campaigns/:CampaignSid/Contacts',
      operationId: 'ListCampaignContact',
      summary: "A campaign's contacts in list order, each with what became of it (after a position, of a status)",
      tag: 'Campaigns',
      input: z.looseObject({ PageSize: pageParams.shape.PageSize, After: z.coerce.number().int().min(-1).optional().describe('contacts after this position'), Status: z.enum(STATUSES).optional() }),
      response: { status: 200, description: 'The contacts', schema: z.object({ contacts: z.array(contactSchema), url: z.string() }) },
      errors: [400, 401, 404],
      handle: async (request) => {
        const flow = await requireFlow(deps.store, request.account.accountSid, request.path.FlowSid);
        const campaign = await requireCampaign(request.account.accountSid, flow.sid, request.path.CampaignSid);
        const { PageSize, After, Status } = request.input;
        const rows = await deps.records.contacts(campaign.sid, { limit: PageSize, ...(After !== undefined ? { after: After } : {}), ...(Status ? { status: Status } : {}) });
        const contacts = rows.map((r) => ({ position: r.position, to: r.contact, data: JSON.parse(r.data) as Record<string, unknown>, status: r.status, reason: r.reason, execution_sid: r.execution_sid, date_updated: iso(r.date_updated) }));
        return { status: 200, body: { contacts, url: `${base(flow.sid)}/${campaign.sid}/Contacts` } };
      },
    }),
  ] as RouteSpec<never>[];
}
