import { WithStartWorkflowOperation } from '@temporalio/client';
import { flowOf, triggerState } from '../../test/helpers/flows';
import { callParams, callSid, postVoice } from '../../test/helpers/voice';
import { serverTimings } from '../../test/helpers/server-timing';
import { bareCall, bareTurn } from '../baseline/workflows';
import { contact, FLOW_NUMBER, publish } from '../app';
import { latency, timeAlternately, timeEach } from '../stats';
import { TARGETS } from '../targets';
import type { BenchStack } from '../stack';
import { latencyRows, type Row } from '../report';

export interface CallOptions {
  readonly samples: number;
  readonly warmup: number;
}

/**
 * (3) An incoming-call webhook until its TwiML answer is read, against a bare update-with-start
 * round trip from a Temporal client (the workflow answers the update from its own state). One
 * call at a time, each a new call from a new caller.
 */
export async function measureCalls(stack: BenchStack, o: CallOptions): Promise<Row[]> {
  const flowSid = await publish(stack, 'bench: answer a call', flowOf(triggerState({ incomingCall: 'welcome' }), {
    name: 'welcome',
    type: 'say-play',
    properties: { say: 'Welcome to the bench' },
    transitions: [{ event: 'audioComplete' }],
  }));
  const url = stack.webhook(flowSid);
  // Each answer's Server-Timing: the API's whole time, and its part waiting on Temporal (the update-with-start).
  const timings: Array<Record<string, number>> = [];
  const engine = async (i: number) => {
    const answer = await postVoice(url, stack.account.authToken, callParams(callSid(), contact(4, i), FLOW_NUMBER, { CallStatus: 'ringing' }));
    if (answer.status !== 200 || !answer.twiml.includes('<Say>Welcome to the bench</Say>')) throw new Error(`unexpected answer ${answer.status}: ${answer.twiml}`);
    timings.push(serverTimings(answer.serverTiming));
  };
  const bare = async (i: number) => {
    const operation = new WithStartWorkflowOperation(bareCall, { taskQueue: stack.bareTaskQueue, workflowId: `bare-call-${i}`, workflowIdConflictPolicy: 'USE_EXISTING' });
    const twiml = await stack.client.workflow.executeUpdateWithStart(bareTurn, { args: ['Welcome to the bench'], startWorkflowOperation: operation });
    if (!twiml.includes('<Say>')) throw new Error('unexpected bare answer');
  };
  let n = 0;
  let b = 0;
  await timeEach(o.warmup, () => engine(n++));
  await timeEach(o.warmup, () => bare(b++));
  timings.length = 0;
  const times = await timeAlternately(o.samples, () => engine(n++), () => bare(b++));
  const rows = latencyRows('call', 'incoming call webhook -> TwiML', latency(times.engine), latency(times.bare), 'bare update-with-start', TARGETS.callP99);
  return rows.map((row) => (row.id === 'call-p99' ? { ...row, detail: { ...row.detail, ...byPart(times.engine, timings) } } : row));
}

/**
 * The engine's answer by part, p50 and p99 of each: `temporal` (the update-with-start round trip:
 * Temporal and the worker, to compare with bare's whole time), `api` (the API's own: signature,
 * flow, rate token, TwiML) and `http` (the rest: the webhook's HTTP and the bench client).
 */
function byPart(totals: readonly number[], timings: ReadonlyArray<Record<string, number>>): Record<string, number> {
  const parts = { temporal: [] as number[], api: [] as number[], http: [] as number[] };
  totals.forEach((total, i) => {
    const { app = 0, temporal = 0 } = timings[i] ?? {};
    parts.temporal.push(temporal);
    parts.api.push(app - temporal);
    parts.http.push(total - app);
  });
  return Object.fromEntries(Object.entries(parts).flatMap(([part, samples]) => {
    const l = latency(samples);
    return [[`engine_${part}_p50`, l.p50], [`engine_${part}_p99`, l.p99]];
  }));
}
