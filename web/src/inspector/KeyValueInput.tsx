import { keyValueRows, textOf, type KeyValue } from './fields';
import { JsonInput } from './JsonInput';
import { LiquidInput } from './LiquidInput';

/**
 * `[{key, value}]` lists (HTTP and function parameters, Set Variables, content variables).
 * Other members of a row (Set Variables' `type`) are kept; an empty list removes the property.
 */
export function KeyValueInput({ label, value, onChange, invalid }: { label: string; value: unknown; onChange: (value: unknown) => void; invalid: boolean }) {
  const rows = keyValueRows(value);
  // A list of another shape is still editable, as JSON.
  if (!rows) return <JsonInput label={label} value={value} onChange={onChange} invalid={invalid} />;
  const set = (next: KeyValue[]) => onChange(next.length ? next : undefined);
  const change = (index: number, member: Partial<KeyValue>) => set(rows.map((r, i) => (i === index ? { ...r, ...member } : r)));
  return (
    <fieldset className="insp-kv">
      <legend>{label}</legend>
      {rows.map((row, i) => (
        <div className="insp-kv-row" key={i}>
          <label>
            <span className="insp-caption insp-sr-only">{`${label} ${i + 1} key`}</span>
            <input type="text" value={row.key} placeholder="key" className={invalid && row.key === '' ? 'invalid' : undefined} onChange={(e) => change(i, { key: e.target.value })} />
          </label>
          <LiquidInput label={`${label} ${i + 1} value`} hideLabel value={textOf(row.value)} placeholder="value" onChange={(text) => change(i, { value: text })} />
          <button type="button" className="link danger" aria-label={`Remove ${label} ${i + 1}`} title="Remove" onClick={() => set(rows.filter((_, j) => j !== i))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => set([...rows, { key: '', value: '' }])}>
        + Add {label.toLowerCase()}
      </button>
    </fieldset>
  );
}
