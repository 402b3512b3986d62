import { z } from 'zod';
import { ContactListRejected, contactsFromCsv, contactsFromJson } from '../../services/campaign-contacts';
import type { CampaignLimits } from '../../limits/campaigns';
import { newSid } from '../../sids';
import type { ContactListRecord, ContactLists } from '../../store/contact-lists';
import { ApiError } from '../errors';
import { pageParams } from '../paging';
import type { ResourceUrls } from '../resources/flows';
import { route, type RouteSpec } from '../route';

export interface ContactListRouteDeps extends ResourceUrls {
  readonly lists: ContactLists;
  readonly campaignLimits: CampaignLimits;
}

const LIST_SID = /^CL[0-9a-f]{32}$/;

const listSchema = z.object({
  sid: z.string(),
  account_sid: z.string(),
  friendly_name: z.string(),
  total: z.number(),
  skipped: z.record(z.string(), z.number()).describe('rows a campaign over it will skip, by reason'),
  date_created: z.string(),
  date_updated: z.string(),
  url: z.string(),
  links: z.object({ contacts: z.string() }),
});
const listInput = {
  Contacts: z.string().optional().describe('a JSON array of objects, each with To; other keys become flow.data'),
  Csv: z.string().optional().describe('the list as CSV with a To column (or POST it as text/csv, the other parameters in the query string)'),
};

/**
 * Saved contact lists (our extension): a schedule's campaign reads one as it is at each run, so a
 * weekly reminder follows the list as it is replaced.
 */
