import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { cli as runCli, ROOT } from '../helpers/cli';
import { FLOWTEST_FIXTURES, testServerPath } from '../helpers/flowtests';

/**
 * `open-studio test` as users run it: the package's bin, a folder of test files, the report on
 * stdout, JUnit XML that validates against the schema CI systems read, and a project that only
 * installed the package from its path.
 */
const run = promisify(execFile);
const root = ROOT;
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flowtest-cli-'));
const JUNIT_XSD = path.join(root, 'test', 'fixtures', 'junit', 'junit-10.xsd');

let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  // Found or installed once here, so every run below finds it the same way.
  env = { ...process.env, TEMPORAL_TEST_SERVER_PATH: await testServerPath() };
}, 300_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const cli = (args: string[], cwd = root) => runCli(args, { cwd, env });

function validJunit(file: string): string {
  // xmllint exits non-zero (and says why) when the document does not validate.
  return execFileSync('xmllint', ['--noout', '--schema', JUNIT_XSD, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

it('says what it does in --help', async () => {
  const top = await cli(['--help']);
  expect(top.stdout).toMatch(/Usage: open-studio/);
  expect(top.stdout).toMatch(/test \[options\] \[paths\.\.\.\]/);
  const test = await cli(['test', '--help']);
  for (const option of ['--junit <file>', '--json <file>', '--min-coverage <percent>', '--step-timeout <ms>', '--test-timeout <ms>', '--max-wait <seconds>', 'TEMPORAL_TEST_SERVER_PATH']) expect(test.stdout).toContain(option);
});

it('runs a folder of tests, prints paths and coverage, writes JUnit and JSON', async () => {
  const junit = path.join(scratch, 'pass.xml');
  const json = path.join(scratch, 'pass.json');
  const result = await cli(['test', FLOWTEST_FIXTURES, '--junit', junit, '--json', json]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toContain('✓ sales is dialled');
  expect(result.stdout).toMatch(/Trigger → menu → route → lookup → support/);
  expect(result.stdout).toMatch(/menu\.json {2}widgets 7\/7 \(100 %\) {2}transitions 7\/9 \(77 %\)/);
  expect(result.stdout).toMatch(/Tests: 7 passed, 0 failed, 7 total/);
  expect(validJunit(junit)).toBe('');
  const report = JSON.parse(fs.readFileSync(json, 'utf8'));
  expect(report.summary).toMatchObject({ passed: 7, failed: 0, total: 7 });
  expect(report.coverage.map((c: { flow: string }) => path.basename(c.flow)).sort()).toEqual(['menu.json', 'survey.json']);
}, 120_000);

it('exits 1 on a broken flow, with the diverging step in the report and in valid JUnit XML', async () => {
  const dir = path.join(scratch, 'broken');
  fs.mkdirSync(dir);
  const flow = JSON.parse(fs.readFileSync(path.join(FLOWTEST_FIXTURES, 'menu.json'), 'utf8'));
  // The edit that breaks it: "1" goes to the support lookup instead of sales.
  flow.states.find((s: { name: string }) => s.name === 'route').transitions[1].next = 'lookup';
  fs.writeFileSync(path.join(dir, 'menu.json'), JSON.stringify(flow, null, 2));
  fs.copyFileSync(path.join(FLOWTEST_FIXTURES, 'menu.flowtest.yaml'), path.join(dir, 'menu.flowtest.yaml'));
  const junit = path.join(scratch, 'broken.xml');
  const result = await cli(['test', dir, '--junit', junit]);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('✗ sales is dialled');
  expect(result.stdout).toContain('at step 3: expect: {"dial":"+15550002222"}');
  expect(result.stdout).toContain('expected: +15550002222');
  expect(result.stdout).toContain('actual:   (no dial; instead: GET https://api.example.com/queue?caller=%2B15550001111 | says: You are number 3 in line.)');
  expect(result.stdout).toMatch(/Tests: 2 passed, 1 failed, 3 total/);
  expect(validJunit(junit)).toBe('');
  const xml = fs.readFileSync(junit, 'utf8');
  expect(xml).toMatch(/<testsuites name="open-studio flow tests" tests="3" failures="1" errors="0"/);
  expect(xml).toMatch(/<testcase name="sales is dialled" classname="[^"]*menu" time="[\d.]+">\s*<failure message="expected a dial, but there was none \(the execution has ended\)" type="FlowTestFailure">/);
}, 120_000);

it('fails below --min-coverage, and reports a bad file with its line while the others run', async () => {
  const dir = path.join(scratch, 'mixed');
  fs.mkdirSync(dir);
  for (const f of ['menu.json', 'menu.flowtest.yaml', 'survey.json']) fs.copyFileSync(path.join(FLOWTEST_FIXTURES, f), path.join(dir, f));
  fs.writeFileSync(path.join(dir, 'bad.flowtest.yaml'), 'flow: ./survey.json\ntests:\n  - name: typo\n    trigger: { message: hi }\n    steps:\n      - expcet: { message: hi }\n');
  const result = await cli(['test', dir, '--min-coverage', '90'], scratch);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('✗ mixed/bad.flowtest.yaml could not run:\n    mixed/bad.flowtest.yaml:6: tests[0].steps[0].expcet: unknown key "expcet"');
  expect(result.stdout).toMatch(/Tests: 3 passed, 0 failed, 1 file with errors, 3 total/);
  expect(result.stdout).toMatch(/Coverage of mixed\/menu\.json is 66 %, under --min-coverage 90 %/);
}, 120_000);

it('works in a project that only installed the package from its path', async () => {
  const project = path.join(scratch, 'project');
  fs.mkdirSync(project);
  for (const f of ['survey.json', 'survey.flowtest.yaml']) fs.copyFileSync(path.join(FLOWTEST_FIXTURES, f), path.join(project, f));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', root], { cwd: project, env, stdio: 'pipe' });
  const { stdout } = await run('npx', ['--no-install', 'open-studio', 'test'], { cwd: project, env, timeout: 120_000 });
  expect(stdout).toMatch(/survey\.flowtest\.yaml\n {2}✓ answers with the name/);
  expect(stdout).toMatch(/Tests: 3 passed, 0 failed, 3 total/);
}, 300_000);
