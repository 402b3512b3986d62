import { useMemo } from 'react';
import type { FlowState } from '../../../src/flow/definition';
import type { EditorContext } from '../editor/context';
import { findState } from '../editor/definition-ops';
import { FindingList } from './FindingList';
import { FlowSettings } from './FlowSettings';
import { findingsOf } from './issues';
import { suggestionsFor } from './suggestions';
import { SuggestionsContext } from './suggestions-context';
import { TransitionsEditor } from './TransitionsEditor';
import { TriggerSettings } from './TriggerSettings';
import { WidgetForm } from './WidgetForm';
import { WidgetHeader } from './WidgetHeader';
import './inspector.css';

/**
 * The Inspector panel: the selected widget's name, generated property form and transitions,
 * each with the findings of the same validation the server runs; with nothing selected, the
 * flow's settings and all its problems. Every change goes through `ctx.edit` (one undo step).
 */
export function Inspector({ ctx }: { ctx: EditorContext }) {
  const state = ctx.selected === undefined ? undefined : findState(ctx.definition, ctx.selected);
  return (
    <div className="inspector" data-testid="inspector">
      {/* Keyed by name: drafts (name, JSON) start afresh for another widget. */}
      {state ? <WidgetPanel key={state.name} ctx={ctx} state={state} /> : <FlowSettings ctx={ctx} />}
    </div>
  );
}

function WidgetPanel({ ctx, state }: { ctx: EditorContext; state: FlowState }) {
  const { definition, validation } = ctx;
  const findings = useMemo(() => findingsOf(definition, state.name, validation.errors, validation.warnings), [definition, state.name, validation]);
  const suggestions = useMemo(() => suggestionsFor(definition, state.name), [definition, state.name]);
  return (
    <SuggestionsContext.Provider value={suggestions}>
      <WidgetHeader ctx={ctx} state={state} />
      <FindingList findings={findings.general} />
      {state.type === 'trigger' && <TriggerSettings ctx={ctx} />}
      <h3>Properties</h3>
      <WidgetForm ctx={ctx} state={state} findings={findings.properties} />
      <TransitionsEditor ctx={ctx} state={state} findings={findings} />
    </SuggestionsContext.Provider>
  );
}
