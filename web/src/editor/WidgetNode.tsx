import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, useContext } from 'react';
import { WIDGET_SPECS } from '../../../src/flow/widgets';
import { edgeId, transitionLabel, type WidgetNode as WidgetNodeType } from './graph';
import { NODE_WIDTH } from './layout';
import { WidgetInsightsContext } from '../insights/context';
import { NO_TRAFFIC } from '../insights/stats';
import { TransitionShare, WidgetStats } from '../insights/WidgetStats';

/**
 * One widget on the canvas: its name and type, a badge for validation findings, and one
 * source handle per transition (event), as Studio draws them along the widget's bottom edge.
 */
function WidgetNodeView({ data, selected }: NodeProps<WidgetNodeType>) {
  const { state, issues, visits, initial } = data;
  const spec = WIDGET_SPECS[state.type];
  // Set in Insights mode only: a widget nobody reached shows zeros.
  const insights = useContext(WidgetInsightsContext);
  const classes = ['widget', `widget-${state.type}`, selected ? 'selected' : '', issues.errors.length ? 'has-errors' : issues.warnings.length ? 'has-warnings' : '', visits?.length ? 'visited' : ''];
  const title = [...issues.errors.map((i) => `Error: ${i.message}`), ...issues.warnings.map((i) => `Warning: ${i.message}`)].join('\n');
  return (
    <div className={classes.filter(Boolean).join(' ')} style={{ width: NODE_WIDTH }} data-widget={state.name} data-testid={`widget-${state.name}`}>
      {!initial && <Handle type="target" position={Position.Top} className="target-handle" />}
      <header>
        <span className="widget-name">{state.name}</span>
        {visits?.length ? <span className="visits" title="Step numbers of the execution shown">{visits.join(', ')}</span> : null}
        {issues.errors.length > 0 && <span className="badge error" title={title} data-testid="widget-errors">{issues.errors.length}</span>}
        {issues.errors.length === 0 && issues.warnings.length > 0 && <span className="badge warning" title={title} data-testid="widget-warnings">{issues.warnings.length}</span>}
      </header>
      <div className="widget-type">{spec?.label ?? state.type}</div>
      {insights && <WidgetStats insight={insights.widgets.get(state.name) ?? NO_TRAFFIC} />}
      <ul className="transitions">
        {state.transitions.map((transition, index) => (
          <li key={index} className={transition.next ? 'connected' : ''} data-event={transition.event}>
            <span>{transitionLabel(state, index)}</span>
            {insights && <TransitionShare insight={insights.edges.get(edgeId(state.name, index))} />}
            <Handle type="source" id={String(index)} position={Position.Right} className="source-handle" title={`${transition.event}: drag to a widget`} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export const WidgetNode = memo(WidgetNodeView);
