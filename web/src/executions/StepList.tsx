import { useState } from 'react';
import type { ContextResource, StepResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { executionPathOf } from './api';
import { JsonView } from './JsonView';

/** The steps oldest first, numbered as the canvas badges are (subflow steps are not counted). */
export function StepList({ ctx, sid, steps }: { ctx: EditorContext; sid: string; steps: readonly StepResource[] }) {
  const [picked, setPicked] = useState<string>();
  const [context, setContext] = useState<{ step: string; value?: unknown; error?: string }>();

  const pick = async (step: StepResource) => {
    setPicked(step.sid);
    setContext({ step: step.sid });
    try {
      const read = await ctx.api.get<ContextResource>(`${executionPathOf(ctx.flow.sid, sid)}/Steps/${step.sid}/Context`);
      setContext({ step: step.sid, value: read.context });
    } catch (err) {
      setContext({ step: step.sid, error: describe(err) });
    }
    if (ctx.definition.states.some((s) => s.name === step.transitioned_to)) ctx.select(step.transitioned_to);
  };

  if (steps.length === 0) return <p className="empty">No steps yet.</p>;
  let number = 0;
  return (
    <ol className="step-list">
      {steps.map((step) => {
        const label = step.parent_step_sid ? '↳' : String(++number);
        return (
          <li key={step.sid}>
            <button type="button" data-testid="step-row" className={`step-row${picked === step.sid ? ' open' : ''}${step.parent_step_sid ? ' subflow' : ''}`} onClick={() => void pick(step)} title={step.sid}>
              <span className="step-no">{label}</span>
              <span className="step-move">{step.transitioned_from} → {step.transitioned_to}</span>
              <span className="step-event">{step.name}</span>
              <time dateTime={step.date_created}>{new Date(step.date_created).toLocaleTimeString()}</time>
            </button>
            {context?.step === step.sid && (
              <div className="step-context">
                {context.error && <p className="error" role="alert">{context.error}</p>}
                {context.value !== undefined ? <JsonView title={`Context after step ${label}`} value={context.value} /> : !context.error && <p className="loading">Loading context…</p>}
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
