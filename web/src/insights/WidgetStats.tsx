import { edgeLabel, percent, type EdgeInsight, type WidgetInsight } from './stats';
import './insights.css';

/** A widget's counts on the canvas in Insights mode. */
export function WidgetStats({ insight }: { insight: WidgetInsight }) {
  const { reached, waiting, ended, dropOff } = insight;
  return (
    <dl className="widget-insight" data-testid="widget-insight">
      <div title="Executions that reached this widget"><dt>reached</dt><dd data-stat="reached">{reached}</dd></div>
      <div title="Executions waiting here now"><dt>waiting</dt><dd data-stat="waiting">{waiting}</dd></div>
      <div title="Executions whose path ended here"><dt>ended</dt><dd data-stat="ended">{ended}</dd></div>
      <div title="Of those that reached it: the share that ended here or wait here now" className="drop-off">
        <dt>drop-off</dt><dd data-stat="drop-off">{dropOff === null ? '–' : percent(dropOff)}</dd>
      </div>
    </dl>
  );
}

/**
 * A transition's share of the steps leaving its widget, on its row: always in view, where an
 * edge's own label can fall under a widget. Nothing when nobody left the widget.
 */
export function TransitionShare({ insight }: { insight: EdgeInsight | undefined }) {
  if (!insight) return null;
  return <span className={insight.taken > 0 ? 'share' : 'share none'} data-testid="transition-share" title="Share of the steps leaving this widget (count)">{edgeLabel(insight)}</span>;
}
