import type { JsonObject } from '../engine/json';
import type { WidgetBehaviour, WidgetOutcome } from '../engine/widget';
import { outboundMessage } from './message';
import { parseProperties } from './parse';
import { sendAndWaitForReplyProps } from './readers.generated';
import type { Infer } from './props';


/** Studio's default wait: one hour. */
const DEFAULT_REPLY_TIMEOUT_SECONDS = 3600;

/**
 * Send & Wait For Reply — sends a message, then waits for the contact's next message.
 * `incomingMessage` with the reply in `inbound.*` (the raw inbound webhook) and the sent
 * message in `outbound.*`; `timeout` after `timeout` seconds (default 3600); `deliveryFailure`
 * when the message could not be sent or its delivery failed while waiting.
 *
 * @example
 * { "name": "ask", "type": "send-and-wait-for-reply",
 *   "transitions": [{ "event": "incomingMessage", "next": "check" }, { "event": "timeout" }, { "event": "deliveryFailure" }],
 *   "properties": { "from": "{{flow.channel.address}}", "body": "Rate us 1-5", "timeout": "3600" } }
 */
export const sendAndWaitForReply: WidgetBehaviour<Infer<typeof sendAndWaitForReplyProps>> = {
  type: 'send-and-wait-for-reply',
  parse: (properties) => parseProperties('send-and-wait-for-reply', sendAndWaitForReplyProps, properties),
  run: async (run): Promise<WidgetOutcome> => {
    const { host, name, props, render } = run;
    const sent = await host.sendMessage(outboundMessage(run));
    if (!sent.ok) return { event: 'deliveryFailure', outputs: {}, error: { code: sent.code, message: sent.message } };
    const outbound = sent.message;
    const outcome = await host.waitForReply({ widget: name, timeoutSeconds: timeoutSeconds(props.timeout, render), outboundSid: sid(outbound) });
    if (outcome.kind === 'reply') return { event: 'incomingMessage', outputs: { outbound, inbound: outcome.message } };
    if (outcome.kind === 'timeout') return { event: 'timeout', outputs: { outbound } };
    return {
      event: 'deliveryFailure',
      outputs: { outbound: { ...outbound, ...outcome.status } },
      error: { code: 'message:undelivered', message: `The message was not delivered (${typeof outcome.status.Status === 'string' ? outcome.status.Status : 'failed'})` },
    };
  },
};

function timeoutSeconds(value: string | number | undefined, render: (t: string) => string): number {
  const seconds = Number(typeof value === 'string' ? render(value).trim() : value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_REPLY_TIMEOUT_SECONDS;
}

function sid(message: JsonObject): string | undefined {
  return typeof message.Sid === 'string' ? message.Sid : undefined;
}
