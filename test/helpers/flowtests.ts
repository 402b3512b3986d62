import path from 'node:path';
import { toolsDir } from '../../src/config/paths';
import { provisionTestServer } from '../../src/temporal/test-server';

/** The flow-test fixtures (a flow and its tests per pair of files). */
export const FLOWTEST_FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'flowtests');

/** The time-skipping test server, found or installed as `open-studio test` does; missing, the test fails. */
export async function testServerPath(): Promise<string> {
  const server = await provisionTestServer({ explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH || undefined, toolsDir: toolsDir() });
  return server.path;
}
