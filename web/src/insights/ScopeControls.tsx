import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { flowPath, type RevisionResource } from '../api/resources';
import { describe } from '../ui/errors';
import type { InsightScope } from './stats';

interface ScopeControlsProps {
  readonly api: ApiClient;
  readonly flowSid: string;
  /** The flow's latest revision: a new one saved lists again. */
  readonly latest: number;
  readonly scope: InsightScope;
  readonly onChange: (scope: InsightScope) => void;
  readonly onRefresh: () => void;
  readonly loading: boolean;
}

/** The date range (UTC days, both included) and the revision the insights are about. */
export function ScopeControls({ api, flowSid, latest, scope, onChange, onRefresh, loading }: ScopeControlsProps) {
  const [revisions, setRevisions] = useState<number[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    api.list<RevisionResource>(`${flowPath(flowSid)}/Revisions`, 'revisions').then(
      (list) => live && setRevisions(list.map((r) => r.revision).sort((a, b) => b - a)),
      (err: unknown) => live && setError(describe(err)),
    );
    return () => {
      live = false;
    };
  }, [api, flowSid, latest]);

  return (
    <form className="insights-scope" onSubmit={(e) => { e.preventDefault(); onRefresh(); }}>
      <label>
        From
        <input type="date" value={scope.from} max={scope.to || undefined} onChange={(e) => onChange({ ...scope, from: e.target.value })} />
      </label>
      <label>
        To
        <input type="date" value={scope.to} min={scope.from || undefined} onChange={(e) => onChange({ ...scope, to: e.target.value })} />
      </label>
      <label>
        Revision
        <select value={scope.revision ?? ''} onChange={(e) => onChange({ ...scope, revision: e.target.value ? Number(e.target.value) : undefined })}>
          <option value="">All revisions</option>
          {revisions.map((n) => <option key={n} value={n}>Revision {n}</option>)}
        </select>
      </label>
      <button type="submit" disabled={loading} title="Read the insights again">Refresh</button>
      {error && <p className="error" role="alert">{error}</p>}
      <p className="hint">Days are UTC. Waiting counts are now, whatever the dates.</p>
    </form>
  );
}
