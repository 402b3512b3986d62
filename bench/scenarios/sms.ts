import { randomBytes } from 'node:crypto';
import { postInboundMessage } from '../../test/helpers/twilio-stand-in';
import { flowOf, triggerState } from '../../test/helpers/flows';
import { bareInbound, bareSmsReply } from '../baseline/workflows';
import { contact, FLOW_NUMBER, publish } from '../app';
import { inParallel, latency, perSecond, ratio, timeAlternately, untimed, type Phase } from '../stats';
import { TARGETS } from '../targets';
import type { BenchStack } from '../stack';
import { latencyRows, type Row } from '../report';

export interface SmsOptions {
  /** Messages timed one at a time for p50/p99; 0 measures the rate only. */
  readonly samples: number;
  readonly warmup: number;
  readonly throughputMessages: number;
  readonly concurrency: number;
  /** Wraps the timed rate stretch of either side (nothing by default). */
  readonly phase?: Phase;
}

/**
 * (2) An inbound SMS (a signed webhook) until the reply reaches the Twilio API stand-in, against
 * a bare signal-with-start whose workflow makes the same Messages API call from one activity:
 * unloaded latency one at a time, then throughput with `concurrency` in flight. Every message
 * comes from a new contact, so each one starts an execution. Webhooks go to the stack's API
 * processes in turn.
 */
export async function measureSms(stack: BenchStack, o: SmsOptions): Promise<Row[]> {
  const flowSid = await publish(stack, 'bench: sms reply', flowOf(triggerState({ incomingMessage: 'reply' }), {
    name: 'reply',
    type: 'send-message',
    properties: { body: 'Thanks, {{trigger.message.Body}}' },
    transitions: [{ event: 'sent' }, { event: 'failed' }],
  }));
  const engine = async (i: number) => {
    const from = contact(2, i);
    const arrived = stack.arrival(from);
    const response = await postInboundMessage(stack.webhook(flowSid), stack.account.authToken, { From: from, To: FLOW_NUMBER, Body: 'hello', MessageSid: `SM${randomBytes(16).toString('hex')}` });
    if (response.status !== 200) throw new Error(`the webhook answered ${response.status}`);
    await response.body?.cancel();
    await arrived;
  };
  const bare = async (i: number) => {
    const to = contact(3, i);
    const arrived = stack.arrival(to);
    await stack.client.workflow.signalWithStart(bareSmsReply, { taskQueue: stack.bareTaskQueue, workflowId: `bare-sms-${to}`, signal: bareInbound, signalArgs: [{ to, body: 'Thanks, hello' }] });
    await arrived;
  };
  let n = 0;
  await inParallel(o.warmup, 4, () => engine(n++));
  let b = 0;
  await inParallel(o.warmup, 4, () => bare(b++));
  const { engine: engineTimes, bare: bareTimes } = await timeAlternately(o.samples, () => engine(n++), () => bare(b++));
  const phase = o.phase ?? untimed;
  // Interleaved halves, as for REST: a drift in the machine's state falls on both sides alike.
  let engineMs = 0;
  let bareMs = 0;
  for (const half of [Math.floor(o.throughputMessages / 2), o.throughputMessages - Math.floor(o.throughputMessages / 2)]) {
    engineMs += await phase('engine', () => inParallel(half, o.concurrency, () => engine(n++)));
    bareMs += await phase('bare', () => inParallel(half, o.concurrency, () => bare(b++)));
  }
  const engineRate = perSecond(o.throughputMessages, engineMs);
  const bareRate = perSecond(o.throughputMessages, bareMs);
  const baselineLabel = 'bare signal-with-start + 1 activity';
  return [
    ...(o.samples > 0 ? latencyRows('sms', 'inbound SMS -> reply at the API stand-in', latency(engineTimes), latency(bareTimes), baselineLabel, TARGETS.smsP99) : []),
    {
      id: 'sms-throughput',
      figure: `inbound SMS answered/s, ${o.concurrency} in flight`,
      unit: 'msg/s',
      engine: engineRate,
      baseline: bareRate,
      baselineLabel,
      ratio: ratio(engineRate, bareRate),
      target: `ratio >= ${TARGETS.smsRate}`,
      met: ratio(engineRate, bareRate) >= TARGETS.smsRate,
    },
  ];
}
