import { CALLBACK_URL, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour, WidgetOutcome } from '../engine/widget';
import { parseProperties } from './parse';
import { sendToFlexProps } from './readers.generated';
import type { Infer } from './props';
import { attribute, attributes, enqueueOutcome, executionCallSid, taskNode, voiceOutcome } from './voice';


/**
 * Send to Flex — hands the contact to a Flex agent through a TaskRouter `workflow`. In a call it
 * is a TaskRouter `<Enqueue>` (Twilio calls back when the caller leaves the queue, as for Enqueue
 * Call); in a messaging execution there is nothing to answer, so the host creates the task for
 * the conversation and the widget goes on: `callComplete` with the Task, or `failedToEnqueue`.
 *
 * @example
 * { "name": "agent", "type": "send-to-flex",
 *   "transitions": [{ "event": "callComplete" }, { "event": "failedToEnqueue", "next": "sorry" }, { "event": "callFailure" }],
 *   "properties": { "workflow": "WW00000000000000000000000000000001", "channel": "TC00000000000000000000000000000001",
 *     "attributes": "{\"name\": \"{{contact.channel.address}}\"}", "priority": "10", "timeout": "3600" } }
 */
export const sendToFlex: WidgetBehaviour<Infer<typeof sendToFlexProps>> = {
  type: 'send-to-flex',
  parse: (properties) => parseProperties('send-to-flex', sendToFlexProps, properties),
  run: async ({ name, stepSid, props, context, render, host }): Promise<WidgetOutcome> => {
    const inCall = context.trigger.call !== undefined || executionCallSid(context) !== undefined;
    if (inCall) {
      const enqueue: TwimlNode = {
        verb: 'Enqueue',
        attributes: attributes({
          action: CALLBACK_URL,
          method: 'POST',
          workflowSid: attribute(props.workflow, render),
          waitUrl: attribute(props.waitUrl, render),
          waitUrlMethod: attribute(props.waitUrlMethod, render),
        }),
        children: [taskNode(props.attributes, props.priority, props.timeout, render)],
      };
      const outcome = await host.voice({ widget: name, stepSid, twiml: [enqueue], awaitCallback: true });
      return voiceOutcome(name, outcome, enqueueOutcome);
    }
    const text = (v: unknown) => {
      const rendered = attribute(v, render);
      return rendered === undefined ? undefined : String(rendered);
    };
    const priority = text(props.priority);
    const timeout = text(props.timeout);
    const result = await host.handoffToFlex({
      widget: name,
      idempotencyKey: `${context.flow.sid}:${stepSid}`,
      workflowSid: text(props.workflow) ?? '',
      channelSid: text(props.channel) ?? '',
      attributes: text(props.attributes) ?? '{}',
      ...(priority !== undefined ? { priority } : {}),
      ...(timeout !== undefined ? { timeout } : {}),
      contact: context.contact.channel.address,
      channelAddress: context.flow.channel.address,
    });
    if (!result.ok) return { event: 'failedToEnqueue', outputs: {}, error: { code: result.code, message: result.message } };
    return { event: 'callComplete', outputs: result.task };
  },
};
