import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { ExecutionResource } from '../api/resources';
import type { EditorContext } from '../editor/context';
import { describe } from '../ui/errors';
import { executionsPath } from '../executions/api';

interface RestStartProps {
  readonly ctx: EditorContext;
  /** The contact: the execution's `To`. */
  readonly contact: string;
  /** The flow's address: the execution's `From`. */
  readonly address: string;
  readonly beforeSend: () => Promise<boolean>;
  readonly onStarted: (execution: ExecutionResource) => void;
}

/** Starts an execution as the REST API does (`incomingRequest`), with `flow.data` parameters. */
export function RestStart({ ctx, contact, address, beforeSend, onStarted }: RestStartProps) {
  const [to, setTo] = useState(contact);
  const [from, setFrom] = useState(address);
  const [parameters, setParameters] = useState('{}');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (!(await beforeSend())) return;
      onStarted(await ctx.api.post<ExecutionResource>(executionsPath(ctx.flow.sid), { To: to, From: from, Parameters: parameters.trim() || undefined }));
    } catch (err) {
      // 409 is the common case worth explaining: one active execution per contact and flow.
      setError(err instanceof ApiError && err.status === 409 ? `${to} already has an active execution of this flow (${err.code}). End it (Reset) first.` : describe(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="sim-rest">
      <summary>Start via REST API</summary>
      <form onSubmit={(e) => void submit(e)}>
        <label>To (contact)<input value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label>From (flow address)<input value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>Parameters (JSON object, becomes flow.data)<textarea rows={3} value={parameters} onChange={(e) => setParameters(e.target.value)} spellCheck={false} /></label>
        {error && <p className="error" role="alert" data-testid="rest-error">{error}</p>}
        <button type="submit" disabled={busy}>Start execution</button>
      </form>
    </details>
  );
}
