import { z } from 'zod';
import { ADDRESS_FORMS, isContactAddress } from '../../channels/addresses';
import { ApiError } from '../errors';
import { flowUrl, testUsersResourceSchema } from '../resources/flows';
import { repeated, route, type RouteSpec } from '../route';
import { flowSid, requireFlow, type FlowRouteDeps } from './flows';

/** Test Users: contact addresses that run the latest revision, draft or not. */
export function testUserRoutes(deps: FlowRouteDeps): RouteSpec<never>[] {
  const { limits } = deps;
  // A test user is a contact (it is matched against the contact of each start), so it has a contact's shape.
  const user = z
    .string()
    .refine((v) => Buffer.byteLength(v, 'utf8') <= limits.maxTestUserBytes, `each test user is at most ${limits.maxTestUserBytes} bytes`)
    .refine((v) => v.trim() === '' || isContactAddress(v.trim()), `each test user is ${ADDRESS_FORMS}`);
  const input = z.looseObject({
    TestUsers: repeated(user)
      // An empty value (`TestUsers=`) clears the list: form encoding has no empty array.
      .transform((users) => [...new Set(users.map((u) => u.trim()).filter((u) => u !== ''))])
      .refine((users) => users.length <= limits.maxTestUsers, `at most ${limits.maxTestUsers} test users`),
  });
  const resource = (sid: string, users: readonly string[]) => ({ sid, test_users: [...users], url: `${flowUrl(deps, sid)}/TestUsers` });

  return [
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/TestUsers',
      operationId: 'FetchFlowTestUser',
      summary: "Fetch a flow's test users",
      tag: 'Test Users',
      response: { status: 200, description: 'The test users', schema: testUsersResourceSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => {
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        return { status: 200, body: resource(flow.sid, flow.testUsers) };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/TestUsers',
      operationId: 'UpdateFlowTestUser',
      summary: "Replace a flow's test users",
      tag: 'Test Users',
      input,
      response: { status: 200, description: 'The test users', schema: testUsersResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ input: params, path, account }) => {
        const sid = flowSid(path.FlowSid);
        const users = await deps.store.setTestUsers(account.accountSid, sid, params.TestUsers);
        if (!users) throw ApiError.notFound(`/v2/Flows/${sid}/TestUsers`);
        return { status: 200, body: resource(sid, users) };
      },
    }),
  ] as RouteSpec<never>[];
}
