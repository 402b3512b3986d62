import { useEffect, useMemo, useState } from 'react';
import { Funnel, FunnelChart, LabelList, Tooltip } from 'recharts';
import type { FlowDefinition } from '../../../src/flow/definition';
import type { ApiClient, Params } from '../api/client';
import { describe } from '../ui/errors';
import { fetchFunnel, type FunnelResource, type TransitionRow } from './api';
import { CHART_WIDTH } from './chart';
import { defaultFunnel, percent } from './stats';

interface FunnelSectionProps {
  readonly api: ApiClient;
  readonly flowSid: string;
  readonly definition: FlowDefinition;
  readonly transitions: readonly TransitionRow[];
  readonly query: Params;
  /** Changes when the insights are read again: the funnel is too. */
  readonly version: number;
}

/** How many of the executions that entered one widget went on to reach another, as a funnel. */
export function FunnelSection({ api, flowSid, definition, transitions, query, version }: FunnelSectionProps) {
  const fallback = useMemo(() => defaultFunnel(definition, transitions), [definition, transitions]);
  const [picked, setPicked] = useState<{ from?: string; to?: string }>({});
  const from = picked.from ?? fallback.from;
  const to = picked.to ?? fallback.to;
  const [funnel, setFunnel] = useState<FunnelResource>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    fetchFunnel(api, flowSid, query, from, to).then(
      (next) => {
        if (!live) return;
        setFunnel(next);
        setError(undefined);
      },
      (err: unknown) => live && setError(describe(err)),
    );
    return () => {
      live = false;
    };
  }, [api, flowSid, query, from, to, version]);

  const names = definition.states.map((s) => s.name);
  const data = funnel && [
    { name: funnel.from, value: funnel.entered, fill: '#2459d6' },
    { name: funnel.to, value: funnel.reached, fill: '#7b2cbf' },
  ];
  return (
    <section className="insights-funnel" aria-label="Funnel" data-testid="funnel-chart">
      <h3>Funnel</h3>
      <div className="funnel-picks">
        <label>
          From widget
          <select value={from} onChange={(e) => setPicked({ from: e.target.value, to })}>
            {names.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label>
          To widget
          <select value={to} onChange={(e) => setPicked({ from, to: e.target.value })}>
            {names.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {funnel && (
        <p className="funnel-figure" data-testid="funnel-figure">
          {funnel.reached} of {funnel.entered} that entered {funnel.from} reached {funnel.to}
          {funnel.entered > 0 ? ` (${percent(funnel.reached / funnel.entered)})` : ''}
        </p>
      )}
      {data && (
        <FunnelChart width={CHART_WIDTH} height={150} margin={{ top: 4, right: 100, bottom: 4, left: 4 }}>
          <Tooltip />
          <Funnel dataKey="value" nameKey="name" data={data} isAnimationActive={false} lastShapeType="rectangle">
            <LabelList position="right" dataKey="name" fill="#1f2430" stroke="none" fontSize={12} />
            <LabelList position="center" dataKey="value" fill="#fff" stroke="none" fontSize={12} />
          </Funnel>
        </FunnelChart>
      )}
    </section>
  );
}
