import { useState } from 'react';
import type { FlowState } from '../../../src/flow/definition';
import { WIDGET_SPECS } from '../../../src/flow/widgets';
import type { EditorContext } from '../editor/context';
import { deleteState, duplicateState, nameProblem, renameState } from '../editor/definition-ops';

/**
 * The widget's name (renamed on Enter or when leaving the field, with every transition into it),
 * its type, and Duplicate/Delete. The Trigger can be renamed but neither copied nor deleted.
 */
export function WidgetHeader({ ctx, state }: { ctx: EditorContext; state: FlowState }) {
  const [draft, setDraft] = useState(state.name);
  const problem = nameProblem(ctx.definition, state.name, draft);
  const isTrigger = state.type === 'trigger' || state.name === ctx.definition.initial_state;

  const commit = () => {
    if (problem || draft === state.name) return;
    ctx.edit(renameState(ctx.definition, state.name, draft));
    ctx.select(draft);
  };
  const duplicate = () => {
    const copy = duplicateState(ctx.definition, state.name);
    if (!copy.name) return;
    ctx.edit(copy.definition);
    ctx.select(copy.name);
  };
  const remove = () => {
    ctx.edit(deleteState(ctx.definition, state.name));
    ctx.select(undefined);
  };

  return (
    <header className="insp-header">
      <label>
        <span className="insp-caption">Widget Name</span>
        <input
          type="text"
          value={draft}
          className={problem ? 'invalid' : undefined}
          aria-invalid={problem !== undefined || undefined}
          spellCheck={false}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') setDraft(state.name);
          }}
        />
      </label>
      {problem && <p className="insp-name-problem error" role="alert">{problem}</p>}
      <div className="insp-header-row">
        <span className="insp-type" data-testid="inspector-type">{WIDGET_SPECS[state.type]?.label ?? state.type}</span>
        {!isTrigger && (
          <>
            <button type="button" onClick={duplicate}>Duplicate</button>
            <button type="button" className="danger" onClick={remove}>Delete</button>
          </>
        )}
      </div>
    </header>
  );
}
