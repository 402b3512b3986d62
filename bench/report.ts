import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { latencyTarget, ratio, type Latency } from './stats';

/** One figure of the run, beside the baseline measured in the same run. */
export interface Row {
  readonly id: string;
  readonly figure: string;
  readonly unit: string;
  readonly engine: number;
  readonly baseline: number;
  readonly baselineLabel: string;
  /** engine / baseline, where the comparison is a ratio of rates. */
  readonly ratio?: number;
  readonly target?: string;
  readonly met?: boolean;
  /** Anything else worth keeping (sample counts, p50 beside p99, …). */
  readonly detail?: Readonly<Record<string, number | string>>;
  /** Latency samples as percentiles 1…100 of each side (ms), drawn by `bench/chart.ts`. */
  readonly distribution?: { readonly engine: readonly number[]; readonly baseline: readonly number[] };
}

/**
 * The p50 and p99 rows of a latency figure (`id`-p50, `id`-p99), engine beside bare; the p99 is
 * held to `limit` × bare and carries both distributions for the picture.
 */
export function latencyRows(id: string, figure: string, e: Latency, base: Latency, baselineLabel: string, limit: number): Row[] {
  const row = { unit: 'ms', baselineLabel };
  return [
    { ...row, id: `${id}-p50`, figure: `${figure}, p50`, engine: e.p50, baseline: base.p50, ratio: ratio(e.p50, base.p50), detail: { samples: e.n, engineMean: e.mean, baselineMean: base.mean } },
    {
      ...row,
      id: `${id}-p99`,
      figure: `${figure}, p99`,
      engine: e.p99,
      baseline: base.p99,
      ...latencyTarget(e.p99, base.p99, limit),
      detail: { samples: e.n },
      distribution: { engine: e.percentiles, baseline: base.percentiles },
    },
  ];
}

export interface Machine {
  readonly cpus: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
  readonly temporalCli: string;
}

export function machine(temporalCli: string): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    temporalCli,
  };
}

/** The table printed at the end of a run. */
export function table(rows: readonly Row[]): string {
  const header = ['figure', 'engine', 'baseline', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [
    r.figure,
    `${r.engine} ${r.unit}`,
    `${r.baseline} ${r.unit} (${r.baselineLabel})`,
    r.ratio === undefined ? '' : String(r.ratio),
    r.target ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
  return [format(header), widths.map((w) => '-'.repeat(w)).join('-|-'), ...lines.map(format)].join('\n');
}

export function writeResults(file: string, result: { startedAt: string; seconds: number; options: object; machine: Machine; rows: readonly Row[] }): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
}
