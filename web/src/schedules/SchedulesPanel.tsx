import { useCallback, useEffect, useState } from 'react';
import type { EditorContext } from '../editor/context';
import { formatDate } from '../executions/format';
import { usePoll } from '../executions/poll';
import { Modal } from '../ui/Modal';
import { describe } from '../ui/errors';
import { NewSchedule } from './NewSchedule';
import { ScheduleRuns } from './ScheduleRuns';
import { describeTarget, describeWhen, runsPath, schedulePath, schedulesPath, type ScheduleResource } from './schedules';
import './schedules.css';

/** How often the list is read while the panel is open: next runs move on, runs get missed. */
const POLL_MS = 3_000;

type Act = (sid: string, call: () => Promise<unknown>) => Promise<void>;

/**
 * Schedules of this flow: make one (one execution, or a campaign over a list, every N minutes or
 * on a cron expression), and for each see when it runs next, pause or resume it, run it now,
 * delete it, and read its recent runs.
 */
export function SchedulesPanel({ ctx }: { ctx: EditorContext }) {
  const { api, flow, showPath } = ctx;
  const [schedules, setSchedules] = useState<ScheduleResource[]>();
  const [error, setError] = useState<string>();
  const [deleting, setDeleting] = useState<ScheduleResource>();
  const reload = useCallback(async () => {
    try {
      setSchedules((await api.get<{ schedules: ScheduleResource[] }>(schedulesPath(flow.sid))).schedules);
    } catch (err) {
      setError(describe(err));
    }
  }, [api, flow.sid]);
  useEffect(() => void reload(), [reload]);
  usePoll(reload, POLL_MS);
  // A path a run drew on the canvas is this panel's: it goes when the panel does.
  useEffect(() => () => showPath(undefined), [showPath]);

  const act: Act = async (sid, call) => {
    try {
      setError(undefined);
      await call();
      await reload();
    } catch (err) {
      setError(describe(err));
    }
  };
  const remove = (s: ScheduleResource) => {
    setDeleting(undefined);
    void act(s.sid, () => api.delete(schedulePath(flow.sid, s.sid)));
  };

  return (
    <div className="schedules">
      <NewSchedule ctx={ctx} onCreated={() => void reload()} />
      {error && <p className="error" role="alert">{error}</p>}
      <h3>Schedules</h3>
      {!schedules ? <p className="loading">Loading schedules…</p> : schedules.length === 0 ? <p className="hint">No schedule of this flow yet.</p> : null}
      <ol className="schedule-list">
        {schedules?.map((s) => <ScheduleItem key={s.sid} ctx={ctx} schedule={s} act={act} onDelete={() => setDeleting(s)} />)}
      </ol>
      {deleting && (
        <Modal title="Delete schedule" onClose={() => setDeleting(undefined)}>
          <p>Delete “{deleting.friendly_name}”? It will not run again, and its runs are forgotten. What it already started carries on.</p>
          <footer>
            <span className="spacer" />
            <button type="button" onClick={() => setDeleting(undefined)}>Cancel</button>
            <button type="button" className="primary danger" onClick={() => remove(deleting)}>Delete</button>
          </footer>
        </Modal>
      )}
    </div>
  );
}

/** One schedule: what and when, its status and next run, its actions, its runs (folded). */
function ScheduleItem({ ctx, schedule: s, act, onDelete }: { ctx: EditorContext; schedule: ScheduleResource; act: Act; onDelete: () => void }) {
  const { api, flow } = ctx;
  const [open, setOpen] = useState(false);
  const status = (next: 'paused' | 'active') => act(s.sid, () => api.post(schedulePath(flow.sid, s.sid), { Status: next }));
  // Run now opens the runs: the run it starts is what the user wants to see next.
  const runNow = () => act(s.sid, async () => { await api.post(runsPath(flow.sid, s.sid)); setOpen(true); });
  const next = s.next_runs[0];
  return (
    <li data-testid="schedule" aria-label={s.friendly_name}>
      <div className="schedule-head">
        <strong className="name">{s.friendly_name}</strong>
        <span className={`status ${s.status}`}>{s.status}</span>
        <span className="spacer" />
        {s.status === 'active' ? <button type="button" onClick={() => void status('paused')}>Pause</button> : <button type="button" onClick={() => void status('active')}>Resume</button>}
        <button type="button" onClick={() => void runNow()}>Run now</button>
        <button type="button" className="danger" onClick={onDelete}>Delete</button>
      </div>
      <p className="summary">
        <span className="when">{describeWhen(s)}</span> · <span className="target">{describeTarget(s)}</span> · from {s.from}
      </p>
      <p className="summary">
        <span className="next-run" title={s.next_runs.map(formatDate).join('\n')}>{next ? `next ${formatDate(next)}` : s.status === 'paused' ? 'no next run (paused)' : 'no next run'}</span>
        {' · '}<span className="missed">{s.runs_missed} missed</span> · <code title={s.sid}>{s.sid.slice(0, 10)}…</code>
      </p>
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? 'Hide runs' : 'Show runs'}</button>
      {open && <ScheduleRuns ctx={ctx} sid={s.sid} />}
    </li>
  );
}
