import { coresBusy, cpuMsPer, machineCpuSeconds } from '../cpu';
import type { Row } from '../report';
import type { BenchStack } from '../stack';
import type { Phase } from '../stats';
import { measureSms, type SmsOptions } from './sms';
import { measureRestThroughput, type ThroughputOptions } from './throughput';

export interface ClusterOptions {
  /** Engine workers (and as many bare workers) to measure with, in this order: [1, 2]. */
  readonly workers: readonly number[];
  readonly rest: ThroughputOptions;
  readonly sms: SmsOptions;
}

type Side = 'engine' | 'bare';

/**
 * (8) Figures (1) and (2) on the production shape — Temporal's own server on PostgreSQL (see
 * ../temporal.ts), the store on it too, two API processes — once per worker count: the engine
 * with n workers against the bare baseline with n bare workers, on the same cluster in the same
 * run. Of (2) only the rate: latency one message at a time is not what more workers change.
 * Beside each rate: the CPU each part of the stack spent per execution (or message) of either
 * side, read from /proc around the timed stretches — what a core buys, whatever the neighbours
 * take — and the cores each part kept busy over the whole measurement, the rest of the machine's too.
 */
export async function measureOnCluster(stack: BenchStack, figure: 'rest' | 'sms', o: ClusterOptions, log: (line: string) => void): Promise<Row[]> {
  if (stack.temporal !== 'cluster') throw new Error('the cluster scenarios need the cluster stack');
  const rows: Row[] = [];
  for (const n of o.workers) {
    await stack.scale(n);
    const { rows: measured, detail } = await measureWithCpu(stack, figure, { rest: o.rest, sms: { ...o.sms, samples: 0 } }, log, `cluster-${figure}, ${n} worker(s)`);
    rows.push(...measured.map((row) => onCluster(row, n, detail)));
  }
  return rows;
}

/**
 * Figure (1) or (2) with the CPU each part of the stack spent per execution (or message) of
 * either side, read from /proc around the timed stretches — what a core buys, whatever the
 * neighbours take — and the cores each part kept busy over the whole measurement, the rest of
 * the machine's too; logged under `label` and returned as the rows' detail.
 */
export async function measureWithCpu(stack: BenchStack, figure: 'rest' | 'sms', o: { readonly rest: ThroughputOptions; readonly sms: SmsOptions }, log: (line: string) => void, label: string): Promise<{ rows: Row[]; detail: Record<string, number | string> }> {
  const spent: Record<Side, Record<string, number>> = { engine: {}, bare: {} };
  const phase: Phase = async (side, run) => {
    const before = stack.cpu();
    const result = await run();
    for (const [part, seconds] of Object.entries(stack.cpu())) spent[side][part] = (spent[side][part] ?? 0) + seconds - (before[part] ?? 0);
    return result;
  };
  const before = { ...stack.cpu(), machine: machineCpuSeconds() };
  const started = performance.now();
  const rows = figure === 'rest' ? await measureRestThroughput(stack, { ...o.rest, phase }) : await measureSms(stack, { ...o.sms, phase });
  const ms = performance.now() - started;
  const cores = coresBusy(before, { ...stack.cpu(), machine: machineCpuSeconds() }, ms);
  const units = figure === 'rest' ? o.rest.executions : o.sms.throughputMessages;
  const perUnit = { engine: cpuMsPer(spent.engine, units), bare: cpuMsPer(spent.bare, units) };
  log(`bench: ${label}: CPU ms per ${figure === 'rest' ? 'execution' : 'message'}: engine ${perUnit.engine}; bare ${perUnit.bare}`);
  log(`bench: ${label}: cores busy over ${Math.round(ms / 1000)} s: ${Object.entries(cores).map(([part, c]) => `${part} ${c}`).join(', ')}`);
  return { rows, detail: { measuredSeconds: Math.round(ms / 100) / 10, engineCpuMs: perUnit.engine, bareCpuMs: perUnit.bare, ...prefixed('cores:', cores) } };
}

const prefixed = (prefix: string, values: Readonly<Record<string, number>>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));

/** The row as measured with `workers` workers (and as many bare workers), with what was read beside it. */
function onCluster(row: Row, workers: number, extra: Readonly<Record<string, number | string>>): Row {
  const each = workers === 1 ? 'worker' : 'workers';
  return {
    ...row,
    id: `cluster-${workers}w-${row.id}`,
    figure: `cluster, ${workers} ${each}: ${row.figure}`,
    baselineLabel: `${row.baselineLabel}, ${workers} bare ${each}`,
    detail: { ...row.detail, engineWorkers: workers, bareWorkers: workers, ...extra },
  };
}
