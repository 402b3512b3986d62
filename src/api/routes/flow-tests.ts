import { z } from 'zod';
import { FlowTestFileError, type FileProblem } from '../../flowtest/parse';
import type { FlowTestService } from '../../flowtest/service';
import type { RunReport } from '../../flowtest/suite-run';
import type { FlowRecord } from '../../store/flow-store';
import { TestServerUnavailableError } from '../../temporal/test-server';
import { ApiError } from '../errors';
import { flowUrl } from '../resources/flows';
import { route, type RouteSpec } from '../route';
import { requireFlow, type FlowRouteDeps } from './flows';

/**
 * A flow's tests (our extension): a `*.flowtest.yaml` text kept on each revision, and runs of it
 * on the same runner as `open-studio test` — the editor's Tests panel and scripts call these.
 */
export interface FlowTestRouteDeps extends FlowRouteDeps {
  readonly tests: FlowTestService;
}

const testsResourceSchema = z.object({
  flow_sid: z.string(),
  revision: z.number().int(),
  tests: z.string().nullable().describe('The `*.flowtest.yaml` text (its `flow:` key is ignored: the tests run the revision)'),
  url: z.string(),
  links: z.object({ runs: z.string() }),
});

const ratio = z.object({ covered: z.number().int(), total: z.number().int(), percent: z.number().int() });
const runResourceSchema = z.object({
  flow_sid: z.string(),
  revision: z.number().int(),
  summary: z.object({ passed: z.number().int(), failed: z.number().int(), errors: z.number().int(), total: z.number().int(), duration_ms: z.number() }),
  tests: z.array(
    z.object({
      name: z.string(),
      passed: z.boolean(),
      duration_ms: z.number(),
      path: z.array(z.string()),
      failure: z.object({ step: z.number().int(), description: z.string(), message: z.string(), expected: z.string().optional(), actual: z.string().optional() }).nullable(),
      transcript: z.array(z.record(z.string(), z.unknown())),
    }),
  ),
  errors: z.array(z.object({ file: z.string(), line: z.number().int(), key: z.string(), message: z.string() })),
  coverage: z
    .object({
      widgets: ratio.extend({ missed: z.array(z.string()), hits: z.record(z.string(), z.number()) }),
      transitions: ratio.extend({ missed: z.array(z.object({ from: z.string(), event: z.string(), to: z.string() })), hits: z.record(z.string(), z.number()) }),
    })
    .nullable(),
});

function testsParam(service: FlowTestService) {
  return z.string().max(service.limits.maxBytes * 4, 'too long');
}

export function flowTestRoutes(deps: FlowTestRouteDeps): RouteSpec<never>[] {
  const resource = (flow: FlowRecord) => ({
    flow_sid: flow.sid,
    revision: flow.revision,
    tests: flow.latest.tests ?? null,
    url: `${flowUrl(deps, flow.sid)}/Tests`,
    links: { runs: `${flowUrl(deps, flow.sid)}/Tests/Runs` },
  });
  return [
    route({
      method: 'get',
      path: '/v2/Flows/:FlowSid/Tests',
      operationId: 'FetchFlowTests',
      summary: "Fetch the tests kept with the flow's latest revision (our extension)",
      tag: 'Flow Tests',
      response: { status: 200, description: 'The tests', schema: testsResourceSchema },
      errors: [401, 404],
      handle: async ({ path, account }) => ({ status: 200, body: resource(await requireFlow(deps.store, account.accountSid, path.FlowSid)) }),
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Tests',
      operationId: 'UpdateFlowTests',
      summary: 'Keep these tests with the flow: a new revision with the same definition and status (our extension)',
      tag: 'Flow Tests',
      input: z.looseObject({ Tests: testsParam(deps.tests), CommitMessage: z.string().max(deps.limits.maxCommitMessageLength).optional() }),
      response: { status: 200, description: 'The tests, on the new revision', schema: testsResourceSchema },
      errors: [400, 401, 404],
      handle: async ({ input, path, account }) => {
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        const tests = input.Tests.trim() === '' ? null : input.Tests;
        if (tests !== null) checked(() => deps.tests.check(tests));
        const saved = await deps.flows.update(account.accountSid, flow.sid, { status: flow.status, tests, commitMessage: input.CommitMessage ?? 'Tests updated' });
        if (!saved) throw ApiError.notFound(`/v2/Flows/${flow.sid}/Tests`);
        return { status: 200, body: resource(saved) };
      },
    }),
    route({
      method: 'post',
      path: '/v2/Flows/:FlowSid/Tests/Runs',
      operationId: 'CreateFlowTestRun',
      summary: "Run the flow's tests (or the `Tests` given) on a revision, on the time-skipping test server; answers with the report (our extension)",
      tag: 'Flow Tests',
      input: z.looseObject({
        Tests: testsParam(deps.tests).optional().describe('Run this test text instead of the kept one (unsaved edits)'),
        Revision: z.coerce.number().int().positive().optional().describe('The revision to test (default: the latest)'),
      }),
      response: { status: 200, description: 'The run: every test, file problems, coverage', schema: runResourceSchema },
      errors: [400, 401, 404, 503],
      handle: async ({ input, path, account }) => {
        const flow = await requireFlow(deps.store, account.accountSid, path.FlowSid);
        const revision = input.Revision === undefined ? flow.latest : await deps.store.getRevision(flow.sid, input.Revision);
        if (!revision) throw ApiError.notFound(`/v2/Flows/${flow.sid}/Revisions/${input.Revision ?? ''}`);
        const tests = input.Tests ?? revision.tests ?? null;
        if (tests === null || tests.trim() === '') throw new ApiError(400, 20001, `Revision ${revision.revision} of ${flow.sid} has no tests: give Tests, or keep some with POST /v2/Flows/${flow.sid}/Tests`);
        checked(() => deps.tests.check(tests));
        const report = await deps.tests.run(JSON.stringify(revision.definition), tests).catch((err: unknown) => {
          // No test server on this machine and none installable: say what to install.
          if (err instanceof TestServerUnavailableError) throw new ApiError(503, 20503, err.message);
          throw err;
        });
        return { status: 200, body: runResource(flow.sid, revision.revision, report) };
      },
    }),
  ] as RouteSpec<never>[];
}

/** A test file's problems are the caller's: 400 with every problem, its line and key. */
function checked(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (!(err instanceof FlowTestFileError)) throw err;
    const first = err.problems[0];
    throw new ApiError(400, 20001, `Invalid Tests: ${first ? describe(first) : err.message}`, { problems: err.problems.map((p) => ({ line: p.line, key: p.key, message: p.message })) });
  }
}

function describe(p: FileProblem): string {
  return `line ${p.line}${p.key ? `, ${p.key}` : ''}: ${p.message}`;
}

function runResource(flowSid: string, revision: number, report: RunReport) {
  const { summary } = report;
  const coverage = report.coverage[0];
  return {
    flow_sid: flowSid,
    revision,
    summary: { passed: summary.passed, failed: summary.failed, errors: summary.errors, total: summary.total, duration_ms: summary.durationMs },
    tests: report.tests.map((t) => ({ name: t.name, passed: t.passed, duration_ms: t.durationMs, path: [...t.path], failure: t.failure ?? null, transcript: t.transcript })),
    errors: report.errors.flatMap((e) => e.problems.map((p) => ({ file: p.file, line: p.line, key: p.key, message: p.message }))),
    coverage: coverage ? { widgets: coverage.widgets, transitions: coverage.transitions } : null,
  };
}
