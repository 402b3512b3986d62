// Workers render dates in workflow code, and the host's time zone leaks into the sandbox:
// pin UTC before anything reads the clock (DESIGN.md §5).
process.env.TZ = 'UTC';

import { ConfigError, loadConfig } from './config/env';
import { createLogger, type Logger } from './logger';
import { startRole, stopServices, type Role, type Service } from './roles';

/**
 * The process entry point: `node dist/src/main.js [all|api|worker]` (npm start / npm run api /
 * npm run worker). SIGINT/SIGTERM stop everything in reverse order; a second signal forces exit.
 */
async function main(argv: readonly string[]): Promise<void> {
  const role = parseRole(argv[0]);
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  const shutdown = trapSignals(logger);
  const started = await startRole(role, config, logger);
  shutdown.attach(started.services);
  process.stdout.write(`\nOpen Studio is running (${role === 'all' ? 'everything' : role}). Ctrl-C stops it.\n`);
  process.stdout.write(`${started.banner.map((l) => `  ${l}`).join('\n')}\n\n`);
}

function parseRole(arg: string | undefined): Role {
  if (arg === undefined || arg === 'all' || arg === 'start') return 'all';
  if (arg === 'api' || arg === 'worker') return arg;
  process.stderr.write(`Unknown role "${arg}". Use one of: all, api, worker.\n`);
  process.exit(2);
}

function trapSignals(logger: Logger) {
  let services: readonly Service[] = [];
  let stopping = false;
  const stop = async (reason: string, exitCode: number) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info(`${reason}: stopping`);
    await stopServices(services, logger);
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  return {
    attach(list: readonly Service[]) {
      services = list;
      for (const service of list) {
        service.ended?.then(
          () => !stopping && void stop(`${service.name} stopped unexpectedly`, 1),
          (err: unknown) => {
            logger.error({ err }, `${service.name} failed`);
            if (!stopping) void stop(`${service.name} failed`, 1);
          },
        );
      }
    },
  };
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`Start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
