import { z } from 'zod';
import type { ApiKey, ApiKeyStore } from '../../store/api-keys';
import { ApiError } from '../errors';
import { route, type ApiRequest, type RouteSpec } from '../route';

export interface KeyRouteDeps {
  readonly keys: ApiKeyStore;
  /** Longest friendly name of a key (Twilio: up to 64 characters). */
  readonly maxFriendlyNameLength: number;
}

const keySchema = z.object({ sid: z.string(), friendly_name: z.string(), date_created: z.string(), date_updated: z.string() });
const newKeySchema = keySchema.extend({ secret: z.string() });
const keyListSchema = z.object({
  keys: z.array(keySchema),
  page: z.number(),
  page_size: z.number(),
  start: z.number(),
  end: z.number(),
  uri: z.string(),
  first_page_uri: z.string(),
  next_page_uri: z.string().nullable(),
  previous_page_uri: z.string().nullable(),
});

/** API 2010 dates are RFC 2822, e.g. `Mon, 16 Aug 2010 03:45:01 +0000`. */
function rfc2822(iso: string): string {
  return new Date(iso).toUTCString().replace('GMT', '+0000');
}

function resource(key: ApiKey) {
  return { sid: key.sid, friendly_name: key.friendlyName, date_created: rfc2822(key.dateCreated), date_updated: rfc2822(key.dateUpdated) };
}

/**
 * Twilio: a standard API key cannot manage keys (only the account's credentials or a main key
 * can); we have no main keys, so keys are managed with the auth token only.
 */
function requireAuthToken(request: ApiRequest<unknown>): string {
  if (request.apiKeySid) throw new ApiError(403, 20403, 'Forbidden: API keys are managed with the account SID and auth token');
  const sid = request.path.AccountSid ?? '';
  if (sid !== request.account.accountSid) throw ApiError.notFound(`/2010-04-01/Accounts/${sid}/Keys`);
  return sid;
}

/** Twilio's Keys resource (API 2010), as the official clients call it. */
export function keyRoutes(deps: KeyRouteDeps): RouteSpec<never>[] {
  const name = z.string().max(deps.maxFriendlyNameLength);
  const base = '/2010-04-01/Accounts/:AccountSid/Keys';
  const missing = (accountSid: string, sid: string) => ApiError.notFound(`/2010-04-01/Accounts/${accountSid}/Keys/${sid}.json`);
  return [
    route({
      method: 'post', path: `${base}.json`, operationId: 'CreateNewKey', summary: 'Create an API key (its secret is shown only here)', tag: 'Keys',
      input: z.looseObject({ FriendlyName: name.optional() }),
      response: { status: 201, description: 'The new key and its secret', schema: newKeySchema }, errors: [400, 401, 403, 404],
      handle: async (request) => {
        const key = await deps.keys.create(requireAuthToken(request), request.input.FriendlyName ?? '', new Date());
        return { status: 201, body: { ...resource(key), secret: key.secret } };
      },
    }),
    route({
      method: 'get', path: `${base}.json`, operationId: 'ListKey', summary: 'List API keys', tag: 'Keys',
      input: z.looseObject({ PageSize: z.coerce.number().int().min(1).max(1000).default(50), Page: z.coerce.number().int().min(0).max(1_000_000).default(0) }),
      response: { status: 200, description: 'A page of keys', schema: keyListSchema }, errors: [401, 403, 404],
      handle: async (request) => {
        const accountSid = requireAuthToken(request);
        const { PageSize: size, Page: page } = request.input;
        const rows = await deps.keys.list(accountSid, page * size, size + 1);
        const uri = (p: number) => `/2010-04-01/Accounts/${accountSid}/Keys.json?PageSize=${size}&Page=${p}`;
        const keys = rows.slice(0, size).map(resource);
        return {
          status: 200,
          body: {
            keys, page, page_size: size, start: page * size, end: page * size + Math.max(keys.length - 1, 0),
            uri: uri(page), first_page_uri: uri(0), next_page_uri: rows.length > size ? uri(page + 1) : null, previous_page_uri: page > 0 ? uri(page - 1) : null,
          },
        };
      },
    }),
    route({
      method: 'get', path: `${base}/:Sid.json`, operationId: 'FetchKey', summary: 'Fetch an API key (never its secret)', tag: 'Keys',
      response: { status: 200, description: 'The key', schema: keySchema }, errors: [401, 403, 404],
      handle: async (request) => {
        const accountSid = requireAuthToken(request);
        const key = await deps.keys.get(accountSid, request.path.Sid ?? '');
        if (!key) throw missing(accountSid, request.path.Sid ?? '');
        return { status: 200, body: resource(key) };
      },
    }),
    route({
      method: 'post', path: `${base}/:Sid.json`, operationId: 'UpdateKey', summary: "Rename an API key", tag: 'Keys',
      input: z.looseObject({ FriendlyName: name.optional() }),
      response: { status: 200, description: 'The key', schema: keySchema }, errors: [400, 401, 403, 404],
      handle: async (request) => {
        const accountSid = requireAuthToken(request);
        const sid = request.path.Sid ?? '';
        const key = request.input.FriendlyName === undefined ? await deps.keys.get(accountSid, sid) : await deps.keys.rename(accountSid, sid, request.input.FriendlyName, new Date());
        if (!key) throw missing(accountSid, sid);
        return { status: 200, body: resource(key) };
      },
    }),
    route({
      method: 'delete', path: `${base}/:Sid.json`, operationId: 'DeleteKey', summary: 'Delete (revoke) an API key at once', tag: 'Keys',
      response: { status: 204, description: 'Deleted' }, errors: [401, 403, 404],
      handle: async (request) => {
        const accountSid = requireAuthToken(request);
        const sid = request.path.Sid ?? '';
        if (!(await deps.keys.delete(accountSid, sid))) throw missing(accountSid, sid);
        return { status: 204 };
      },
    }),
  ] as RouteSpec<never>[];
}
