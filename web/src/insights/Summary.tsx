import type { ExecutionSummary } from './api';

/** The scope's executions: started, active now, ended (by Studio's ended reason), by trigger. */
export function Summary({ executions }: { executions: ExecutionSummary }) {
  const reasons = Object.entries(executions.ended_by).sort(([, a], [, b]) => b - a);
  const triggers = Object.entries(executions.by_trigger).sort(([, a], [, b]) => b - a);
  return (
    <section className="insights-summary" aria-label="Executions summary">
      <h3>Executions</h3>
      <dl className="insights-totals">
        <div><dt>Started</dt><dd data-testid="insights-started">{executions.started}</dd></div>
        <div><dt>Active</dt><dd data-testid="insights-active">{executions.active}</dd></div>
        <div><dt>Ended</dt><dd data-testid="insights-ended">{executions.ended}</dd></div>
      </dl>
      {reasons.length > 0 && (
        <ul className="insights-breakdown" aria-label="Ended by reason">
          <li className="caption">Ended by</li>
          {reasons.map(([reason, n]) => <li key={reason}><code>{reason}</code> <span>{n}</span></li>)}
        </ul>
      )}
      {triggers.length > 0 && (
        <ul className="insights-breakdown" aria-label="Started by trigger">
          <li className="caption">Started by</li>
          {triggers.map(([trigger, n]) => <li key={trigger}>{trigger} <span>{n}</span></li>)}
        </ul>
      )}
    </section>
  );
}
