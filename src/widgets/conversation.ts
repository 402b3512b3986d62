import type { ConversationRequest, ConversationResult } from '../engine/effects';
import { FlowError } from '../engine/errors';
import { applies } from '../engine/host';
import type { JsonObject, JsonValue } from '../engine/json';
import type { WidgetOutcome, WidgetRun } from '../engine/widget';

/**
 * What Start Conversation and Resume Conversation share
 * (https://www.twilio.com/docs/studio/widget-library/start-conversation,
 * https://www.twilio.com/docs/studio/widget-library/resume-conversation): both run only in
 * executions started through the REST API, attach one Conversation per execution, and publish
 * it as `conversation.*` with the `webhook_sid` that brings its messages back to the execution,
 * in `widgets.<name>` and merged into `flow.channel`.
 */

/** Executions recorded before these widgets ran ended here: they must replay the same way. */
export function unsupportedBefore(run: WidgetRun<unknown>, type: string): void {
  if (!applies(run.host, 'conversation-widgets')) throw new FlowError('widget:unsupported', `Widget type "${type}" is not supported yet`);
}

/** The Conversation this execution already has: its trigger's, or one a widget attached (`flow.channel`). */
export function activeConversation(context: WidgetRun<unknown>['context']): string | undefined {
  const triggered = (context.trigger.conversation as JsonObject | undefined)?.ConversationSid;
  if (typeof triggered === 'string') return triggered;
  const attached = context.flow.channel.conversation;
  const sid = isObject(attached) ? attached.Sid : undefined;
  return typeof sid === 'string' ? sid : undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

/** Why the widget cannot attach a Conversation here, or undefined when it can. */
export function refusal(run: WidgetRun<unknown>): { code: string; message: string } | undefined {
  if (run.context.trigger.request === undefined) {
    return { code: 'conversation:not-rest', message: 'A Conversation can only be started or resumed in an execution triggered by the REST API' };
  }
  const active = activeConversation(run.context);
  if (active !== undefined) return { code: 'conversation:already-active', message: `This execution already has Conversation ${active}: only one per execution` };
  return undefined;
}

/** Asks the host, and turns its answer into the widget's event. */
export async function attach(run: WidgetRun<unknown>, request: Omit<ConversationRequest, 'widget' | 'idempotencyKey' | 'contact' | 'channelAddress'>, success: string): Promise<WidgetOutcome> {
  const { context, name, stepSid, host } = run;
  const result: ConversationResult = await host.conversation({
    ...request,
    widget: name,
    idempotencyKey: `${context.flow.sid}:${stepSid}`,
    contact: context.contact.channel.address,
    channelAddress: context.flow.channel.address,
  });
  if (!result.ok) return { event: 'failed', outputs: {}, error: { code: result.code, message: result.message } };
  // The Conversation becomes the execution's channel: later messaging widgets send into it.
  const outputs = { conversation: result.conversation, webhook_sid: result.webhookSid };
  return { event: success, outputs, channel: outputs };
}

/** A rendered, trimmed property; empty is absent. */
export function rendered(run: WidgetRun<unknown>, template: string | undefined): string | undefined {
  if (template === undefined) return undefined;
  const text = run.render(template).trim();
  return text === '' ? undefined : text;
}
