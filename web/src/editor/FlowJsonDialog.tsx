import { useState } from 'react';
import type { FlowDefinition } from '../../../src/flow/definition';
import { validateFlow } from '../../../src/flow/validate';
import { Modal } from '../ui/Modal';

/**
 * Show Flow JSON, as in Studio: the definition as text, copyable, and editable — "Import"
 * replaces the canvas with what the text holds (one undo step) once it parses and passes the
 * schema stage; graph problems are kept and shown on the widgets, as for any draft.
 */
export function FlowJsonDialog({ definition, onImport, onClose }: { definition: FlowDefinition; onImport: (d: FlowDefinition) => void; onClose: () => void }) {
  const original = JSON.stringify(definition, null, 2);
  const [text, setText] = useState(original);
  const [problem, setProblem] = useState<string>();
  const apply = () => {
    const parsed = parseDefinition(text);
    if (typeof parsed === 'string') setProblem(parsed);
    else onImport(parsed);
  };
  return (
    <Modal title="Flow JSON" onClose={onClose} wide>
      <textarea className="json" spellCheck={false} value={text} onChange={(e) => { setText(e.target.value); setProblem(undefined); }} aria-label="Flow JSON" data-testid="flow-json" />
      {problem && <p className="error" role="alert">{problem}</p>}
      <footer>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(text)}>Copy</button>
        <span className="spacer" />
        <button type="button" onClick={onClose}>Close</button>
        <button type="button" className="primary" onClick={apply} disabled={text === original}>Import</button>
      </footer>
    </Modal>
  );
}

/** The definition a JSON text holds, or why it cannot be imported. */
export function parseDefinition(text: string): FlowDefinition | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `Not JSON: ${(err as Error).message}`;
  }
  const validation = validateFlow(value);
  if (validation.schemaErrors.length > 0) {
    const first = validation.schemaErrors[0]!;
    return `Not Studio Flow JSON: ${first.property_path} ${first.message}${validation.schemaErrors.length > 1 ? ` (and ${validation.schemaErrors.length - 1} more)` : ''}`;
  }
  return value as FlowDefinition;
}
