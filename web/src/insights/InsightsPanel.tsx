import { useState } from 'react';
import type { EditorContext } from '../editor/context';
import { ExecutionDetail } from '../executions/ExecutionDetail';
import { DailyChart } from './DailyChart';
import { FunnelSection } from './FunnelSection';
import { ScopeControls } from './ScopeControls';
import { NO_TRAFFIC, type CanvasInsights } from './stats';
import { Summary } from './Summary';
import type { InsightsView } from './useInsights';
import { WidgetExecutions } from './WidgetExecutions';
import '../executions/executions.css';

interface InsightsPanelProps {
  readonly ctx: EditorContext;
  readonly view: InsightsView;
  readonly canvas: CanvasInsights | undefined;
}

/**
 * The side panel of Insights mode: the scope, the executions summary, the widget picked on the
 * canvas with its executions (one opens below, its path on the canvas, as in the Executions
 * panel), a funnel and the executions per day.
 */
export function InsightsPanel({ ctx, view, canvas }: InsightsPanelProps) {
  const { api, flow, definition, selected } = ctx;
  const { data, query, version } = view;
  const [open, setOpen] = useState<string>();
  return (
    <div className="panel insights" role="region" aria-label="Flow insights">
      <ScopeControls api={api} flowSid={flow.sid} latest={flow.revision} scope={view.scope} onChange={view.setScope} onRefresh={view.refresh} loading={view.loading} />
      {view.error && <p className="error" role="alert">{view.error}</p>}
      {!data && !view.error && <p className="loading">Loading insights…</p>}
      {data && (
        <>
          <Summary executions={data.executions} />
          {selected ? (
            <WidgetExecutions
              api={api}
              flowSid={flow.sid}
              widget={selected}
              insight={canvas?.widgets.get(selected) ?? NO_TRAFFIC}
              wait={data.waits.find((w) => w.widget === selected)}
              query={query}
              version={version}
              open={open}
              onOpen={setOpen}
            />
          ) : (
            <p className="hint">Click a widget to list the executions waiting there and ended there.</p>
          )}
          {open && <ExecutionDetail key={open} ctx={ctx} sid={open} onClose={() => setOpen(undefined)} onChanged={view.refresh} />}
          <FunnelSection api={api} flowSid={flow.sid} definition={definition} transitions={data.transitions} query={query} version={version} />
          <DailyChart days={data.days} />
        </>
      )}
    </div>
  );
}
