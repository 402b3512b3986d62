import { useCallback, useEffect, useState } from 'react';
import type { ExecutionResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { executionPathOf, fetchSteps, pathOfExecution } from '../executions/api';
import { formatDate } from '../executions/format';
import { usePoll } from '../executions/poll';
import { describe } from '../ui/errors';
import { runsPath, type ScheduleRun } from './schedules';

/** How often an open list of runs is read: a run started now shows within this. */
const POLL_MS = 2_000;
/** The runs shown: the recent ones are what a user checks ("did this morning's run go?"). */
const RECENT = 20;

/** A schedule's recent runs, newest first: when, what each started (or why not). */
export function ScheduleRuns({ ctx, sid }: { ctx: EditorContext; sid: string }) {
  const { api, flow } = ctx;
  const [runs, setRuns] = useState<ScheduleRun[]>();
  const [error, setError] = useState<string>();
  const reload = useCallback(async () => {
    try {
      setRuns((await api.get<{ runs: ScheduleRun[] }>(runsPath(flow.sid, sid), { PageSize: RECENT })).runs);
      setError(undefined);
    } catch (err) {
      setError(describe(err));
    }
  }, [api, flow.sid, sid]);
  useEffect(() => void reload(), [reload]);
  usePoll(reload, POLL_MS);

  if (error) return <p className="error" role="alert">{error}</p>;
  if (!runs) return <p className="loading">Loading runs…</p>;
  if (runs.length === 0) return <p className="hint">No run yet.</p>;
  return (
    <table className="schedule-runs" aria-label={`Runs of ${sid}`}>
      <tbody>
        {runs.map((r) => (
          <tr key={`${r.scheduled_at}/${r.started_at}`} data-testid="schedule-run" className={r.outcome}>
            <td title={`due ${formatDate(r.scheduled_at)}`}>{formatDate(r.started_at)}</td>
            <td><Started ctx={ctx} run={r} /></td>
            <td><span className={`outcome ${r.outcome}`}>{r.outcome}</span>{r.reason ? ` (${r.reason})` : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a run started: an execution (its path can be drawn on the canvas) or a campaign (see Campaigns). */
function Started({ ctx, run }: { ctx: EditorContext; run: ScheduleRun }) {
  const [error, setError] = useState<string>();
  if (run.execution_sid) {
    const show = async () => {
      try {
        setError(undefined);
        const sid = run.execution_sid!;
        const [execution, steps] = await Promise.all([ctx.api.get<ExecutionResource>(executionPathOf(ctx.flow.sid, sid)), fetchSteps(ctx.api, ctx.flow.sid, sid)]);
        ctx.showPath(await pathOfExecution(ctx.api, ctx.flow, ctx.definition, execution, steps));
      } catch (err) {
        setError(describe(err));
      }
    };
    return (
      <>
        <code className="execution-sid">{run.execution_sid}</code>{' '}
        <button type="button" className="link" onClick={() => void show()} aria-label={`Show the path of ${run.execution_sid}`}>path</button>
        {error && <span className="error"> {error}</span>}
      </>
    );
  }
  if (run.campaign_sid) return <><code className="campaign-sid" title="See the Campaigns tab">{run.campaign_sid}</code> (campaign)</>;
  return <span className="hint">{run.target === 'campaign' ? 'no campaign' : 'no execution'}</span>;
}
