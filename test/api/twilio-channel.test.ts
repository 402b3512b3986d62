import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { FlowState } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { eventually, startTwilioMessagingRig, type MessagingRig } from '../helpers/messaging';
import type { TwilioStandIn } from '../helpers/twilio-stand-in';

const say = (name: string, body: string, sent?: string, failed?: string): FlowState => ({
  name,
  type: 'send-message',
  properties: { body },
  transitions: [sent ? { event: 'sent', next: sent } : { event: 'sent' }, failed ? { event: 'failed', next: failed } : { event: 'failed' }],
});

/** The Twilio channel against a stand-in speaking Twilio's API: sends, refusals, outages, status callbacks. */
describe('messaging through the Twilio channel', () => {
  let standIn: TwilioStandIn;
  let rig: MessagingRig;
  let close = () => Promise.resolve();
  beforeAll(async () => {
    ({ rig, standIn, close } = await startTwilioMessagingRig());
  });
  afterAll(() => close());

  const state = (flow: string, contact: string) => rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, contact)).query(executionSnapshot);
  const ended = (flow: string, contact: string) => eventually('the execution to end', async () => {
    const s = await state(flow, contact);
    return s.status === 'ended' ? s : undefined;
  });

  it('sends through Messages.json with a status callback, and publishes the Message as outbound', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'hi' }), say('hi', 'Hello {{trigger.message.Body}}')));
    await rig.text(flow, '+14155550200', 'there');
    const s = await ended(flow, '+14155550200');
    const sent = standIn.messages.find((m) => m.to === '+14155550200')!;
    expect(sent).toMatchObject({ body: 'Hello there', from: '+15005550006' });
    expect(sent.statusCallback).toBe(`${rig.api.url}/v1/Accounts/${rig.account.accountSid}/Flows/${flow}/MessageStatus?WorkflowId=${encodeURIComponent(`${flow}:+14155550200`)}`);
    expect(sent.idempotencyToken).toMatch(/^FN[0-9a-f]{32}:FT[0-9a-f]{32}$/);
    expect(s.context.widgets.hi).toMatchObject({ outbound: { Sid: sent.sid, Status: 'queued', Body: 'Hello there', To: '+14155550200', AccountSid: rig.account.accountSid, NumSegments: '1' } });
    // The Studio user guide's names for the same (https://www.twilio.com/docs/studio/user-guide, widget variables).
    expect((s.context.widgets.hi as { message?: unknown }).message).toEqual((s.context.widgets.hi as { outbound?: unknown }).outbound);
  });

  it('takes failed when Twilio refuses the message (4xx), without retrying', async () => {
    standIn.refuse('+14155550201');
    const before = standIn.attempts;
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'hi' }), say('hi', 'x', undefined, 'oops'), setVariablesState('oops', [{ key: 'failed', value: 'yes' }])));
    await rig.text(flow, '+14155550201', 'go');
    const s = await ended(flow, '+14155550201');
    expect(s.context.flow.variables).toEqual({ failed: 'yes' });
    expect(s.steps[1]).toMatchObject({ name: 'failed', error: { code: 'message:rejected' } });
    expect(s.steps[1]!.error!.message).toMatch(/21211/);
    expect(standIn.attempts - before).toBe(1);
  });

  it('retries a Twilio outage (5xx) and sends once', async () => {
    standIn.failNext(2);
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'hi' }), say('hi', 'after the outage')));
    await rig.text(flow, '+14155550202', 'go');
    const s = await ended(flow, '+14155550202');
    expect(s.steps[1]?.name).toBe('sent');
    expect(standIn.messages.filter((m) => m.to === '+14155550202')).toHaveLength(1);
  }, 30_000);

  it('takes deliveryFailure when a status callback reports the message undelivered while waiting', async () => {
    const flow = await rig.publish(
      flowOf(
        triggerState({ incomingMessage: 'ask' }),
        {
          name: 'ask',
          type: 'send-and-wait-for-reply',
          properties: { body: 'Are you there?', timeout: '3600' },
          transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure', next: 'lost' }],
        },
        setVariablesState('lost', [{ key: 'status', value: '{{widgets.ask.outbound.Status}} {{widgets.ask.outbound.ErrorCode}}' }]),
      ),
    );
    await rig.text(flow, '+14155550203', 'go');
    const sent = await eventually('the message to be sent', () => Promise.resolve(standIn.messages.find((m) => m.to === '+14155550203')));
    await eventually('the widget to wait', async () => ((await state(flow, '+14155550203')).steps.length === 1 ? true : undefined));
    expect(await standIn.reportStatus(sent.sid, 'sent')).toBe(204);
    expect(await standIn.reportStatus(sent.sid, 'undelivered', '30003')).toBe(204);
    const s = await ended(flow, '+14155550203');
    expect(s.context.flow.variables).toEqual({ status: 'undelivered 30003' });
    expect(s.steps[1]).toMatchObject({ name: 'deliveryFailure', transitioned_from: 'ask' });
  });

  // Studio's shorten_urls is the Messages API's ShortenUrls (https://www.twilio.com/docs/messaging/api/message-resource),
  // which needs a Messaging Service (https://www.twilio.com/docs/studio/widget-library/send-wait-reply).
  it('sends shorten_urls as ShortenUrls with the Messaging Service, and nothing of it otherwise', async () => {
    const service = `MG${'a'.repeat(32)}`;
    const flow = await rig.publish(
      flowOf(triggerState({ incomingMessage: 'short' }), {
        name: 'short',
        type: 'send-message',
        properties: { from: service, body: 'See https://example.test/a/long/link', shorten_urls: true },
        transitions: [{ event: 'sent', next: 'plain' }, { event: 'failed' }],
      }, say('plain', 'no links')),
    );
    await rig.text(flow, '+14155550204', 'go');
    await ended(flow, '+14155550204');
    const [short, plain] = standIn.messages.filter((m) => m.to === '+14155550204');
    expect(short!.params).toMatchObject({ MessagingServiceSid: service, ShortenUrls: 'true', Body: 'See https://example.test/a/long/link' });
    expect(plain!.params.ShortenUrls).toBeUndefined();
  });

  it('refuses a status callback that is not signed', async () => {
    const res = await fetch(`${rig.api.url}/v1/Accounts/${rig.account.accountSid}/Flows/FW${'0'.repeat(32)}/MessageStatus?WorkflowId=x`, {
      method: 'POST',
      body: new URLSearchParams({ MessageSid: 'SM1', MessageStatus: 'failed' }),
    });
    expect(res.status).toBe(403);
  });
});

