import type { Row } from './report';

/**
 * The latency distributions of a run as one SVG picture: for each figure that kept its samples,
 * the engine's percentile curve beside the bare baseline's, measured in the same run. Drawn with
 * Vega-Lite, headless (no browser, no canvas).
 */
export async function latencyPicture(rows: readonly Row[], title: string): Promise<string | undefined> {
  const drawn = rows.filter((r) => r.distribution);
  if (drawn.length === 0) return undefined;
  const values = drawn.flatMap((row) =>
    (['engine', 'baseline'] as const).flatMap((side) =>
      row.distribution![side].map((ms, i) => ({ figure: panelTitle(row), side: side === 'engine' ? 'engine' : row.baselineLabel, percentile: i + 1, ms })),
    ),
  );
  // ESM-only packages, loaded when a picture is drawn.
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const spec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    facet: { row: { field: 'figure', type: 'nominal', title: null, header: { labelAngle: 0, labelAlign: 'left', labelAnchor: 'start', labelFontSize: 12, labelOrient: 'top' } } },
    spec: {
      width: 560,
      height: 160,
      mark: { type: 'line', interpolate: 'step-after', clip: true },
      encoding: {
        x: { field: 'percentile', type: 'quantitative', title: 'percentile', scale: { domain: [1, 100] } },
        y: { field: 'ms', type: 'quantitative', title: 'ms' },
        color: { field: 'side', type: 'nominal', title: null, legend: { orient: 'bottom', labelLimit: 400 } },
      },
    },
    resolve: { scale: { y: 'independent', color: 'independent' } },
    config: { background: 'white', font: 'sans-serif' },
  };
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
  return view.toSVG();
}

function panelTitle(row: Row): string {
  const ratio = row.ratio === undefined ? '' : ` — ${row.ratio} x bare`;
  return `${row.figure}${ratio}${row.target ? ` (target ${row.target}: ${row.met ? 'met' : 'not met'})` : ''}`;
}
