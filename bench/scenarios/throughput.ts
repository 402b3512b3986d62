import { bareCompletion } from '../baseline/workflows';
import { contact, executionResult, publish, pureLogicFlow, startExecution } from '../app';
import { inParallel, latency, perSecond, ratio, timed, untimed, type Phase } from '../stats';
import type { BenchStack } from '../stack';
import type { Row } from '../report';
import { TARGETS } from '../targets';

export interface ThroughputOptions {
  readonly executions: number;
  readonly warmup: number;
  readonly concurrency: number;
  /** Wraps each timed half of either side (nothing by default). */
  readonly phase?: Phase;
}

/**
 * (1) Executions per second of a 10-widget pure-logic flow, each started through the REST API
 * and awaited to completion, against bare workflows started and awaited by a Temporal client
 * with the same concurrency.
 */
export async function measureRestThroughput(stack: BenchStack, o: ThroughputOptions): Promise<Row[]> {
  const flowSid = await publish(stack, 'bench: 10 pure widgets', pureLogicFlow(10));
  const engine = async (i: number) => {
    const workflowId = await startExecution(stack, flowSid, contact(1, i));
    await executionResult(stack, workflowId);
  };
  const bare = async (i: number) => {
    await stack.client.workflow.execute(bareCompletion, { taskQueue: stack.bareTaskQueue, workflowId: `bare-completion-${i}` });
  };
  await inParallel(o.warmup, o.concurrency, engine);
  await inParallel(o.warmup, o.concurrency, bare);
  // Interleaved halves, so that a drift in the machine's state (the dev server's database
  // growing, a neighbour's load) falls on both sides alike.
  const half = Math.floor(o.executions / 2);
  const phase = o.phase ?? untimed;
  let engineMs = 0;
  let bareMs = 0;
  // Each execution's own time under load too, for the distribution picture.
  const engineTimes: number[] = [];
  const bareTimes: number[] = [];
  for (const [from, n] of [[o.warmup, half], [o.warmup + half, o.executions - half]] as const) {
    engineMs += await phase('engine', () => inParallel(n, o.concurrency, (i) => timed(engineTimes, () => engine(from + i))));
    bareMs += await phase('bare', () => inParallel(n, o.concurrency, (i) => timed(bareTimes, () => bare(from + i))));
  }
  const engineRate = perSecond(o.executions, engineMs);
  const bareRate = perSecond(o.executions, bareMs);
  return [
    {
      id: 'rest-throughput',
      figure: `REST-started executions/s, 10 pure widgets, ${o.concurrency} in flight`,
      unit: 'exec/s',
      engine: engineRate,
      baseline: bareRate,
      baselineLabel: 'bare workflow start+complete',
      ratio: ratio(engineRate, bareRate),
      target: `ratio >= ${TARGETS.restRate} and > 20/s`,
      met: ratio(engineRate, bareRate) >= TARGETS.restRate && engineRate > 20,
      distribution: { engine: latency(engineTimes).percentiles, baseline: latency(bareTimes).percentiles },
    },
  ];
}
