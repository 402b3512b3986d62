import { randomBytes } from 'node:crypto';
import { postInboundMessage } from '../../test/helpers/twilio-stand-in';
import { flowOf, setVariablesState, triggerState } from '../../test/helpers/flows';
import { bareInbound, bareSmsReply } from '../baseline/workflows';
import { contact, executionResult, FLOW_NUMBER, publish, startExecution } from '../app';
import { inParallel, latencyTarget, perSecond, ratio } from '../stats';
import { TARGETS } from '../targets';
import { cpuMsPer, cpuSpent } from '../cpu';
import type { BenchStack } from '../stack';
import type { Row } from '../report';

export interface ParkedOptions {
  readonly executions: number;
  readonly concurrency: number;
}

/** Lets the processes settle (timers, GC) before their memory is read. */
const SETTLE_MS = 5_000;

/**
 * (5) Executions parked in Send & Wait For Reply: the worker's and the API's memory with all of
 * them waiting, then the time to resume them all with a reply each (a signed webhook, awaited to
 * completion). Against bare workflows parked on a signal, then signalled into one activity.
 */
export async function measureParked(stack: BenchStack, o: ParkedOptions): Promise<Row[]> {
  const flowSid = await publish(stack, 'bench: parked', flowOf(
    triggerState({ incomingRequest: 'ask' }),
    { name: 'ask', type: 'send-and-wait-for-reply', properties: { body: 'Still there?', timeout: '86400' }, transitions: [{ event: 'incomingMessage', next: 'noted' }, { event: 'timeout' }, { event: 'deliveryFailure' }] },
    setVariablesState('noted', [{ key: 'answer', value: '{{widgets.ask.inbound.Body}}' }]),
  ));
  const idle = stack.memory();
  const sent = stack.standIn.messages.length;
  const workflowIds: string[] = [];
  const parkMs = await inParallel(o.executions, o.concurrency, async (i) => {
    workflowIds[i] = await startExecution(stack, flowSid, contact(6, i));
  });
  await waitUntil(() => stack.standIn.messages.length - sent >= o.executions, 600_000, 'every parked execution to send its question');
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const parked = stack.memory();
  const url = stack.webhook(flowSid);
  // The resumes' CPU by part (Temporal, API, worker, bench): which share of the gap is whose.
  const resumeCpu = stack.cpu();
  const resumeMs = await inParallel(o.executions, o.concurrency, async (i) => {
    const response = await postInboundMessage(url, stack.account.authToken, { From: contact(6, i), To: FLOW_NUMBER, Body: 'yes', MessageSid: `SM${randomBytes(16).toString('hex')}` });
    await response.body?.cancel();
    const result = await executionResult(stack, workflowIds[i]!);
    const answer = (result.context as { flow?: { variables?: { answer?: string } } }).flow?.variables?.answer;
    if (answer !== 'yes') throw new Error(`execution ${workflowIds[i]} did not resume with the reply (answer: ${answer})`);
  });

  const engineCpu = cpuMsPer(cpuSpent(resumeCpu, stack.cpu()), o.executions);

  const bareParkMs = await inParallel(o.executions, o.concurrency, async (i) => {
    await stack.client.workflow.start(bareSmsReply, { taskQueue: stack.bareTaskQueue, workflowId: `bare-parked-${i}` });
  });
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const bareParked = stack.memory();
  const bareResumeCpu = stack.cpu();
  const bareResumeMs = await inParallel(o.executions, o.concurrency, async (i) => {
    const handle = stack.client.workflow.getHandle(`bare-parked-${i}`);
    await handle.signal(bareInbound, { to: contact(7, i), body: 'noted' });
    await handle.result();
  });
  const bareCpu = cpuMsPer(cpuSpent(bareResumeCpu, stack.cpu()), o.executions);

  const n = o.executions;
  const baselineLabel = `${n} bare workflows parked on a signal`;
  return [
    {
      id: 'parked-worker-memory',
      figure: `worker RSS with ${n} executions parked`,
      unit: 'MiB',
      engine: parked.worker,
      baseline: bareParked.bareWorker,
      baselineLabel,
      target: `< ${TARGETS.parkedWorkerMiB} MiB`,
      met: parked.worker < TARGETS.parkedWorkerMiB,
      detail: { idleWorker: idle.worker, idleBareWorker: idle.bareWorker },
    },
    { id: 'parked-api-memory', figure: `API RSS with ${n} executions parked`, unit: 'MiB', engine: parked.api, baseline: idle.api, baselineLabel: 'the API before parking', target: `< ${TARGETS.parkedApiMiB} MiB`, met: parked.api < TARGETS.parkedApiMiB },
    { id: 'parked-start-rate', figure: `executions parked/s (REST start + send), ${o.concurrency} in flight`, unit: 'exec/s', engine: perSecond(n, parkMs), baseline: perSecond(n, bareParkMs), baselineLabel: 'bare starts/s', ratio: ratio(perSecond(n, parkMs), perSecond(n, bareParkMs)) },
    {
      id: 'parked-resume',
      figure: `time to resume all ${n} (reply webhook -> completed; all ${n} resumed)`,
      unit: 's',
      engine: round(resumeMs / 1000),
      baseline: round(bareResumeMs / 1000),
      baselineLabel: 'bare signal -> activity -> completed',
      ...latencyTarget(resumeMs, bareResumeMs, TARGETS.parkedResume),
      detail: { enginePerSecond: perSecond(n, resumeMs), baselinePerSecond: perSecond(n, bareResumeMs), engineCpuMs: engineCpu, bareCpuMs: bareCpu },
    },
  ];
}

const round = (seconds: number) => Math.round(seconds * 10) / 10;

async function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
