import type { FlowIssue } from '../../../src/flow/issues';
import type { EditorContext } from '../editor/context';
import { widgetNameOf } from './issues';
import { ConcurrentCalls } from './TriggerSettings';

/** What the Inspector shows with no widget selected: the flow's own settings and every problem. */
export function FlowSettings({ ctx }: { ctx: EditorContext }) {
  const { definition } = ctx;
  return (
    <div className="insp-flow">
      <h3>Flow settings</h3>
      <label>
        <span className="insp-caption">Description</span>
        <input type="text" value={definition.description ?? ''} onChange={(e) => ctx.edit({ ...definition, description: e.target.value }, 'description')} />
      </label>
      <ConcurrentCalls ctx={ctx} />
      <Problems ctx={ctx} />
    </div>
  );
}

/** Every error and warning of the flow; one about a widget selects it. */
function Problems({ ctx }: { ctx: EditorContext }) {
  const { errors, warnings } = ctx.validation;
  const all = [...errors.map((issue) => ({ issue, severity: 'error' as const })), ...warnings.map((issue) => ({ issue, severity: 'warning' as const }))];
  return (
    <section className="insp-problems" aria-label="Problems">
      <h3>Problems ({all.length})</h3>
      {all.length === 0 ? (
        <p className="insp-muted">No errors or warnings.</p>
      ) : (
        <ul>
          {all.map(({ issue, severity }, i) => (
            <li key={i} className={severity}>
              <ProblemItem ctx={ctx} issue={issue} severity={severity} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ProblemItem({ ctx, issue, severity }: { ctx: EditorContext; issue: FlowIssue; severity: 'error' | 'warning' }) {
  const name = widgetNameOf(ctx.definition, issue.property_path);
  const text = (
    <>
      <span className="insp-severity">{severity}</span> {name && <strong>{name}</strong>} {issue.message}
    </>
  );
  if (!name) return <span title={issue.property_path}>{text}</span>;
  return (
    <button type="button" className="link insp-problem" title={issue.property_path} onClick={() => ctx.select(name)}>
      {text}
    </button>
  );
}
