import type { FlowState } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { postInboundMessage } from '../helpers/twilio-stand-in';

const ask = (name: string, body: string, next: { reply?: string; timeout?: string; failure?: string }, timeout = '3600'): FlowState => ({
  name,
  type: 'send-and-wait-for-reply',
  properties: { from: '{{flow.channel.address}}', body, timeout },
  transitions: [
    next.reply ? { event: 'incomingMessage', next: next.reply } : { event: 'incomingMessage' },
    next.timeout ? { event: 'timeout', next: next.timeout } : { event: 'timeout' },
    next.failure ? { event: 'deliveryFailure', next: next.failure } : { event: 'deliveryFailure' },
  ],
});

const say = (name: string, body: string, next?: string): FlowState => ({
  name,
  type: 'send-message',
  properties: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}', body },
  transitions: [next ? { event: 'sent', next } : { event: 'sent' }, { event: 'failed' }],
});

/** Inbound messages through the signed flow webhook, the local channel, a real worker. */
describe('messaging through the flow webhook (local channel)', () => {
  let rig: MessagingRig;
  beforeAll(async () => {
    rig = await startMessagingRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const inbox = async (contact: string) =>
    ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(contact)}`)).json()) as { messages: Array<{ direction: string; body: string; to: string }> }).messages
      .filter((m) => m.direction === 'outbound')
      .map((m) => m.body)
      .reverse();
  const waitForOutbound = (contact: string, count: number) => eventually(`${count} messages to ${contact}`, async () => ((await inbox(contact)).length >= count ? inbox(contact) : undefined));
  const snapshot = (flowSid: string, contact: string) => rig.t.client.workflow.getHandle(ExecutionService.workflowId(flowSid, contact)).query(executionSnapshot);

  it('runs a multi-turn survey: each reply lands in the waiting widget', async () => {
    const flow = await rig.publish(
      flowOf(
        triggerState({ incomingMessage: 'name' }),
        ask('name', 'Hi! What is your name?', { reply: 'score' }),
        ask('score', 'Thanks {{widgets.name.inbound.Body}}, rate us 1-5', { reply: 'check' }),
        {
          name: 'check',
          type: 'split-based-on',
          properties: { input: '{{widgets.score.inbound.Body}}' },
          transitions: [{ event: 'noMatch', next: 'sorry' }, { event: 'match', next: 'great', conditions: [{ friendly_name: 'high', arguments: ['{{widgets.score.inbound.Body}}'], type: 'matches_any_of', value: '4,5' }] }],
        },
        say('great', 'Glad you liked it, {{widgets.name.inbound.Body}}!'),
        say('sorry', 'Sorry to hear that.'),
      ),
    );
    const contact = '+14155550100';
    expect((await rig.text(flow, contact, 'survey')).status).toBe(200);
    await waitForOutbound(contact, 1);
    await rig.text(flow, contact, 'Ada');
    await waitForOutbound(contact, 2);
    await rig.text(flow, contact, ' 5 ');
    expect(await waitForOutbound(contact, 3)).toEqual(['Hi! What is your name?', 'Thanks Ada, rate us 1-5', 'Glad you liked it, Ada!']);
    const state = await snapshot(flow, contact);
    expect(state.status).toBe('ended');
    expect(state.context.widgets.score).toMatchObject({ inbound: { Body: ' 5 ', From: contact }, outbound: { Body: 'Thanks Ada, rate us 1-5' } });
    expect(state.context.trigger).toMatchObject({ message: { Body: 'survey', From: contact, To: '+15005550006' } });
  });

  // Studio answers a pending Voice or Messaging TwiML request with the <Redirect>
  // (https://www.twilio.com/docs/studio/widget-library/twiml-redirect); message webhooks are answered at once here.
  it('takes a TwiML Redirect in a messaging execution down its fail path, and the execution goes on', async () => {
    const redirect: FlowState = {
      name: 'elsewhere',
      type: 'add-twiml-redirect',
      properties: { url: 'https://example.test/twiml', timeout: '60' },
      transitions: [{ event: 'return' }, { event: 'timeout' }, { event: 'fail', next: 'fallback' }],
    };
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'elsewhere' }), redirect, say('fallback', 'Redirects are for calls.')));
    const contact = '+14155550199';
    await rig.text(flow, contact, 'hi');
    expect(await waitForOutbound(contact, 1)).toEqual(['Redirects are for calls.']);
    const state = await eventually('the execution to end', async () => ((await snapshot(flow, contact)).status === 'ended' ? snapshot(flow, contact) : undefined));
    expect(state.failure).toBeUndefined();
    expect(state.steps.map((s) => [s.transitioned_from, s.name])).toEqual([
      ['Trigger', 'incomingMessage'],
      ['elsewhere', 'fail'],
      ['fallback', 'sent'],
    ]);
  });

  it('takes the timeout path when no reply comes', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'q' }), ask('q', 'Quick, answer!', { timeout: 'late' }, '1'), say('late', 'Too slow.')));
    const contact = '+14155550101';
    await rig.text(flow, contact, 'go');
    expect(await waitForOutbound(contact, 2)).toEqual(['Quick, answer!', 'Too slow.']);
  });

  it('records messages no widget could take as ignored, and a message after the end starts a new execution', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'hello' }), say('hello', 'Hello!')));
    const contact = '+14155550102';
    await rig.text(flow, contact, 'one');
    await waitForOutbound(contact, 1);
    await eventually('the execution to end', async () => ((await snapshot(flow, contact)).status === 'ended' ? true : undefined));
    await rig.text(flow, contact, 'two');
    expect(await waitForOutbound(contact, 2)).toEqual(['Hello!', 'Hello!']);
  });

  it('routes a test user to the latest draft and everyone else to the published revision', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'v' }), say('v', 'published')), {
      draft: flowOf(triggerState({ incomingMessage: 'v' }), say('v', 'draft')),
      testUsers: ['+14155550104'],
    });
    await rig.text(flow, '+14155550103', 'hi');
    await rig.text(flow, '+14155550104', 'hi');
    expect(await waitForOutbound('+14155550103', 1)).toEqual(['published']);
    expect(await waitForOutbound('+14155550104', 1)).toEqual(['draft']);
  });

  it('starts nothing new for a retried webhook, even after the execution ended', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'hello' }), say('hello', 'Hello once')));
    const contact = '+14155550105';
    const sid = `SM${'7'.repeat(32)}`;
    await rig.text(flow, contact, 'hi', sid);
    await waitForOutbound(contact, 1);
    await eventually('the execution to end', async () => ((await snapshot(flow, contact)).status === 'ended' ? true : undefined));
    expect((await rig.text(flow, contact, 'hi', sid)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await inbox(contact)).toEqual(['Hello once']);
  });

  it('refuses forged and missing signatures (403), unknown flows and accounts (404)', async () => {
    const flow = await rig.publish(flowOf(triggerState({})));
    const body = new URLSearchParams({ MessageSid: `SM${'1'.repeat(32)}`, From: '+1', To: '+2', Body: 'x' });
    const forged = await fetch(rig.webhook(flow), { method: 'POST', headers: { 'x-twilio-signature': 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=' }, body });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 20403, status: 403 });
    expect((await fetch(rig.webhook(flow), { method: 'POST', body })).status).toBe(403);
    expect((await rig.text(`FW${'0'.repeat(32)}`, '+1', 'x')).status).toBe(404);
    const otherAccount = rig.webhook(flow).replace(rig.account.accountSid, `AC${'0'.repeat(32)}`);
    expect((await postInboundMessage(otherAccount, rig.account.authToken, { From: '+1', To: '+2', Body: 'x' })).status).toBe(404);
  });

  it('answers as a contact through the local inbox', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'q' }), ask('q', 'Your order number?', { reply: 'ok' }), say('ok', 'Order {{widgets.q.inbound.Body}} found.')));
    const contact = '+14155550106';
    const post = (body: string) => rig.api.request(`/v1/Local/Flows/${flow}/Messages`, { method: 'POST', form: { From: contact, To: '+15005550006', Body: body } });
    const first = await post('hello');
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ direction: 'inbound', from: contact, body: 'hello', outcome: 'delivered' });
    await waitForOutbound(contact, 1);
    await post('42');
    expect(await waitForOutbound(contact, 2)).toEqual(['Your order number?', 'Order 42 found.']);
    const all = ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(contact)}`)).json()) as { messages: Array<{ direction: string; body: string }> }).messages;
    expect(all.map((m) => `${m.direction}:${m.body}`).reverse()).toEqual(['inbound:hello', 'outbound:Your order number?', 'inbound:42', 'outbound:Order 42 found.']);
  });

  it('turns 50 concurrent first messages into one execution; each is taken or recorded as ignored', async () => {
    // Two waiting widgets taking turns keep the execution active while the burst lands.
    const flow = await rig.publish(flowOf(triggerState({ incomingMessage: 'a' }), ask('a', 'a', { reply: 'b' }), ask('b', 'b', { reply: 'a' })));
    const contact = '+14155550107';
    const sids = Array.from({ length: 50 }, (_, i) => `SM${String(i).padStart(32, '0')}`);
    const responses = await Promise.all(sids.map((sid, i) => rig.text(flow, contact, `m${i}`, sid)));
    expect(responses.map((r) => r.status)).toEqual(sids.map(() => 200));
    const accounted = await eventually('every message to be taken or ignored', async () => {
      const state = await snapshot(flow, contact);
      const taken = state.steps.flatMap((step) => {
        const inbound = (step.changes.widget?.outputs.inbound ?? {}) as { MessageSid?: string };
        return inbound.MessageSid ? [inbound.MessageSid] : [];
      });
      const all = [(state.context.trigger.message as { MessageSid: string }).MessageSid, ...taken, ...state.mailbox.ignored.map((i) => i.messageSid)];
      return all.length >= 50 ? all : undefined;
    });
    expect(accounted).toHaveLength(50);
    expect(new Set(accounted)).toEqual(new Set(sids));
    expect((await rig.t.client.workflow.count(`FlowSid = '${flow}'`)).count).toBe(1);
    await rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, contact)).terminate('test over');
  });
});
