import type { ApiClient } from '../api/client';
import { flowPath, type TestUsersResource } from '../api/resources';

/** Makes `contact` one of the flow's test users (so its traffic runs the latest draft), keeping the others. */
export async function addTestUser(api: ApiClient, flowSid: string, contact: string): Promise<void> {
  const path = `${flowPath(flowSid)}/TestUsers`;
  const { test_users: users } = await api.get<TestUsersResource>(path);
  if (users.includes(contact)) return;
  await api.post<TestUsersResource>(path, { TestUsers: [...users, contact] });
}
