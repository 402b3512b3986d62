import { Client, Connection } from '@temporalio/client';

export interface TemporalClientHandle {
  readonly connection: Connection;
  readonly client: Client;
  close(): Promise<void>;
}

/** Connects a client to the Temporal frontend. */
export async function connectClient(address: string, namespace: string): Promise<TemporalClientHandle> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000 });
  const client = new Client({ connection, namespace });
  return { connection, client, close: () => connection.close() };
}

/** True when the frontend answers within `timeoutMs`. Used by `/health`. */
export async function temporalReachable(connection: Connection, namespace: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.describeNamespace({ namespace }));
    return true;
  } catch {
    return false;
  }
}
