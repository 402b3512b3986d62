import type { FlowDefinition } from '../flow/definition';
import { coverageOf, type FlowCoverage, type Walk } from './coverage';
import { FlowTestFileError, type FileProblem } from './parse';
import type { Rig } from './rig';
import { DEFAULT_RUN_LIMITS, runTest, type RunLimits, type Suite, type TestOutcome } from './runner';

/** A file that could not run: its problems, each with line and key. */
export interface FileError {
  readonly file: string;
  readonly problems: readonly FileProblem[];
}

export interface FlowCoverageReport extends FlowCoverage {
  readonly flow: string;
}

/** A whole run: every test, every file that could not run, and coverage per flow. */
export interface RunReport {
  readonly tests: readonly TestOutcome[];
  readonly errors: readonly FileError[];
  readonly coverage: readonly FlowCoverageReport[];
  readonly summary: { readonly passed: number; readonly failed: number; readonly errors: number; readonly total: number; readonly durationMs: number };
}

/** Something that yields a suite, or the file problems that keep it from running. */
export type SuiteSource = { readonly file: string; readonly load: () => Suite };

export interface RunOptions {
  readonly limits?: RunLimits;
  /** Told before each test starts (the progress line). */
  readonly onTest?: (done: number, total: number, suite: Suite, name: string) => void;
  readonly onOutcome?: (outcome: TestOutcome) => void;
}

/**
 * Runs suites one test at a time on one rig. Time is the test server's and jumps for every test
 * that waits, so tests never overlap. A file that cannot be read is reported and the rest still runs.
 */
export async function runSuites(rig: Rig, sources: readonly SuiteSource[], options: RunOptions = {}): Promise<RunReport> {
  const started = Date.now();
  const suites: Suite[] = [];
  const errors: FileError[] = [];
  for (const source of sources) {
    try {
      suites.push(source.load());
    } catch (err) {
      if (!(err instanceof FlowTestFileError)) throw err;
      errors.push({ file: source.file, problems: err.problems });
    }
  }
  const total = suites.reduce((n, s) => n + s.spec.tests.length, 0);
  const tests: TestOutcome[] = [];
  const walks = new Map<string, { definition: FlowDefinition; walks: Walk[] }>();
  const walksOf = (file: string, definition: FlowDefinition) => {
    const entry = walks.get(file) ?? { definition, walks: [] };
    walks.set(file, entry);
    return entry.walks;
  };
  for (const suite of suites) {
    const own = walksOf(suite.flowFile, suite.definition);
    // A subflow's coverage is its own file's, whichever parent ran it.
    const subflows = new Map((suite.subflows ?? []).map((s) => [s.sid, walksOf(s.file, s.definition)]));
    for (const test of suite.spec.tests) {
      options.onTest?.(tests.length, total, suite, test.name);
      const outcome = await runTest(rig, suite, test, options.limits ?? DEFAULT_RUN_LIMITS);
      tests.push(outcome);
      own.push(outcome.walk);
      for (const { flowSid, walk } of outcome.subflowWalks) subflows.get(flowSid)?.push(walk);
      options.onOutcome?.(outcome);
    }
  }
  const coverage = [...walks].map(([flow, { definition, walks: w }]) => ({ flow, ...coverageOf(definition, w) }));
  const passed = tests.filter((t) => t.passed).length;
  return { tests, errors, coverage, summary: { passed, failed: tests.length - passed, errors: errors.length, total: tests.length, durationMs: Date.now() - started } };
}
