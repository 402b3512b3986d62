import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { WIDGET_SPECS } from '../../../src/flow/widgets';
import { transitionLabel, type WidgetNode as WidgetNodeType } from './graph';
import { NODE_WIDTH } from './layout';

/**
 * One widget on the canvas: its name and type, a badge for validation findings, and one
 * source handle per transition (event), as Studio draws them along the widget's bottom edge.
 */
function WidgetNodeView({ data, selected }: NodeProps<WidgetNodeType>) {
  const { state, issues, visits, initial } = data;
  const spec = WIDGET_SPECS[state.type];
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
      <ul className="transitions">
        {state.transitions.map((transition, index) => (
          <li key={index} className={transition.next ? 'connected' : ''} data-event={transition.event}>
            <span>{transitionLabel(state, index)}</span>
            <Handle type="source" id={String(index)} position={Position.Right} className="source-handle" title={`${transition.event}: drag to a widget`} />
          </li>
        ))}
      </ul>
    </div>
  );
}

export const WidgetNode = memo(WidgetNodeView);
