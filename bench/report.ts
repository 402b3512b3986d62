import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

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
