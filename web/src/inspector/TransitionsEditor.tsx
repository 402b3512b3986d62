import type { FlowState, Transition } from '../../../src/flow/definition';
import { WIDGET_SPECS } from '../../../src/flow/widgets';
import type { EditorContext } from '../editor/context';
import { connect, disconnect, setTransitions } from '../editor/definition-ops';
import { BranchEditor } from './BranchEditor';
import { newBranch } from './branches';
import { humanize } from './fields';
import { NextSelect } from './NextSelect';
import { FindingList } from './FindingList';
import type { Finding, WidgetFindings } from './issues';

/** What Studio's Trigger panel calls its events. */
const EVENT_LABELS: Readonly<Record<string, string>> = {
  incomingConversationMessage: 'Incoming Conversation',
  incomingRequest: 'REST API',
  incomingParent: 'Subflow',
};

export function eventLabel(event: string): string {
  return EVENT_LABELS[event] ?? humanize(event);
}

const NONE: readonly Finding[] = [];

/**
 * Where each event of the widget leads. Events of its type that the widget has no transition for
 * (older exports) are listed too; choosing a target adds the transition. Split branches are
 * edited with their conditions.
 */
export function TransitionsEditor({ ctx, state, findings }: { ctx: EditorContext; state: FlowState; findings: WidgetFindings }) {
  const spec = WIDGET_SPECS[state.type];
  const repeatable = new Set(spec?.repeatableEvents ?? []);
  const present = new Set(state.transitions.map((t) => t.event));
  const missing = (spec?.events ?? []).filter((e) => !repeatable.has(e) && !present.has(e));
  const isSplit = state.type === 'split-based-on';
  const input = typeof state.properties.input === 'string' ? state.properties.input : '';
  let branch = 0;

  const retarget = (index: number, next: string) => ctx.edit(next ? connect(ctx.definition, state.name, index, next) : disconnect(ctx.definition, state.name, index));
  const change = (transitions: Transition[]) => ctx.edit(setTransitions(ctx.definition, state.name, transitions));

  return (
    <section className="insp-transitions" aria-label="Transitions">
      <h3>Transitions</h3>
      <FindingList findings={findings.transitionsAll} />
      {state.transitions.map((t, i) => {
        const rowFindings = findings.transitions.get(i) ?? NONE;
        if (isSplit && t.event === 'match') {
          branch += 1;
          return <BranchEditor key={i} ctx={ctx} state={state} index={i} number={branch} findings={rowFindings} onRetarget={(next) => retarget(i, next)} onChange={(updated) => change(state.transitions.map((x, j) => (j === i ? updated : x)))} onRemove={() => change(state.transitions.filter((_, j) => j !== i))} />;
        }
        return <TransitionRow key={i} ctx={ctx} label={eventLabel(t.event)} next={t.next} findings={rowFindings} onChange={(next) => retarget(i, next)} />;
      })}
      {missing.map((event) => (
        <TransitionRow key={`missing-${event}`} ctx={ctx} label={eventLabel(event)} next={undefined} findings={NONE} onChange={(next) => next && change([...state.transitions, { event, next }])} />
      ))}
      {isSplit && (
        <button type="button" onClick={() => change([...state.transitions, newBranch(input)])}>
          + Add branch
        </button>
      )}
    </section>
  );
}

/** An event and the widget it leads to. */
export function TransitionRow({ ctx, label, next, findings, onChange }: { ctx: EditorContext; label: string; next: string | undefined; findings: readonly Finding[]; onChange: (next: string) => void }) {
  return (
    <div className={`insp-transition${findings.some((f) => f.severity === 'error') ? ' invalid' : ''}`}>
      <span className="insp-event">{label}</span>
      <NextSelect ctx={ctx} label={`Next after ${label}`} next={next} onChange={onChange} />
      <FindingList findings={findings} />
    </div>
  );
}
