import type { FlowTestLimits } from '../limits/flowtests';
import { suiteFromTexts } from './load';
import { FlowTestFileError, parseFlowTestFile } from './parse';
import { startRig, type Rig } from './rig';
import type { Suite } from './runner';
import { runSuites, type RunReport } from './suite-run';

/** The names a flow's own tests are reported under. */
export const STORED_TESTS_FILE = 'tests.flowtest.yaml';
export const STORED_FLOW_FILE = 'flow.json';

/**
 * Flow tests for the API (the editor's Tests panel and scripts): the same runner as
 * `open-studio test`, on one rig per process started at the first run and kept, with runs one at
 * a time (each test moves the test server's clock).
 */
export class FlowTestService {
  private rig: Promise<Rig> | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    readonly limits: FlowTestLimits,
    /** The time-skipping test server's path, found or installed on first use. */
    private readonly testServer: () => Promise<string>,
  ) {}

  /** Checks a test file's text as it would be kept with a flow; throws FlowTestFileError. */
  check(text: string): void {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes > this.limits.maxBytes) {
      throw new FlowTestFileError([{ file: STORED_TESTS_FILE, line: 1, key: '', message: `the tests are ${bytes} bytes, over the ${this.limits.maxBytes}-byte limit (LIMIT_FLOWTEST_MAX_BYTES)` }]);
    }
    const spec = parseFlowTestFile(text, STORED_TESTS_FILE);
    if (spec.tests.length > this.limits.maxTests) {
      throw new FlowTestFileError([{ file: STORED_TESTS_FILE, line: 1, key: 'tests', message: `${spec.tests.length} tests, over the ${this.limits.maxTests} one run may hold (LIMIT_FLOWTEST_MAX_TESTS)` }]);
    }
  }

  /** Runs `tests` (a test file's text) against a flow definition; a problem in either is in the report's errors. */
  run(definitionText: string, tests: string): Promise<RunReport> {
    const load = (): Suite => {
      this.check(tests);
      return suiteFromTexts(STORED_TESTS_FILE, STORED_FLOW_FILE, parseFlowTestFile(tests, STORED_TESTS_FILE), definitionText);
    };
    const run = this.tail.then(async () => runSuites(await this.started(), [{ file: STORED_TESTS_FILE, load }], { limits: this.limits }));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    const rig = this.rig;
    this.rig = undefined;
    if (rig) await (await rig.catch(() => undefined))?.close();
  }

  private started(): Promise<Rig> {
    this.rig ??= this.testServer().then((path) => startRig(path));
    // A failed start is not kept: the next run tries again.
    this.rig.catch(() => (this.rig = undefined));
    return this.rig;
  }
}
