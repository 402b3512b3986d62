import { WithStartWorkflowOperation } from '@temporalio/client';
import { flowOf, triggerState } from '../../test/helpers/flows';
import { callParams, callSid, postVoice } from '../../test/helpers/voice';
import { bareCall, bareTurn } from '../baseline/workflows';
import { contact, FLOW_NUMBER, publish } from '../app';
import { latency, timeEach } from '../stats';
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
  const engine = async (i: number) => {
    const answer = await postVoice(url, stack.account.authToken, callParams(callSid(), contact(4, i), FLOW_NUMBER, { CallStatus: 'ringing' }));
    if (answer.status !== 200 || !answer.twiml.includes('<Say>Welcome to the bench</Say>')) throw new Error(`unexpected answer ${answer.status}: ${answer.twiml}`);
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
  const e = latency(await timeEach(o.samples, () => engine(n++)));
  const base = latency(await timeEach(o.samples, () => bare(b++)));
  return latencyRows('call', 'incoming call webhook -> TwiML', e, base, 'bare update-with-start', TARGETS.callP99);
}
