import { useEffect, useState } from 'react';
import type { ApiClient, Params } from '../api/client';
import { formatDate } from '../executions/format';
import { describe } from '../ui/errors';
import { fetchExecutionsAt, LISTED_EXECUTIONS, type ExecutionAtWidget, type WaitRow, type WidgetState } from './api';
import { percent, type WidgetInsight } from './stats';

interface WidgetExecutionsProps {
  readonly api: ApiClient;
  readonly flowSid: string;
  readonly widget: string;
  readonly insight: WidgetInsight;
  readonly wait: WaitRow | undefined;
  readonly query: Params;
  readonly version: number;
  readonly open: string | undefined;
  readonly onOpen: (sid: string) => void;
}

/** The widget picked on the canvas: its counts, its wait times, the executions waiting there and ended there. */
export function WidgetExecutions({ api, flowSid, widget, insight, wait, query, version, open, onOpen }: WidgetExecutionsProps) {
  const [lists, setLists] = useState<{ widget: string; waiting: ExecutionAtWidget[]; ended: ExecutionAtWidget[] }>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const read = (state: WidgetState) => fetchExecutionsAt(api, flowSid, query, widget, state);
    Promise.all([read('waiting'), read('ended')]).then(
      ([waiting, ended]) => {
        if (!live) return;
        setLists({ widget, waiting, ended });
        setError(undefined);
      },
      (err: unknown) => live && setError(describe(err)),
    );
    return () => {
      live = false;
    };
  }, [api, flowSid, query, widget, version]);

  // The lists of the widget picked before stay out of view until this one's come.
  const shown = lists?.widget === widget ? lists : undefined;
  return (
    <section className="insights-widget" aria-label={`Widget ${widget}`} data-testid="insights-widget">
      <h3>Widget {widget}</h3>
      <p className="insights-line">
        Reached {insight.reached} · waiting {insight.waiting} · ended {insight.ended}
        {insight.dropOff !== null ? ` · drop-off ${percent(insight.dropOff)}` : ''}
      </p>
      {wait && (
        <p className="insights-line" data-testid="insights-wait">
          Replies {wait.replies} · timeouts {wait.timeouts} ({percent(wait.timeout_rate)})
          {wait.median_reply_ms !== null ? ` · median reply ${seconds(wait.median_reply_ms)}` : ''}
          {wait.p90_reply_ms !== null ? ` · p90 ${seconds(wait.p90_reply_ms)}` : ''}
        </p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
      {!shown && !error && <p className="loading">Loading executions…</p>}
      {shown && (
        <>
          <ExecutionList title="Waiting here now" testId="waiting-executions" rows={shown.waiting} open={open} onOpen={onOpen} />
          <ExecutionList title="Ended here" testId="ended-executions" rows={shown.ended} open={open} onOpen={onOpen} />
        </>
      )}
    </section>
  );
}

function ExecutionList({ title, testId, rows, open, onOpen }: { title: string; testId: string; rows: readonly ExecutionAtWidget[]; open: string | undefined; onOpen: (sid: string) => void }) {
  return (
    <>
      <h4>{title} ({rows.length}{rows.length === LISTED_EXECUTIONS ? ', the newest' : ''})</h4>
      {rows.length === 0 ? (
        <p className="empty">None.</p>
      ) : (
        <ul className="execution-list" aria-label={title} data-testid={testId}>
          {rows.map((e) => (
            <li key={e.execution_sid}>
              <button type="button" data-testid="insight-execution" data-sid={e.execution_sid} className={`execution-row${e.execution_sid === open ? ' open' : ''}`} onClick={() => onOpen(e.execution_sid)} title={`Open ${e.execution_sid}`}>
                <code className="contact">{e.execution_sid}</code>
                <span className="date">{formatDate(e.started_at)}</span>
                <span className="version" title="The flow revision it ran">rev {e.revision}</span>
                {e.ended_reason && <span className="reason">{e.ended_reason}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
