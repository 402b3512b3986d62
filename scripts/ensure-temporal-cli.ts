import { toolsDir } from '../src/config/paths';
import { provisionTemporalCli } from '../src/temporal/cli';
import { provisionTestServer } from '../src/temporal/test-server';
import { provisionTemporalServer } from '../src/temporal/server-binary';
import { provisionTemporalUi } from '../src/temporal/ui-binary';

/**
 * Makes sure the Temporal binaries the tests need are available (used by .ci/run before the
 * tests): the Temporal CLI (dev server), the time-skipping test server flow tests run on, and
 * Temporal's own server with its SQL tool and its UI (the cluster).
 * Says which were used; exits non-zero with what to install when one is missing.
 */
async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const cli = await provisionTemporalCli({ explicitPath: process.env.TEMPORAL_CLI_PATH || undefined, toolsDir: toolsDir(), log });
  log(`Temporal CLI: ${cli.description}`);
  const testServer = await provisionTestServer({ explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH || undefined, toolsDir: toolsDir(), log });
  log(`Temporal test server: ${testServer.description}`);
  // `npm run cluster` and its test: built once from the Go module (minutes the first time).
  const server = await provisionTemporalServer({ toolsDir: toolsDir(), log });
  log(`Temporal server: ${server.description}`);
  const ui = await provisionTemporalUi({ toolsDir: toolsDir(), log });
  log(`Temporal UI: ${ui.description}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
