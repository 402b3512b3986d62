import { CONDITION_TYPES } from '../../../src/flow/conditions';
import type { FlowState, Transition, TransitionCondition } from '../../../src/flow/definition';
import type { EditorContext } from '../editor/context';
import { changeCondition, newCondition } from './branches';
import { FindingList } from './FindingList';
import type { Finding } from './issues';
import { LiquidInput } from './LiquidInput';
import { NextSelect } from './NextSelect';

export interface BranchEditorProps {
  readonly ctx: EditorContext;
  readonly state: FlowState;
  readonly index: number;
  /** 1-based among the split's `match` transitions, for labels. */
  readonly number: number;
  readonly findings: readonly Finding[];
  readonly onRetarget: (next: string) => void;
  readonly onChange: (transition: Transition) => void;
  readonly onRemove: () => void;
}

/** One `match` branch of a Split Based On…: its condition(s) and where it leads. */
export function BranchEditor({ ctx, state, index, number, findings, onRetarget, onChange, onRemove }: BranchEditorProps) {
  const transition = state.transitions[index]!;
  const conditions = transition.conditions ?? [];
  const input = typeof state.properties.input === 'string' ? state.properties.input : '';
  const name = `Branch ${number}`;
  const set = (j: number, change: Partial<TransitionCondition>) => onChange({ ...transition, conditions: conditions.map((c, k) => (k === j ? changeCondition(c, change) : c)) });

  return (
    <fieldset className={`insp-branch${findings.some((f) => f.severity === 'error') ? ' invalid' : ''}`}>
      <legend>{name}</legend>
      {conditions.map((c, j) => {
        const prefix = conditions.length > 1 ? `${name} (${j + 1})` : name;
        return (
          <div className="insp-condition" key={j}>
            <label>
              <span className="insp-caption">{`${prefix} Name`}</span>
              <input type="text" value={c.friendly_name} onChange={(e) => set(j, { friendly_name: e.target.value })} />
            </label>
            <label>
              <span className="insp-caption">{`${prefix} Condition`}</span>
              <select value={c.type} onChange={(e) => set(j, { type: e.target.value })}>
                {(CONDITION_TYPES as readonly string[]).includes(c.type) ? null : <option value={c.type}>{c.type}</option>}
                {CONDITION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t.replace(/_/g, ' ')}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="insp-caption">{`${prefix} Value`}</span>
              <input type="text" value={c.value} onChange={(e) => set(j, { value: e.target.value })} />
            </label>
            <LiquidInput label={`${prefix} Tested Value`} value={Array.isArray(c.arguments) ? (c.arguments[0] ?? '') : ''} placeholder={input} onChange={(text) => set(j, { arguments: [text] })} />
          </div>
        );
      })}
      {conditions.length === 0 && (
        <button type="button" className="link" onClick={() => onChange({ ...transition, conditions: [newCondition(input)] })}>
          + Add condition
        </button>
      )}
      <div className="insp-transition">
        <span className="insp-event">Next</span>
        <NextSelect ctx={ctx} label={`Next after ${name}`} next={transition.next} onChange={onRetarget} />
        <button type="button" className="link danger" onClick={onRemove}>
          Remove {name.toLowerCase()}
        </button>
      </div>
      <FindingList findings={findings} />
    </fieldset>
  );
}
