import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config/paths';
import { prebuiltBundle } from '../src/temporal/workflow-bundle';
import { latencyPicture } from './chart';
import { machine, table, writeResults, type Row } from './report';
import { measureCalls } from './scenarios/calls';
import { measureOnCluster, measureWithCpu } from './scenarios/cluster';
import { measureHistory } from './scenarios/history';
import { measureInsights } from './scenarios/insights';
import { measureLiquid } from './scenarios/liquid';
import { measureLiquidWork } from './scenarios/liquid-work';
import { measureParked } from './scenarios/parked';
import { startBenchStack, type BenchStack } from './stack';

/**
 * `npm run bench [-- --quick | --smoke] [--only=liquid,insights,rest,sms,…,cluster-rest,cluster-sms] [--parked=N] [--temporal-db-file]`:
 * starts its own Temporal dev server, the app and a bare baseline worker, measures each figure
 * beside its baseline in the same run; then the same for the cluster figures on the production
 * shape (Temporal's own server on PostgreSQL). Prints a table. Each complete set of figures goes
 * to its own file — the dev server's to bench/results/latest.json, the cluster's to
 * bench/results/cluster.json — so a run of one set never replaces the other's; anything less
 * (a quick run, some of a set, other settings) goes to bench/results/partial.json.
 */
const FULL = {
  rest: { executions: 1000, warmup: 100, concurrency: 16 },
  sms: { samples: 200, warmup: 20, throughputMessages: 1000, concurrency: 16 },
  calls: { samples: 200, warmup: 20 },
  parked: { executions: 10_000, concurrency: 32 },
  liquidRounds: 20_000,
  insights: { steps: 100_000, samples: 30 },
  cluster: { workers: [1, 2], apis: 2 },
};
const QUICK: typeof FULL = {
  rest: { executions: 100, warmup: 20, concurrency: 16 },
  sms: { samples: 30, warmup: 5, throughputMessages: 100, concurrency: 16 },
  calls: { samples: 30, warmup: 5 },
  parked: { executions: 200, concurrency: 32 },
  liquidRounds: 2_000,
  insights: { steps: 10_000, samples: 10 },
  cluster: { workers: [1, 2], apis: 2 },
};
/**
 * A few of each, to show every scenario still runs end to end (`npm test` runs it: a bench that
 * is only run now and then rots); its figures mean nothing and are written nowhere.
 */
