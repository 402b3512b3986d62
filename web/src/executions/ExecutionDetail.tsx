import { useCallback, useEffect, useState } from 'react';
import type { ContextResource, ExecutionResource, StepResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { endExecution, executionPathOf, fetchSteps, pathOfExecution } from './api';
import { formatDate } from './format';
import { JsonView } from './JsonView';
import { orderSteps } from './path';
import { useAlive, usePoll } from './poll';
import { StepList } from './StepList';

/** How often an open, active execution is read again while the panel shows it. */
const ACTIVE_REFRESH_MS = 2000;

/** One execution: its path on the canvas, its steps (each with its context), its context, End. */
export function ExecutionDetail({ ctx, sid, onClose, onChanged }: { ctx: EditorContext; sid: string; onClose: () => void; onChanged: () => void }) {
  const { api, flow, definition, showPath } = ctx;
  const [execution, setExecution] = useState<ExecutionResource>();
  const [steps, setSteps] = useState<StepResource[]>([]);
  const [context, setContext] = useState<Record<string, unknown>>();
  const [error, setError] = useState<string>();
  const alive = useAlive();

  const refresh = useCallback(async () => {
    try {
      const base = executionPathOf(flow.sid, sid);
      const [next, list] = await Promise.all([api.get<ExecutionResource>(base), fetchSteps(api, flow.sid, sid)]);
      const path = await pathOfExecution(api, flow, definition, next, list);
      if (!alive.current) return;
      setExecution(next);
      setSteps(orderSteps(list));
      showPath(path);
      setError(undefined);
      // The context comes from the workflow itself, which may not answer (503): the rest still shows.
      const read = await api.get<ContextResource>(`${base}/Context`).catch(() => undefined);
      if (alive.current && read) setContext(read.context);
    } catch (err) {
      if (alive.current) setError(describe(err));
    }
  }, [api, flow, definition, sid, showPath, alive]);

  useEffect(() => void refresh(), [refresh]);
  usePoll(refresh, execution?.status === 'active' ? ACTIVE_REFRESH_MS : undefined);

  const end = async () => {
    try {
      await endExecution(api, flow.sid, sid);
      await refresh();
      onChanged();
    } catch (err) {
      setError(describe(err));
    }
  };

  const close = () => {
    showPath(undefined);
    onClose();
  };

  return (
    <section className="execution-detail" aria-label="Execution">
      <header>
        <h2 title={sid}>Execution</h2>
        {execution?.status === 'active' && <button type="button" className="danger" onClick={() => void end()}>End execution</button>}
        <button type="button" className="link" onClick={close} aria-label="Close execution">×</button>
      </header>
      {error && <p className="error" role="alert">{error}</p>}
      {execution && (
        <dl className="execution-facts">
          <dt>SID</dt><dd><code>{execution.sid}</code></dd>
          <dt>Contact</dt><dd>{execution.contact_channel_address}</dd>
          <dt>Status</dt><dd><span className={`exec-status ${execution.status}`}>{execution.status}</span></dd>
          <dt>Started</dt><dd>{formatDate(execution.date_created)}</dd>
          <dt>Revision</dt><dd>{execution.flow_version}{execution.flow_version !== flow.revision ? ' (not the one being edited: shown read-only)' : ''}</dd>
        </dl>
      )}
      <h3>Steps</h3>
      <StepList ctx={ctx} sid={sid} steps={steps} />
      {context && <JsonView title="Execution context" value={context} open={false} />}
    </section>
  );
}
