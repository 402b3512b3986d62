import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from './activities';

/**
 * The baseline's worker, a process of its own like the engine's worker, so both sides pay the
 * same process boundaries. Configured by the bench through the environment; prints `ready`.
 */
async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  Runtime.install({ logger: new DefaultLogger('WARN') });
  activities.configureBareActivities({ apiBaseUrl: env('BARE_API_BASE_URL'), accountSid: env('BARE_ACCOUNT_SID'), authToken: env('BARE_AUTH_TOKEN') });
  const connection = await NativeConnection.connect({ address: env('BARE_TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: env('BARE_TASK_QUEUE'),
    workflowsPath: require.resolve('./workflows'),
    activities: { bareSend: activities.bareSend },
  });
  process.once('SIGTERM', () => worker.shutdown());
  const running = worker.run();
  console.log('ready');
  await running;
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
