import { condition, defineSignal, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type * as activities from './activities';

/**
 * The bare Temporal baselines: the least a workflow can do for each of the engine's paths, so
 * that a figure for the engine is read against what Temporal itself costs on the same run.
 */

/** Started and completed, nothing else: the floor under a REST-started pure-logic execution. */
export function bareCompletion(): Promise<string> {
  return Promise.resolve('done');
}

export const bareInbound = defineSignal<[{ to: string; body: string }]>('bareInbound');

const { bareSend } = proxyActivities<typeof activities>({ startToCloseTimeout: '10s' });

/** Signal-with-start, then one activity that posts a message: the floor under inbound SMS → reply. */
export async function bareSmsReply(): Promise<void> {
  let inbound: { to: string; body: string } | undefined;
  setHandler(bareInbound, (message) => void (inbound ??= message));
  await condition(() => inbound !== undefined);
  await bareSend(inbound!.to, inbound!.body);
}

export const bareTurn = defineUpdate<string, [string]>('bareTurn');

/** Update-with-start answered from workflow state: the floor under a call webhook → TwiML. */
export async function bareCall(): Promise<void> {
  let answered = false;
  setHandler(bareTurn, (text) => {
    answered = true;
    return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${text}</Say></Response>`;
  });
  await condition(() => answered);
}

/** One activity and done: what a single activity costs in history. */
export async function bareOneActivity(to: string): Promise<void> {
  await bareSend(to, 'one activity');
}
