import { toolsDir } from '../src/config/paths';
import { provisionTemporalCli } from '../src/temporal/cli';

/**
 * Makes sure a Temporal CLI is available (used by .ci/run before the tests) and says which one
 * was used. Exits non-zero with what to install when there is none.
 */
provisionTemporalCli({
  explicitPath: process.env.TEMPORAL_CLI_PATH || undefined,
  toolsDir: toolsDir(),
  log: (line) => process.stdout.write(`${line}\n`),
}).then(
  (cli) => process.stdout.write(`Temporal CLI: ${cli.description}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