describe('the incoming conversation trigger', () => {
  let standIn: TwilioStandIn;
  let rig: MessagingRig;
  let close = () => Promise.resolve();
  beforeAll(async () => {
    ({ rig, standIn, close } = await startTwilioMessagingRig());
  });
  afterAll(() => close());

  async function conversationMessage(flow: string, conversationSid: string, author: string, body: string) {
    const params = { EventType: 'onMessageAdded', ConversationSid: conversationSid, MessageSid: `IM${Math.random().toString(16).slice(2).padEnd(32, '0').slice(0, 32)}`, Author: author, Body: body, ParticipantSid: `MB${'1'.repeat(32)}`, AccountSid: rig.account.accountSid, Source: 'SDK' };
    const url = rig.webhook(flow);
    return fetch(url, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(rig.account.authToken, url, params) }, body: new URLSearchParams(params) });
  }

  it('runs one execution per conversation, answers into it, and any participant advances it', async () => {
    const flow = await rig.publish(
      flowOf(
        triggerState({ incomingConversationMessage: 'ask' }),
        {
          name: 'ask',
          type: 'send-and-wait-for-reply',
          properties: { body: 'Hi {{trigger.conversation.Author}}, how can we help?' },
          transitions: [{ event: 'incomingMessage', next: 'thanks' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
        },
        say('thanks', 'Noted: {{widgets.ask.inbound.Body}} (from {{widgets.ask.inbound.Author}})'),
      ),
    );
    const conversation = `CH${'c'.repeat(32)}`;
    expect((await conversationMessage(flow, conversation, 'alice', 'hello')).status).toBe(200);
    await eventually('the question', () => Promise.resolve(standIn.conversationMessages.length >= 1 ? true : undefined));
    // Our own message echoed back by Conversations starts nothing and is not a reply.
    expect((await conversationMessage(flow, conversation, 'system', 'Hi alice, how can we help?')).status).toBe(200);
    await conversationMessage(flow, conversation, 'bob', 'billing question');
    await eventually('the answer', () => Promise.resolve(standIn.conversationMessages.length >= 2 ? true : undefined));
    expect(standIn.conversationMessages).toEqual([
      { conversationSid: conversation, author: 'system', body: 'Hi alice, how can we help?' },
      { conversationSid: conversation, author: 'system', body: 'Noted: billing question (from bob)' },
    ]);
    const s = await rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, conversation)).query(executionSnapshot);
    expect(s.context).toMatchObject({ flow: { channel: { address: conversation } }, contact: { channel: { address: 'alice' } }, trigger: { conversation: { ConversationSid: conversation, Body: 'hello' } } });
  });
});
