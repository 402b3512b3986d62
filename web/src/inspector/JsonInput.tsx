import { useId, useState } from 'react';

/**
 * Any value as JSON: nested objects, lists and properties of unknown shape. What the user types
 * is kept as a draft until it parses, so a half-typed document never reaches the definition.
 * Clearing the text removes the property.
 */
export function JsonInput({ label, value, onChange, invalid }: { label: string; value: unknown; onChange: (value: unknown) => void; invalid: boolean }) {
  const id = useId();
  const [draft, setDraft] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const text = draft ?? (value === undefined ? '' : JSON.stringify(value, null, 2));
  const change = (next: string) => {
    setDraft(next);
    if (next.trim() === '') {
      setProblem(undefined);
      onChange(undefined);
      return;
    }
    try {
      onChange(JSON.parse(next) as unknown);
      setProblem(undefined);
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <>
      {/* A textarea's text is part of a wrapping label's text, so it is labelled with `for` instead. */}
      <div className="insp-labelled">
        <label htmlFor={id} className="insp-caption">{label}</label>
        <textarea id={id} className={`insp-json${invalid || problem ? ' invalid' : ''}`} rows={Math.min(10, Math.max(3, text.split('\n').length))} value={text} spellCheck={false} aria-invalid={invalid || problem !== undefined || undefined} onChange={(e) => change(e.target.value)} onBlur={() => problem === undefined && setDraft(undefined)} />
      </div>
      {problem && <small className="error">Not valid JSON: {problem}</small>}
    </>
  );
}
