import { useState } from 'react';
import { allowsConcurrentCalls } from '../../../src/flow/definition';
import type { EditorContext } from '../editor/context';

/**
 * What Studio's Trigger shows besides its transitions: the two addresses that start the flow
 * (the webhook a phone number or Conversations address points at, and the REST API URL that
 * creates an Execution), each to copy, and the advanced concurrent-calls switch. The addresses
 * come from the server's Flow resource, the one place that knows the public URL.
 */
export function TriggerSettings({ ctx }: { ctx: EditorContext }) {
  return (
    <section className="insp-trigger" aria-label="Trigger settings">
      <CopyField label="Webhook URL" value={ctx.flow.webhook_url} />
      <CopyField label="REST API URL" value={ctx.flow.links.executions} />
      <h3>Advanced features</h3>
      <ConcurrentCalls ctx={ctx} />
    </section>
  );
}

/** The "Allow Concurrent Calls" switch: on unless the definition says `false`, as the engine reads it. */
export function ConcurrentCalls({ ctx }: { ctx: EditorContext }) {
  const { definition } = ctx;
  return (
    <label className="check">
      <input type="checkbox" checked={allowsConcurrentCalls(definition)} onChange={(e) => ctx.edit({ ...definition, flags: { ...definition.flags, allow_concurrent_calls: e.target.checked } })} />
      <span>Allow Concurrent Calls</span>
    </label>
  );
}

function CopyField({ label, value }: { label: string; value: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): the field is selectable.
      setState('failed');
    }
  };
  return (
    <div className="insp-copy">
      <label>
        <span className="insp-caption">{label}</span>
        <input type="text" readOnly value={value} onFocus={(e) => e.target.select()} spellCheck={false} />
      </label>
      <button type="button" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {state === 'failed' && <span className="insp-muted" role="status">Select the address and copy it by hand.</span>}
    </div>
  );
}