export function contactListRoutes(deps: ContactListRouteDeps): RouteSpec<never>[] {
  const base = `${deps.publicUrl}/v2/ContactLists`;
  const iso = (ms: number) => new Date(ms).toISOString();
  const resource = async (l: ContactListRecord) => ({
    sid: l.sid,
    account_sid: l.account_sid,
    friendly_name: l.friendly_name,
    total: l.total,
    skipped: await deps.lists.skipped(l.sid),
    date_created: iso(l.date_created),
    date_updated: iso(l.date_updated),
    url: `${base}/${l.sid}`,
    links: { contacts: `${base}/${l.sid}/Contacts` },
  });
  const rowsOf = (input: { Contacts?: string | undefined; Csv?: string | undefined }) => {
    if ((input.Contacts === undefined) === (input.Csv === undefined)) throw new ApiError(400, 20001, 'Give the list as Contacts (JSON) or as a CSV upload, one of them', { parameter: 'Contacts' });
    try {
      return input.Contacts !== undefined ? contactsFromJson(input.Contacts, deps.campaignLimits.maxContacts) : contactsFromCsv(input.Csv!, deps.campaignLimits.maxContacts);
    } catch (err) {
      if (err instanceof ContactListRejected) throw new ApiError(400, 20001, err.message);
      throw err;
    }
  };
  const requireList = async (accountSid: string, sid: string | undefined) => {
    const found = sid && LIST_SID.test(sid) ? await deps.lists.get(accountSid, sid) : undefined;
    if (!found || found.schedule_sid) throw ApiError.notFound(`/ContactLists/${sid ?? ''}`);
    return found;
  };

  return [
    route({
      method: 'post',
      path: '/v2/ContactLists',
      operationId: 'CreateContactList',
      summary: 'Save a contact list (JSON or CSV) for schedules to run campaigns over',
      tag: 'Schedules',
      input: z.looseObject({ FriendlyName: z.string().trim().min(1).max(255), ...listInput }),
      maxBodyBytes: deps.campaignLimits.maxBodyBytes,
      textBody: { type: 'text/csv', parameter: 'Csv' },
      response: { status: 201, description: 'The list', schema: listSchema },
      errors: [400, 401, 413],
      handle: async ({ input, account }) => {
        const rows = rowsOf(input);
        const sid = newSid('CL');
        await deps.lists.create({ sid, account_sid: account.accountSid, friendly_name: input.FriendlyName, schedule_sid: null, date_created: Date.now() }, rows);
        return { status: 201, body: await resource((await deps.lists.get(account.accountSid, sid))!) };
      },
    }),
    route({
      method: 'get',
      path: '/v2/ContactLists',
      operationId: 'ListContactList',
      summary: "The account's saved contact lists, the newest first",
      tag: 'Schedules',
      input: z.looseObject({ PageSize: pageParams.shape.PageSize }),
      response: { status: 200, description: 'The lists', schema: z.object({ contact_lists: z.array(listSchema), url: z.string() }) },
      errors: [400, 401],
      handle: async ({ input, account }) => ({ status: 200, body: { contact_lists: await Promise.all((await deps.lists.list(account.accountSid, input.PageSize)).map(resource)), url: base } }),
    }),
    route({
      method: 'get',
      path: '/v2/ContactLists/:Sid',
      operationId: 'FetchContactList',
      summary: 'A saved contact list',
      tag: 'Schedules',
      input: z.looseObject({}),
      response: { status: 200, description: 'The list', schema: listSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => ({ status: 200, body: await resource(await requireList(account.accountSid, path.Sid)) }),
    }),
    route({
      method: 'post',
      path: '/v2/ContactLists/:Sid',
      operationId: 'UpdateContactList',
      summary: 'Rename a saved list and/or replace its rows whole (the next run of a schedule over it reads the new rows)',
      tag: 'Schedules',
      input: z.looseObject({ FriendlyName: z.string().trim().min(1).max(255).optional(), ...listInput }),
      maxBodyBytes: deps.campaignLimits.maxBodyBytes,
      textBody: { type: 'text/csv', parameter: 'Csv' },
      response: { status: 200, description: 'The list', schema: listSchema },
      errors: [400, 401, 404, 413],
      handle: async ({ input, path, account }) => {
        const list = await requireList(account.accountSid, path.Sid);
        const replacing = input.Contacts !== undefined || input.Csv !== undefined;
        await deps.lists.update(list.sid, { ...(input.FriendlyName ? { friendlyName: input.FriendlyName } : {}), ...(replacing ? { rows: rowsOf(input) } : {}) }, Date.now());
        return { status: 200, body: await resource((await deps.lists.get(account.accountSid, list.sid))!) };
      },
    }),
    route({
      method: 'delete',
      path: '/v2/ContactLists/:Sid',
      operationId: 'DeleteContactList',
      summary: 'Delete a saved list no schedule reads',
      tag: 'Schedules',
      response: { status: 204, description: 'Deleted' },
      errors: [401, 404, 409],
      handle: async ({ path, account }) => {
        const list = await requireList(account.accountSid, path.Sid);
        const users = await deps.lists.usedBy(list.sid);
        if (users.length > 0) throw new ApiError(409, 20409, `Contact list ${list.sid} is read by schedule(s) ${users.join(', ')}: delete them first`);
        await deps.lists.delete(list.sid);
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/v2/ContactLists/:Sid/Contacts',
      operationId: 'ListContactListContact',
      summary: "A saved list's rows in order (after a position)",
      tag: 'Schedules',
      input: z.looseObject({ PageSize: pageParams.shape.PageSize, After: z.coerce.number().int().min(-1).optional().describe('rows after this position') }),
      response: { status: 200, description: 'The rows', schema: z.object({ contacts: z.array(z.object({ position: z.number(), to: z.string(), data: z.record(z.string(), z.unknown()), skip: z.string().nullable() })), url: z.string() }) },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const list = await requireList(account.accountSid, path.Sid);
        const rows = await deps.lists.rows(list.sid, { limit: input.PageSize, ...(input.After !== undefined ? { after: input.After } : {}) });
        return { status: 200, body: { contacts: rows.map((r) => ({ position: r.position, to: r.contact, data: JSON.parse(r.data) as Record<string, unknown>, skip: r.skip })), url: `${base}/${list.sid}/Contacts` } };
      },
    }),
  ] as RouteSpec<never>[];
}