const SMOKE: typeof FULL = {
  rest: { executions: 10, warmup: 2, concurrency: 4 },
  sms: { samples: 5, warmup: 1, throughputMessages: 10, concurrency: 4 },
  calls: { samples: 5, warmup: 1 },
  parked: { executions: 20, concurrency: 8 },
  liquidRounds: 100,
  insights: { steps: 1_000, samples: 2 },
  cluster: { workers: [1, 2], apis: 2 },
};
/** Each scenario with the stack it runs on (Liquid uses none, but runs beside the dev server as it always has); in this order. */
const SCENARIOS = { liquid: 'dev', insights: 'dev', history: 'dev', rest: 'dev', sms: 'dev', calls: 'dev', parked: 'dev', 'cluster-rest': 'cluster', 'cluster-sms': 'cluster' } as const;
type Scenario = keyof typeof SCENARIOS;
const NAMES = Object.keys(SCENARIOS) as Scenario[];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const smoke = args.includes('--smoke');
  const quick = smoke || args.includes('--quick');
  const temporalDbFile = args.includes('--temporal-db-file');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const unknown = only?.filter((s) => !(NAMES as string[]).includes(s)) ?? [];
  if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; choose from ${NAMES.join(', ')}`);
  const chosen = NAMES.filter((s) => !only || only.includes(s));
  const parked = Number(args.find((a) => a.startsWith('--parked='))?.slice('--parked='.length) ?? NaN);
  const base = smoke ? SMOKE : quick ? QUICK : FULL;
  const options = Number.isInteger(parked) && parked > 0 ? { ...base, parked: { ...base.parked, executions: parked } } : base;
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const startedAt = new Date();
  // Workers without a current bundle run webpack at start: the figures would measure that instead.
  if (!prebuiltBundle()) throw new Error('dist/workflow-bundle.js is missing or older than the code it is made of: run `npm run build && npm run build:bench`');

  log(`bench: ${smoke ? 'smoke' : quick ? 'quick' : 'full'} run of ${chosen.join(', ')}`);
  const rows = { dev: [] as Row[], cluster: [] as Row[] };
  const temporal = { dev: '', cluster: '' };
  for (const kind of ['dev', 'cluster'] as const) {
    const here = chosen.filter((s) => SCENARIOS[s] === kind);
    if (here.length === 0) continue;
    log(`bench: starting ${kind === 'dev' ? 'a Temporal dev server' : `the cluster (PostgreSQL, Temporal's server, ${options.cluster.apis} API processes)`}, the app and the baseline worker…`);
    const stack = await startBenchStack({ temporalDbFile, temporal: kind, apis: kind === 'cluster' ? options.cluster.apis : 1 }, log);
    temporal[kind] = stack.temporalCli;
    try {
      for (const scenario of here) {
        log(`bench: ${scenario}…`);
        const started = performance.now();
        rows[kind].push(...(await run(scenario, stack, options, log)));
        log(`bench: ${scenario} took ${Math.round((performance.now() - started) / 1000)} s`);
      }
    } finally {
      await stack.stop();
    }
  }
  const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
  log(`\n${table([...rows.dev, ...rows.cluster])}\n`);

  // A set is complete when all its scenarios ran, full-size, with the default settings.
  const all = (kind: 'dev' | 'cluster') => NAMES.filter((s) => SCENARIOS[s] === kind).every((s) => chosen.includes(s));
  const devComplete = !quick && !temporalDbFile && options === base && all('dev');
  const clusterComplete = !quick && all('cluster');
  const files = [
    { name: 'latest.json', kinds: devComplete ? (['dev'] as const) : [] },
    { name: 'cluster.json', kinds: clusterComplete ? (['cluster'] as const) : [] },
    { name: 'partial.json', kinds: [...(devComplete ? [] : (['dev'] as const)), ...(clusterComplete ? [] : (['cluster'] as const))] },
  ];
  if (smoke) {
    // The picture is drawn too (and dropped), so its code cannot rot either.
    const picture = await latencyPicture([...rows.dev, ...rows.cluster], 'smoke');
    if (chosen.some((s) => ['rest', 'sms', 'calls'].includes(s)) && !picture?.includes('<svg')) throw new Error('the latency picture was not drawn');
    log('bench: smoke run: every scenario completed (figures not written)');
    return;
  }
  for (const { name, kinds } of files) {
    const written = kinds.flatMap((k) => rows[k]);
    if (written.length === 0) continue;
    const file = path.join(projectRoot(), 'bench/results', name);
    const scenarios = chosen.filter((s) => (kinds as readonly string[]).includes(SCENARIOS[s]));
    const temporalUsed = kinds.map((k) => temporal[k]).filter(Boolean).join('; ');
    writeResults(file, { startedAt: startedAt.toISOString(), seconds, options: { quick, temporalDbFile, scenarios, ...options }, machine: machine(temporalUsed), rows: written });
    log(`bench: wrote ${path.relative(projectRoot(), file)} (${scenarios.join(', ')}; the run took ${seconds} s)`);
    const picture = await latencyPicture(written, `Latency, engine beside bare Temporal (${name}, ${startedAt.toISOString().slice(0, 10)}, ${machine(temporalUsed).cores} cores)`);
    if (picture) {
      const svg = file.replace(/\.json$/, '-latency.svg');
      fs.writeFileSync(svg, picture);
      log(`bench: wrote ${path.relative(projectRoot(), svg)}`);
    }
  }
}

function run(scenario: Scenario, stack: BenchStack, o: typeof FULL, log: (line: string) => void): Promise<Row[]> {
  switch (scenario) {
    case 'liquid':
      return Promise.resolve([...measureLiquid(o.liquidRounds), ...measureLiquidWork()]);
    case 'insights':
      return measureInsights(o.insights.steps, o.insights.samples);
    case 'history':
      return measureHistory(stack);
    case 'rest':
    case 'sms':
      return withCpuDetail(measureWithCpu(stack, scenario, o, log, scenario));
    case 'calls':
      return measureCalls(stack, o.calls);
    case 'parked':
      return measureParked(stack, o.parked);
    case 'cluster-rest':
    case 'cluster-sms':
      return measureOnCluster(stack, scenario === 'cluster-rest' ? 'rest' : 'sms', { workers: o.cluster.workers, rest: o.rest, sms: o.sms }, log);
  }
}

/** The rows, each with the CPU per execution by part beside it. */
async function withCpuDetail(measured: ReturnType<typeof measureWithCpu>): Promise<Row[]> {
  const { rows, detail } = await measured;
  return rows.map((row) => ({ ...row, detail: { ...row.detail, ...detail } }));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
