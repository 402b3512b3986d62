import { useCallback, useEffect, useState } from 'react';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { coveragePath, type RunCoverage } from './coverage';
import './tests.css';

/** `GET /v2/Flows/{FlowSid}/Tests`. */
export interface TestsResource {
  readonly flow_sid: string;
  readonly revision: number;
  readonly tests: string | null;
}

interface TestResult {
  readonly name: string;
  readonly passed: boolean;
  readonly duration_ms: number;
  readonly path: readonly string[];
  readonly failure: { readonly step: number; readonly description: string; readonly message: string; readonly expected?: string; readonly actual?: string } | null;
  readonly transcript: readonly Record<string, unknown>[];
}

interface RunReport {
  readonly revision: number;
  readonly summary: { readonly passed: number; readonly failed: number; readonly errors: number; readonly total: number; readonly duration_ms: number };
  readonly tests: readonly TestResult[];
  readonly errors: readonly { readonly line: number; readonly key: string; readonly message: string }[];
  readonly coverage: RunCoverage | null;
}

export const testsPath = (sid: string) => `/v2/Flows/${sid}/Tests`;

const EXAMPLE = `tests:
  - name: says hello
    trigger: { message: "hi" }
    steps:
      - expect: { message: /hello/i }
      - expect: { ended: true }
`;

/**
 * The flow's tests: the `*.flowtest.yaml` text kept with the flow (each save is a revision), a
 * run on the server's time-skipping test server, the results with the step that failed, and the
 * run's coverage drawn on the canvas.
 */
export function TestsPanel({ ctx, reloadKey }: { ctx: EditorContext; reloadKey: number }) {
  const { api, flow } = ctx;
  const [saved, setSaved] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [report, setReport] = useState<RunReport>();
  const [busy, setBusy] = useState<'save' | 'run'>();
  const [error, setError] = useState<string>();
  const [problems, setProblems] = useState<readonly { line: number; key: string; message: string }[]>([]);

  const load = useCallback(async () => {
    const resource = await api.get<TestsResource>(testsPath(flow.sid));
    setSaved(resource.tests);
    setText(resource.tests ?? '');
  }, [api, flow.sid]);
  useEffect(() => {
    load().catch((err: unknown) => setError(describe(err)));
  }, [load, reloadKey]);

  const fail = (err: unknown) => {
    setError(describe(err));
    const details = (err as { details?: { problems?: { line: number; key: string; message: string }[] } }).details;
    setProblems(details?.problems ?? []);
  };

  const save = async () => {
    setBusy('save');
    setError(undefined);
    setProblems([]);
    try {
      const resource = await api.post<TestsResource>(testsPath(flow.sid), { Tests: text });
      setSaved(resource.tests);
      // The tests made a revision with the saved definition: the toolbar shows it. Unsaved canvas
      // edits stay as they are (they are not in that revision either).
      if (!ctx.dirty) ctx.loaded({ ...(await api.get<typeof flow>(`/v2/Flows/${flow.sid}`)), definition: flow.definition });
    } catch (err) {
      fail(err);
    } finally {
      setBusy(undefined);
    }
  };

  const run = async () => {
    setBusy('run');
    setError(undefined);
    setProblems([]);
    try {
      const result = await api.post<RunReport>(`${testsPath(flow.sid)}/Runs`, { Tests: text });
      setReport(result);
      if (result.coverage) ctx.showPath(coveragePath(result.coverage, ctx.definition));
    } catch (err) {
      fail(err);
    } finally {
      setBusy(undefined);
    }
  };

  const unsaved = text !== (saved ?? '');
  return (
    <div className="tests-panel">
      <p className="muted">
        Conversations this flow must hold, run on the latest saved revision{ctx.dirty ? ' (save the draft to test your changes)' : ''} with virtual time: a <code>wait: 7d</code> takes milliseconds.
      </p>
      <textarea aria-label="Tests (YAML)" className="tests-text" spellCheck={false} value={text} placeholder={EXAMPLE} onChange={(e) => setText(e.target.value)} rows={16} />
      <div className="tests-actions">
        <button type="button" onClick={() => void save()} disabled={busy !== undefined || !unsaved}>Save tests</button>
        <button type="button" className="primary" onClick={() => void run()} disabled={busy !== undefined || text.trim() === ''}>{busy === 'run' ? 'Running…' : 'Run tests'}</button>
        {unsaved && <span className="muted">unsaved</span>}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {problems.length > 0 && (
        <ul className="tests-problems">
          {problems.map((p, i) => <li key={i}>line {p.line}{p.key ? ` · ${p.key}` : ''}: {p.message}</li>)}
        </ul>
      )}
      {report && <Results report={report} />}
    </div>
  );
}

function Results({ report }: { report: RunReport }) {
  const { summary, coverage } = report;
  return (
    <section className="tests-results" aria-label="Test results">
      <p data-testid="tests-summary" className={summary.failed || summary.errors ? 'tests-red' : 'tests-green'}>
        {summary.passed} passed, {summary.failed} failed{summary.errors ? `, ${summary.errors} problems in the file` : ''} · revision {report.revision} · {(summary.duration_ms / 1000).toFixed(1)} s
      </p>
      {coverage && (
        <p data-testid="tests-coverage">
          Coverage: widgets {coverage.widgets.covered}/{coverage.widgets.total} ({coverage.widgets.percent} %), transitions {coverage.transitions.covered}/{coverage.transitions.total} ({coverage.transitions.percent} %) — shown on the canvas
        </p>
      )}
      {report.errors.map((e, i) => <p key={i} className="error">line {e.line}{e.key ? ` · ${e.key}` : ''}: {e.message}</p>)}
      <ol className="tests-list">
        {report.tests.map((t) => (
          <li key={t.name} data-testid="test-result" className={t.passed ? 'passed' : 'failed'}>
            <strong>{t.passed ? '✓' : '✗'} {t.name}</strong> <span className="muted">{t.path.join(' → ')}</span>
            {t.failure && (
              <div className="tests-failure">
                <div>at {t.failure.step < 0 ? 'the trigger' : `step ${t.failure.step + 1}`}: <code>{t.failure.description}</code></div>
                <div>{t.failure.message}</div>
                {t.failure.expected !== undefined && <div>expected: <code data-testid="expected">{t.failure.expected}</code></div>}
                {t.failure.actual !== undefined && <div>actual: <code data-testid="actual">{t.failure.actual}</code></div>}
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
