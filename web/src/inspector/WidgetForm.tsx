import type { FlowState } from '../../../src/flow/definition';
import type { EditorContext } from '../editor/context';
import { setProperties, setTransitions } from '../editor/definition-ops';
import { followInput } from './branches';
import { FieldInput } from './FieldInput';
import { fieldsFor, textOf, withProperty, type Field } from './fields';
import type { Finding } from './issues';

const NONE: readonly Finding[] = [];

/** The generated form of a widget's properties: one input per field of its schema, plus extras. */
export function WidgetForm({ ctx, state, findings }: { ctx: EditorContext; state: FlowState; findings: ReadonlyMap<string, Finding[]> }) {
  // Cheap: the schema's fields are cached per type; only the extras are looked up each time.
  const fields = fieldsFor(state.type, state.properties);

  const change = (key: string, value: unknown) => {
    let next = setProperties(ctx.definition, state.name, withProperty(state.properties, key, value));
    // Studio's branches test `[input]`: when the split's input changes, its conditions follow.
    if (state.type === 'split-based-on' && key === 'input') {
      next = setTransitions(next, state.name, followInput(state.transitions, textOf(state.properties.input), textOf(value)));
    }
    ctx.edit(next, `${state.name}/properties/${key}`);
  };

  if (fields.length === 0) return <p className="insp-muted">This widget has no properties to set.</p>;
  const input = (field: Field) => <FieldInput key={field.key} field={field} value={state.properties[field.key]} findings={findings.get(field.key) ?? NONE} onChange={(value) => change(field.key, value)} />;
  const advanced = fields.filter((f) => f.advanced);
  // Folded unless one of them is set or has a problem: nothing the widget holds is hidden.
  const open = advanced.some((f) => state.properties[f.key] !== undefined || findings.has(f.key));
  return (
    <div className="insp-form">
      {fields.filter((f) => !f.advanced).map(input)}
      {advanced.length > 0 && (
        <details className="insp-advanced" open={open}>
          <summary>Advanced</summary>
          {advanced.map(input)}
        </details>
      )}
    </div>
  );
}
