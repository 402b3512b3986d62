import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ApiClient } from '../api/client';
import { describe } from '../ui/errors';
import { fetchInsights, type InsightsData } from './api';
import { ALL_TIME, scopeQuery, type InsightScope } from './stats';

export interface InsightsView {
  readonly scope: InsightScope;
  readonly setScope: (scope: InsightScope) => void;
  /** The scope as the API's query parameters, for the panel's own requests. */
  readonly query: ReturnType<typeof scopeQuery>;
  /** The rows of the scope last read; the previous scope's stay shown while the next loads. */
  readonly data: InsightsData | undefined;
  readonly loading: boolean;
  readonly error: string | undefined;
  /** Bumped on every read, so the panel's own requests follow a refresh. */
  readonly version: number;
  readonly refresh: () => void;
}

/** The insights of a flow for the chosen scope, read while `enabled` (the editor is in Insights mode). */
export function useInsights(api: ApiClient, flowSid: string, enabled: boolean): InsightsView {
  const [scope, setScope] = useState<InsightScope>(ALL_TIME);
  const [data, setData] = useState<InsightsData>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  const query = useMemo(() => scopeQuery(scope), [scope]);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    setLoading(true);
    fetchInsights(api, flowSid, query).then(
      (next) => {
        if (!live) return;
        setData(next);
        setError(undefined);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(describe(err));
        setLoading(false);
      },
    );
    // A scope changed again before the answer came: the older answer is dropped.
    return () => {
      live = false;
    };
  }, [api, flowSid, query, enabled, version]);

  const refresh = useCallback(() => setVersion((n) => n + 1), []);
  return { scope, setScope, query, data, loading, error, version, refresh };
}
