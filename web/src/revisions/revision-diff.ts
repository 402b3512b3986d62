import { diffLines } from 'diff';
import type { FlowDefinition } from '../../../src/flow/definition';
import { summarize, type DefinitionSummary } from '../../../src/flow/flow-diff';

/**
 * The "Compare revisions" dialog: the semantic summary of the shared core (the one
 * `open-studio flows diff` prints) and the side-by-side rows of the pretty-printed JSON. Pure (no
 * DOM, no React) so that it is tested under Node and typechecks with the root tsconfig.
 */
export { canonical, summarize, type DefinitionSummary, type PropertyChange, type TransitionChange, type WidgetChange, type WidgetPart, type WidgetRename } from '../../../src/flow/flow-diff';

export interface DiffLine {
  /** 1-based line number in its own side's text. */
  readonly number: number;
  readonly text: string;
}

/** One row of the side-by-side view; a changed row pairs a removed line (left) with an added one (right), either may be missing. */
export interface LineRow {
  readonly kind: 'line';
  readonly changed: boolean;
  readonly left: DiffLine | null;
  readonly right: DiffLine | null;
}

/** A run of unchanged rows folded away; it keeps them so the view can unfold it. */
export interface GapRow {
  readonly kind: 'gap';
  readonly rows: readonly LineRow[];
}

export type DiffRow = LineRow | GapRow;

/** Studio's own export format: two-space indented JSON. */
export const pretty = (definition: FlowDefinition) => `${JSON.stringify(definition, null, 2)}\n`;

function linesOf(value: string): string[] {
  const lines = value.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Aligns a line diff into rows: unchanged lines face each other, and each block of removed lines
 * is paired row by row with the block of added lines that replaced it, blank cells filling the
 * shorter side — so both sides always have the same number of rows.
 */
export function sideBySide(before: string, after: string): LineRow[] {
  const rows: LineRow[] = [];
  let left = 1;
  let right = 1;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) {
      const l = removed[i];
      const r = added[i];
      rows.push({ kind: 'line', changed: true, left: l === undefined ? null : { number: left++, text: l }, right: r === undefined ? null : { number: right++, text: r } });
    }
    removed = [];
    added = [];
  };
  for (const change of diffLines(before, after)) {
    const lines = linesOf(change.value);
    if (change.removed) removed.push(...lines);
    else if (change.added) added.push(...lines);
    else {
      flush();
      for (const text of lines) rows.push({ kind: 'line', changed: false, left: { number: left++, text }, right: { number: right++, text } });
    }
  }
  flush();
  return rows;
}

/** Folds runs of unchanged rows further than `context` rows from any change into gaps (runs shorter than a gap's worth stay). */
export function collapse(rows: readonly LineRow[], context = 3): DiffRow[] {
  const near = new Array<boolean>(rows.length).fill(false);
  rows.forEach((row, i) => {
    if (!row.changed) return;
    for (let j = Math.max(0, i - context); j <= Math.min(rows.length - 1, i + context); j++) near[j] = true;
  });
  const out: DiffRow[] = [];
  let run: LineRow[] = [];
  const flush = () => {
    // Folding a single line would hide nothing worth the gap row that replaces it.
    if (run.length > 1) out.push({ kind: 'gap', rows: run });
    else out.push(...run);
    run = [];
  };
  rows.forEach((row, i) => {
    if (near[i] || row.changed) {
      flush();
      out.push(row);
    } else run.push(row);
  });
  flush();
  return out;
}

/** Everything the dialog shows for a pair of definitions. */
export function compare(before: FlowDefinition, after: FlowDefinition, context = 3): { summary: DefinitionSummary; rows: DiffRow[] } {
  return { summary: summarize(before, after), rows: collapse(sideBySide(pretty(before), pretty(after)), context) };
}
