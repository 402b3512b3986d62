import fs from 'node:fs';
import path from 'node:path';
import { startTestApi, type TestApi } from '../helpers/api';
import { FLOWTEST_FIXTURES } from '../helpers/flowtests';

/**
 * The flow-tests API (our extension): tests kept on a flow's revisions, and runs of them with
 * the same runner as `open-studio test`.
 */
let api: TestApi;
const menu = fs.readFileSync(path.join(FLOWTEST_FIXTURES, 'menu.json'), 'utf8');
const tests = fs.readFileSync(path.join(FLOWTEST_FIXTURES, 'menu.flowtest.yaml'), 'utf8');
let sid: string;

beforeAll(async () => {
  api = await startTestApi();
  const created = await api.request('/v2/Flows', { method: 'POST', form: { FriendlyName: 'Menu', Status: 'published', Definition: menu } });
  expect(created.status).toBe(201);
  sid = ((await created.json()) as { sid: string }).sid;
}, 60_000);
afterAll(() => api?.close());

interface RunBody {
  readonly tests: { readonly name: string; readonly path: string[] }[];
  readonly [key: string]: unknown;
}
const json = async <T = Record<string, unknown>>(response: Response) => ({ status: response.status, body: (await response.json()) as T });

it('has no tests until some are kept, then keeps them on a new revision with the same definition', async () => {
  expect(await json(await api.request(`/v2/Flows/${sid}/Tests`))).toMatchObject({ status: 200, body: { flow_sid: sid, revision: 1, tests: null, links: { runs: expect.stringMatching(/\/v2\/Flows\/FW[0-9a-f]{32}\/Tests\/Runs$/) } } });
  const saved = await json(await api.request(`/v2/Flows/${sid}/Tests`, { method: 'POST', form: { Tests: tests } }));
  expect(saved).toMatchObject({ status: 200, body: { revision: 2, tests } });
  const flow = await json(await api.request(`/v2/Flows/${sid}`));
  expect(flow.body).toMatchObject({ revision: 2, status: 'published', commit_message: 'Tests updated' });
  expect(flow.body.definition).toEqual(JSON.parse(menu));
  // A later save of the definition carries the tests forward.
  await api.request(`/v2/Flows/${sid}`, { method: 'POST', form: { Status: 'draft', Definition: menu } });
  expect((await json(await api.request(`/v2/Flows/${sid}/Tests`))).body).toMatchObject({ revision: 3, tests });
});

it('refuses a test file with a problem, naming its line and key, and keeps nothing', async () => {
  const bad = await json(await api.request(`/v2/Flows/${sid}/Tests`, { method: 'POST', form: { Tests: 'tests:\n  - name: x\n    trigger: { message: hi }\n    steps:\n      - expect: { mesage: hi }\n' } }));
  expect(bad).toMatchObject({ status: 400, body: { code: 20001, message: 'Invalid Tests: line 5, tests[0].steps[0].expect.mesage: unknown key "mesage"', details: { problems: [{ line: 5, key: 'tests[0].steps[0].expect.mesage' }] } } });
  expect((await json(await api.request(`/v2/Flows/${sid}/Tests`))).body.revision).toBe(3);
});

it('runs the kept tests and reports each, with coverage', async () => {
  const run = await json<RunBody>(await api.request(`/v2/Flows/${sid}/Tests/Runs`, { method: 'POST', form: {} }));
  expect(run.status).toBe(200);
  expect(run.body).toMatchObject({ flow_sid: sid, revision: 3, summary: { passed: 3, failed: 0, errors: 0, total: 3 }, errors: [] });
  expect(run.body.tests.map((t) => `${t.name}: ${t.path.join(' ')}`)).toEqual([
    'sales is dialled: Trigger menu route sales',
    'support looks the caller up: Trigger menu route lookup support',
    'silence says goodbye: Trigger menu goodbye',
  ]);
  expect(run.body.coverage).toMatchObject({ widgets: { covered: 7, total: 7, percent: 100 }, transitions: { covered: 6, total: 9, percent: 66 } });
}, 120_000);

it('runs unsaved tests, and a revision without tests says so', async () => {
  const unsaved = tests.replace('dial: "+15550002222"', 'dial: "+15550009999"');
  const run = await json<RunBody>(await api.request(`/v2/Flows/${sid}/Tests/Runs`, { method: 'POST', form: { Tests: unsaved } }));
  expect(run.body.summary).toMatchObject({ passed: 2, failed: 1 });
  expect(run.body.tests[0]).toMatchObject({ passed: false, failure: { step: 2, message: 'the dial differs', expected: '+15550009999', actual: '+15550002222' } });
  const none = await json(await api.request(`/v2/Flows/${sid}/Tests/Runs`, { method: 'POST', form: { Revision: '1' } }));
  expect(none).toMatchObject({ status: 400, body: { code: 20001, message: expect.stringContaining('Revision 1 of') } });
}, 120_000);

it('documents the routes in the OpenAPI document', async () => {
  const document = (await json<{ paths: Record<string, unknown> }>(await api.request('/openapi.json'))).body;
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v2/Flows/{FlowSid}/Tests', '/v2/Flows/{FlowSid}/Tests/Runs']));
});
