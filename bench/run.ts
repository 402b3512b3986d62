import path from 'node:path';
import { projectRoot } from '../src/config/paths';
import { machine, table, writeResults, type Row } from './report';
import { measureCalls } from './scenarios/calls';
import { measureHistory } from './scenarios/history';
import { measureLiquid } from './scenarios/liquid';
import { measureLiquidWork } from './scenarios/liquid-work';
import { measureParked } from './scenarios/parked';
import { measureSms } from './scenarios/sms';
import { measureRestThroughput } from './scenarios/throughput';
import { startBenchStack, type BenchStack } from './stack';

/**
 * `npm run bench [-- --quick] [--only=rest,sms,calls,history,parked,liquid] [--parked=N] [--temporal-db-file]`: starts its own
 * Temporal dev server, the app and a bare baseline worker, measures each figure beside its
 * baseline in the same run, prints a table and writes bench/results/latest.json (a quick run
 * writes bench/results/partial.json, so it never replaces the figures BENCHMARKS.md quotes).
 */
const FULL = {
  rest: { executions: 1000, warmup: 100, concurrency: 16 },
  sms: { samples: 200, warmup: 20, throughputMessages: 1000, concurrency: 16 },
  calls: { samples: 200, warmup: 20 },
  parked: { executions: 10_000, concurrency: 32 },
  liquidRounds: 20_000,
};
const QUICK: typeof FULL = {
  rest: { executions: 100, warmup: 20, concurrency: 16 },
  sms: { samples: 30, warmup: 5, throughputMessages: 100, concurrency: 16 },
  calls: { samples: 30, warmup: 5 },
  parked: { executions: 200, concurrency: 32 },
  liquidRounds: 2_000,
};
const SCENARIOS = ['liquid', 'history', 'rest', 'sms', 'calls', 'parked'] as const;
type Scenario = (typeof SCENARIOS)[number];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const temporalDbFile = args.includes('--temporal-db-file');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const unknown = only?.filter((s) => !(SCENARIOS as readonly string[]).includes(s)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${SCENARIOS.join(', ')}`);
  const chosen = SCENARIOS.filter((s) => !only || only.includes(s));
  const parked = Number(args.find((a) => a.startsWith('--parked='))?.slice('--parked='.length) ?? NaN);
  const base = quick ? QUICK : FULL;
  const options = Number.isInteger(parked) && parked > 0 ? { ...base, parked: { ...base.parked, executions: parked } } : base;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const startedAt = new Date();

  log(`bench: ${quick ? 'quick' : 'full'} run of ${chosen.join(', ')}; starting Temporal, the app and the baseline worker…`);
  const stack = await startBenchStack({ temporalDbFile }, log);
  const rows: Row[] = [];
  try {
    for (const scenario of chosen) {
      log(`bench: ${scenario}…`);
      const started = performance.now();
      rows.push(...(await run(scenario, stack, options)));
      log(`bench: ${scenario} took ${Math.round((performance.now() - started) / 1000)} s`);
    }
  } finally {
    await stack.stop();
  }
  const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  log(`\n${table(rows)}\n`);
  const partial = quick || only || temporalDbFile || options !== base;
  const file = path.join(projectRoot(), 'bench/results', partial ? 'partial.json' : 'latest.json');
  writeResults(file, { startedAt: startedAt.toISOString(), seconds, options: { quick, temporalDbFile, scenarios: chosen, ...options }, machine: machine(stack.temporalCli), rows });
  log(`bench: wrote ${path.relative(projectRoot(), file)} (${seconds} s)`);
}

function run(scenario: Scenario, stack: BenchStack, o: typeof FULL): Promise<Row[]> {
  switch (scenario) {
    case 'liquid':
      return Promise.resolve([...measureLiquid(o.liquidRounds), ...measureLiquidWork()]);
    case 'history':
      return measureHistory(stack);
    case 'rest':
      return measureRestThroughput(stack, o.rest);
    case 'sms':
      return measureSms(stack, o.sms);
    case 'calls':
      return measureCalls(stack, o.calls);
    case 'parked':
      return measureParked(stack, o.parked);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
