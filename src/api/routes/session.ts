import { z } from 'zod';
import { route, type RouteSpec } from '../route';

const sessionSchema = z.object({
  account_sid: z.string(),
  /** `auth_token` for the account's own credentials, `api_key` for a key. */
  credential: z.enum(['auth_token', 'api_key']),
  api_key_sid: z.string().nullable(),
});

/**
 * Who the request's credentials are. With an API key the username is the key's SID, and no
 * Twilio resource a standard key may read names the account (Twilio keeps Accounts and Keys
 * from them): the editor asks here to show the account it signed in to.
 */
export function sessionRoutes(): RouteSpec<never>[] {
  return [
    route({
      method: 'get',
      path: '/v1/Local/Session',
      operationId: 'FetchLocalSession',
      summary: 'The account the credentials belong to, and whether they are an API key',
      tag: 'Local channel',
      response: { status: 200, description: 'The signed-in account', schema: sessionSchema },
      errors: [401],
      handle: ({ account, apiKeySid }) => ({
        status: 200,
        body: { account_sid: account.accountSid, credential: apiKeySid ? 'api_key' : 'auth_token', api_key_sid: apiKeySid ?? null },
      }),
    }),
  ] as RouteSpec<never>[];
}
