import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSuite } from '../../src/flowtest/load';
import { formatOutcome } from '../../src/flowtest/report';
import { startRig, type Rig } from '../../src/flowtest/rig';
import { runSuites } from '../../src/flowtest/suite-run';
import { FLOWTEST_FIXTURES, testServerPath } from '../helpers/flowtests';
import { workflowBundle } from '../helpers/temporal';

/**
 * The runner on the real workflow and the time-skipping test server: the fixtures pass, and a
 * flow that goes wrong, a request without a mock and a test that runs too long each fail with
 * a report that says where and why.
 */
let rig: Rig;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowtest-runs-'));

beforeAll(async () => {
  rig = await startRig(await testServerPath(), { workflowBundle: await workflowBundle() });
}, 120_000);
afterAll(async () => {
  await rig?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const source = (file: string) => ({ file: path.basename(file), load: () => loadSuite(file, path.basename(file)) });

/** A copy of a fixture pair in the scratch folder, with the flow changed by `edit`. */
function variant(name: string, edit: (flow: { states: { name: string; transitions: { event: string; next?: string }[] }[] }) => void, tests?: string): string {
  const flow = JSON.parse(fs.readFileSync(path.join(FLOWTEST_FIXTURES, `${name}.json`), 'utf8'));
  edit(flow);
  fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(flow, null, 2));
  const file = path.join(dir, `${name}.flowtest.yaml`);
  fs.writeFileSync(file, tests ?? fs.readFileSync(path.join(FLOWTEST_FIXTURES, `${name}.flowtest.yaml`), 'utf8'));
  return file;
}

it('passes the fixtures: messages, calls, REST, a 7-day wait, HTTP mocks', async () => {
  const report = await runSuites(rig, ['survey', 'menu'].map((n) => source(path.join(FLOWTEST_FIXTURES, `${n}.flowtest.yaml`))));
  expect(report.tests.filter((t) => !t.passed).map(formatOutcome)).toEqual([]);
  expect(report.summary).toMatchObject({ passed: 6, failed: 0, errors: 0 });
  const menu = report.coverage.find((c) => c.flow.endsWith('menu.json'))!;
  expect(menu.widgets).toMatchObject({ covered: 7, total: 7, percent: 100 });
  expect(menu.transitions).toMatchObject({ covered: 6, total: 9, percent: 66 });
  expect(menu.transitions.missed.map((t) => `${t.from}.${t.event}`)).toEqual(['menu.speech', 'route.noMatch', 'lookup.failed']);
}, 120_000);

it('fails a flow that routes "1" to the wrong widget at the step that diverged, expected against actual', async () => {
  const file = variant('menu', (flow) => {
    const route = flow.states.find((s) => s.name === 'route')!;
    route.transitions[1]!.next = 'lookup';
  });
  const report = await runSuites(rig, [source(file)]);
  const sales = report.tests.find((t) => t.name === 'sales is dialled')!;
  expect(sales.passed).toBe(false);
  expect(sales.failure).toMatchObject({ step: 2, description: 'expect: {"dial":"+15550002222"}', expected: '+15550002222', actual: '(no dial; instead: GET https://api.example.com/queue?caller=%2B15550001111 | says: You are number 3 in line.)' });
  expect(sales.path).toEqual(['Trigger', 'menu', 'route', 'lookup', 'support']);
  const text = formatOutcome(sales);
  expect(text).toContain('at step 3: expect: {"dial":"+15550002222"}');
  expect(text).toContain('conversation so far:\n        → calls from +15550001111\n        ← says: Press 1 for sales, 2 for support.\n        → presses 1');
  // The other tests do not depend on the broken route.
  expect(report.tests.filter((t) => t.passed).map((t) => t.name)).toEqual(['support looks the caller up', 'silence says goodbye']);
}, 120_000);

it('fails a test whose flow makes a request no mock answers, naming it', async () => {
  const tests = ['flow: ./menu.json', 'tests:', '  - name: no mock', '    trigger: { call: {} }', '    steps:', '      - press: "2"', '      - expect: { say: /number/ }'].join('\n');
  const report = await runSuites(rig, [source(variant('menu', () => undefined, tests))]);
  expect(report.tests[0]!.failure).toMatchObject({
    step: 1,
    message: 'the flow made an HTTP request no mock matches (tests never reach the network): GET https://api.example.com/queue?caller=%2B15550001111',
  });
}, 120_000);

it('stops a test at the named limit', async () => {
  const report = await runSuites(rig, [source(path.join(FLOWTEST_FIXTURES, 'survey.flowtest.yaml'))], { limits: { stepTimeoutMs: 15_000, testTimeoutMs: 1, maxWaitSeconds: 86_400 } });
  expect(report.tests[0]!.failure?.message).toBe('the test did not finish within 1 ms (the test timeout, --test-timeout)');
  const survey = await runSuites(rig, [source(path.join(FLOWTEST_FIXTURES, 'survey.flowtest.yaml'))], { limits: { stepTimeoutMs: 15_000, testTimeoutMs: 60_000, maxWaitSeconds: 86_400 } });
  expect(survey.tests[1]!.failure?.message).toBe('wait: 604800 s is over the 86400 s limit (--max-wait)');
}, 120_000);
