import type { OutboundMessage } from '../engine/effects';
import type { JsonObject } from '../engine/json';
import type { WidgetRun } from '../engine/widget';
import { activeConversation } from './conversation';
import type { Infer } from './props';
import type { sendAndWaitForReplyProps } from './readers.generated';
import { renderKeyValueObject } from './values';

/** What Send Message and Send & Wait For Reply share (the latter has no `to`: it answers the contact). */
type MessageProps = Infer<typeof sendAndWaitForReplyProps> & { to?: string };

/**
 * The message a widget sends, rendered: `from` defaults to the flow's channel address, `to` to
 * the contact; in an execution started by a conversation message, or with a Conversation a
 * Start / Resume Conversation widget attached, it goes into that conversation. Media URLs may be separated by commas or spaces.
 */
export function outboundMessage(run: WidgetRun<MessageProps>): OutboundMessage {
  const { props, render, context, name, stepSid } = run;
  const template = (props.message_type ?? '').trim().toLowerCase() === 'content_template';
  const conversation = activeConversation(context);
  const attributes = props.attributes ? render(props.attributes) : '';
  return {
    widget: name,
    idempotencyKey: `${context.flow.sid}:${stepSid}`,
    to: render(props.to ?? '{{contact.channel.address}}').trim(),
    from: render(props.from ?? '{{flow.channel.address}}').trim(),
    ...(!template && props.body !== undefined ? { body: render(props.body) } : {}),
    mediaUrls: render(props.media_url ?? '')
      .split(/[\s,]+/)
      .filter((url) => url !== ''),
    ...(template && props.content_sid ? { contentSid: render(props.content_sid).trim(), contentVariables: renderKeyValueObject(props.content_variables ?? [], render, run.limits.maxJsonDepth) } : {}),
    ...(attributes.trim() !== '' ? { attributes } : {}),
    ...(typeof conversation === 'string' ? { conversationSid: conversation } : {}),
    ...(shortenUrls(run) ? { shortenUrls: true, ...linkShorteningService(run) } : {}),
  };
}

function shortenUrls({ props, render }: WidgetRun<MessageProps>): boolean {
  const value = typeof props.shorten_urls === 'string' ? render(props.shorten_urls) : props.shorten_urls;
  return value === true || (typeof value === 'string' && value.trim().toLowerCase() === 'true');
}

/**
 * Link shortening needs a Messaging Service: Studio looks for its SID in `from`, then
 * `flow.channel.address`, then `trigger.message.MessagingServiceSid`
 * (https://www.twilio.com/docs/studio/widget-library/send-wait-reply, optional configuration).
 * A sender that is itself a service needs nothing more.
 */
function linkShorteningService({ props, render, context }: WidgetRun<MessageProps>): { messagingServiceSid?: string } {
  const candidates = [render(props.from ?? '{{flow.channel.address}}').trim(), render('{{flow.channel.address}}').trim(), (context.trigger.message as JsonObject | undefined)?.MessagingServiceSid];
  const service = candidates.find((sid): sid is string => typeof sid === 'string' && /^MG[0-9a-fA-F]{32}$/.test(sid));
  return service === undefined || service === candidates[0] ? {} : { messagingServiceSid: service };
}
