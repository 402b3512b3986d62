import { useState, type ReactNode } from 'react';
import { hasLiquid } from '../../../src/flow/values';
import { textOf, valueOf, type Field } from './fields';
import { FindingList } from './FindingList';
import type { Finding } from './issues';
import { JsonInput } from './JsonInput';
import { KeyValueInput } from './KeyValueInput';
import { LiquidInput } from './LiquidInput';

export interface FieldInputProps {
  readonly field: Field;
  readonly value: unknown;
  /** The new property value; undefined removes the property. */
  readonly onChange: (value: unknown) => void;
  readonly findings: readonly Finding[];
}

/** One property of a widget, with the input its kind calls for and its findings below it. */
export function FieldInput({ field, value, onChange, findings }: FieldInputProps) {
  const invalid = findings.some((f) => f.severity === 'error');
  const below = (
    <>
      {field.hint && <small className="insp-hint">{field.hint}</small>}
      <FindingList findings={findings} />
    </>
  );
  // A value of a shape the kind cannot show (an object in a text field) is edited as JSON.
  const shown = value !== undefined && value !== null && typeof value === 'object' && field.kind !== 'keyValue' && field.kind !== 'json' ? { ...field, kind: 'json' as const } : field;
  switch (shown.kind) {
    case 'text':
    case 'multiline':
    case 'integer':
    case 'number':
      return (
        <div className={fieldClass(field, invalid)}>
          <LiquidInput label={field.label} value={textOf(value)} multiline={shown.kind === 'multiline'} invalid={invalid} required={field.required} onChange={(text) => onChange(valueOf(shown, text, value))}>
            {below}
          </LiquidInput>
        </div>
      );
    case 'boolean':
      return <BooleanInput field={field} value={value} onChange={onChange} invalid={invalid} below={below} />;
    case 'choice':
      return (
        <div className={fieldClass(field, invalid)}>
          <ChoiceInput field={field} value={value} onChange={onChange} invalid={invalid} />
          {below}
        </div>
      );
    case 'keyValue':
      return (
        <div className={fieldClass(field, invalid)}>
          <KeyValueInput label={field.label} value={value} onChange={onChange} invalid={invalid} />
          {below}
        </div>
      );
    case 'json':
      return (
        <div className={fieldClass(field, invalid)}>
          <JsonInput label={field.label} value={value} onChange={onChange} invalid={invalid} />
          {below}
        </div>
      );
  }
}

function fieldClass(field: Field, invalid: boolean): string {
  return ['insp-field', `kind-${field.kind}`, invalid ? 'invalid' : '', field.extra ? 'extra' : ''].filter(Boolean).join(' ');
}

/** A select of Studio's options; a value outside them (Liquid, another spelling) stays selectable. */
function ChoiceInput({ field, value, onChange, invalid }: { field: Field; value: unknown; onChange: (value: unknown) => void; invalid: boolean }) {
  const text = textOf(value);
  const choices = field.choices ?? [];
  const options = text !== '' && !choices.includes(text) ? [...choices, text] : choices;
  return (
    <label>
      <span className="insp-caption">{field.label}</span>
      <select value={text} className={invalid ? 'invalid' : undefined} aria-invalid={invalid || undefined} onChange={(e) => onChange(valueOf(field, e.target.value, value))}>
        {(!field.required || text === '') && <option value="">(not set)</option>}
        {options.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A checkbox for true/false, or a Liquid text field when the value is a template (or the user
 * asks for one): Studio accepts both. A string value stays a string ("true"), a boolean a boolean.
 */
function BooleanInput({ field, value, onChange, invalid, below }: { field: Field; value: unknown; onChange: (value: unknown) => void; invalid: boolean; below: ReactNode }) {
  const [liquid, setLiquid] = useState(() => typeof value === 'string' && (hasLiquid(value) || !/^\s*(true|false)?\s*$/i.test(value)));
  const toggle = (
    <button type="button" className="link insp-toggle" aria-pressed={liquid} title={liquid ? 'Use a checkbox' : 'Use Liquid'} onClick={() => setLiquid(!liquid)}>
      {liquid ? 'Checkbox' : '{{ }}'}
    </button>
  );
  if (liquid) {
    return (
      <div className={fieldClass(field, invalid)}>
        <LiquidInput label={field.label} value={textOf(value)} invalid={invalid} onChange={(text) => onChange(valueOf(field, text, value))}>
          {toggle}
          {below}
        </LiquidInput>
      </div>
    );
  }
  const checked = value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
  return (
    <div className={fieldClass(field, invalid)}>
      <div className="insp-check-row">
        <label className="check">
          <input type="checkbox" checked={checked} aria-invalid={invalid || undefined} className={invalid ? 'invalid' : undefined} onChange={(e) => onChange(valueOf(field, String(e.target.checked), value))} />
          <span>{field.label}</span>
        </label>
        {toggle}
      </div>
      {below}
    </div>
  );
}
