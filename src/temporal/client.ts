import type { Interceptor } from '@grpc/grpc-js';
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

export interface TemporalClientHandle {
  readonly connection: Connection;
  readonly client: Client;
  close(): Promise<void>;
}

/** Connects a client to the Temporal frontend; `interceptors` see each call before the SDK's own retries. */
export async function connectClient(address: string, namespace: string, interceptors: readonly Interceptor[] = []): Promise<TemporalClientHandle> {
  const connection = await Connection.connect({ address, connectTimeout: 10_000, interceptors: [...interceptors, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())] });
  const client = new Client({ connection, namespace });
  return { connection, client, close: () => connection.close() };
}
