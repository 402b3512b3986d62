import { Fragment, useMemo, useState } from 'react';
import type { FlowDefinition } from '../../../src/flow/definition';
import { Modal } from '../ui/Modal';
import { summaryLines } from '../../../src/flow/flow-diff';
import { compare, type DefinitionSummary, type LineRow } from './revision-diff';
import './revisions.css';

export interface DiffSide {
  readonly label: string;
  readonly definition: FlowDefinition;
}

/** Two definitions side by side: a widget-level summary, then the JSON diff with context folded. */
export function DiffDialog({ a, b, onClose }: { a: DiffSide; b: DiffSide; onClose: () => void }) {
  const { summary, rows } = useMemo(() => compare(a.definition, b.definition), [a.definition, b.definition]);
  const [unfolded, setUnfolded] = useState<ReadonlySet<number>>(new Set());
  return (
    <Modal title="Compare revisions" wide onClose={onClose}>
      <div className="diff-sides">
        <span className="removed">A: {a.label}</span>
        <span className="added">B: {b.label}</span>
      </div>
      <Summary summary={summary} />
      {summary.same ? (
        <p className="empty">The two definitions are identical.</p>
      ) : (
        <table className="diff-table">
          <colgroup><col className="num" /><col /><col className="num" /><col /></colgroup>
          <tbody>
            {rows.map((row, i) =>
              row.kind === 'gap' && !unfolded.has(i) ? (
                <tr key={i} className="gap" data-testid="diff-gap">
                  <td colSpan={4}>
                    <button type="button" className="link" onClick={() => setUnfolded(new Set(unfolded).add(i))}>
                      Show {row.rows.length} unchanged lines
                    </button>
                  </td>
                </tr>
              ) : (
                <Fragment key={i}>{(row.kind === 'gap' ? row.rows : [row]).map((line, j) => <Row key={j} row={line} />)}</Fragment>
              ),
            )}
          </tbody>
        </table>
      )}
    </Modal>
  );
}

function Row({ row }: { row: LineRow }) {
  const kind = row.changed ? [row.left && 'removed', row.right && 'added'].filter(Boolean).join(' ') : 'unchanged';
  const side = (cell: LineRow['left'], change: string) => [
    <td key="n" className="num">{cell?.number}</td>,
    <td key="t" className={cell ? (row.changed ? change : '') : 'blank'}>{cell?.text}</td>,
  ];
  return (
    <tr data-testid="diff-row" className={kind}>
      {side(row.left, 'removed')}
      {side(row.right, 'added')}
    </tr>
  );
}

function Summary({ summary: s }: { summary: DefinitionSummary }) {
  const items = summaryLines(s);
  if (s.same) return null;
  return (
    <section className="diff-summary" aria-label="Summary of changes" data-testid="diff-summary">
      {items.length ? (
        <ul>{items.map((item) => <li key={item.key} className={item.kind}>{item.text}</li>)}</ul>
      ) : (
        // Reordered widgets or keys: the JSON differs though no widget, description or flag does.
        <p className="empty">No widget, description or flag changes; only the order in the JSON differs.</p>
      )}
    </section>
  );
}
