import type { EditorContext } from '../editor/context';

/** The widgets a transition can lead to; the Trigger cannot be a target. A dangling target stays listed. */
export function NextSelect({ ctx, label, next, onChange }: { ctx: EditorContext; label: string; next: string | undefined; onChange: (next: string) => void }) {
  const targets = ctx.definition.states.filter((s) => s.name !== ctx.definition.initial_state).map((s) => s.name);
  const dangling = next && !targets.includes(next) ? next : undefined;
  return (
    <select aria-label={label} value={next ?? ''} onChange={(e) => onChange(e.target.value)}>
      <option value="">(none: end)</option>
      {targets.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
      {dangling && <option value={dangling}>{dangling} (missing)</option>}
    </select>
  );
}
