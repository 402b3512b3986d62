import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

let installed = false;

/**
 * Routes the Temporal SDK's own logs (worker lifecycle, workflow/activity loggers) into our
 * logger at WARN and above, so they share one format. Must run before the first worker
 * connection; later calls are no-ops.
 */
export function installTemporalRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      logger[PINO_LEVEL[entry.level]]({ ...entry.meta, component: 'temporal' }, entry.message);
    }),
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'WARN' }, forward: {} } },
  });
}
