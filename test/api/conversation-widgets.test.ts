import type { FlowState } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, startTwilioMessagingRig, type MessagingRig } from '../helpers/messaging';
import type { TwilioStandIn } from '../helpers/twilio-stand-in';

const SERVICE = 'IS00000000000000000000000000000001';
const OURS = '+15005550006';

const ask: FlowState = {
  name: 'ask',
  type: 'send-and-wait-for-reply',
  properties: { body: 'How can we help, {{flow.data.name}}?', timeout: '3600' },
  transitions: [{ event: 'incomingMessage', next: 'got' }, { event: 'timeout' }, { event: 'deliveryFailure' }],
};
const got = setVariablesState('got', [{ key: 'answer', value: '{{widgets.ask.inbound.Body}}' }]);
const start = (next: string, failed?: string): FlowState => ({
  name: 'open_chat',
  type: 'start-conversation',
  properties: { conversation_service_sid: SERVICE, friendly_name: 'Support {{contact.channel.address}}' },
  transitions: [{ event: 'created', next }, failed ? { event: 'failed', next: failed } : { event: 'failed' }],
});
const resume: FlowState = {
  name: 'reopen',
  type: 'resume-conversation',
  properties: { conversation_service_sid: SERVICE, conversation_sid: '{{flow.data.conversation}}' },
  transitions: [{ event: 'resumed', next: 'ask' }, { event: 'failed' }],
};

/**
 * Start Conversation and Resume Conversation against a stand-in speaking the Conversations API
 * (https://www.twilio.com/docs/studio/widget-library/start-conversation,
 * https://www.twilio.com/docs/studio/widget-library/resume-conversation): REST executions attach
 * a Conversation, Send & Wait sends into it, and a signed onMessageAdded resumes the execution.
 */
describe('Start / Resume Conversation through the Twilio channel', () => {
  let standIn: TwilioStandIn;
  let rig: MessagingRig;
  let close = () => Promise.resolve();
  beforeAll(async () => {
    ({ rig, standIn, close } = await startTwilioMessagingRig());
  });
  afterAll(() => close());

  const execute = async (flow: string, to: string, parameters: Record<string, string>) => {
    const res = await rig.api.request(`/v2/Flows/${flow}/Executions`, { method: 'POST', form: { To: to, From: OURS, Parameters: JSON.stringify(parameters) } });
    expect(res.status).toBe(201);
  };
  const snapshot = (flow: string, contact: string) => rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, contact)).query(executionSnapshot);
  // Send & Wait has sent its question into the Conversation: it is waiting for the reply.
  const asked = (body: string) => eventually('the question in the Conversation', () => Promise.resolve(standIn.conversationMessages.find((m) => m.body === body)));
  const ended = (flow: string, contact: string) => eventually('the execution to end', async () => {
    const s = await snapshot(flow, contact);
    return s.status === 'ended' ? s : undefined;
  });
  const webhookOf = (flow: string, contact: string) => `${rig.webhook(flow)}?WorkflowId=${encodeURIComponent(ExecutionService.workflowId(flow, contact))}`;

  it('starts a Conversation, sends into it, and an onMessageAdded resumes the execution', async () => {
    const contact = '+14155550301';
    const flow = await rig.publish(flowOf(triggerState({ incomingRequest: 'open_chat' }), start('ask'), ask, got));
    const before = standIn.conversationRequests.length;
    await execute(flow, contact, { name: 'Ada' });
    await asked('How can we help, Ada?');
    const requests = standIn.conversationRequests.slice(before);
    const created = /^\/v1\/Services\/IS0+1\/Conversations$/;
    expect(requests.map((r) => `${r.method} ${r.path.replace(/CH[0-9a-f]{32}/, 'CH')}`)).toEqual([
      `POST /v1/Services/${SERVICE}/Conversations`,
      `POST /v1/Services/${SERVICE}/Conversations/CH/Participants`,
      `POST /v1/Services/${SERVICE}/Conversations/CH/Webhooks`,
    ]);
    expect(requests[0]!.path).toMatch(created);
    expect(requests[0]!.params).toEqual({ FriendlyName: `Support ${contact}` });
    expect(requests[1]!.params).toEqual({ 'MessagingBinding.Address': contact, 'MessagingBinding.ProxyAddress': OURS });
    expect(requests[2]!.params).toEqual({ Target: 'webhook', 'Configuration.Url': webhookOf(flow, contact), 'Configuration.Method': 'POST', 'Configuration.Filters': 'onMessageAdded' });
    const conversationSid = /CH[0-9a-f]{32}/.exec(requests[1]!.path)![0];
    expect(standIn.conversationMessages.filter((m) => m.conversationSid === conversationSid)).toEqual([{ conversationSid, body: 'How can we help, Ada?', author: 'system' }]);

    expect(await standIn.addMessage(conversationSid, contact, 'my order')).toEqual([200]);
    const s = await ended(flow, contact);
    expect(s.context.flow.variables).toEqual({ answer: 'my order' });
    expect(s.context.widgets.open_chat).toMatchObject({ conversation: { Sid: conversationSid, ChatServiceSid: SERVICE }, webhook_sid: expect.stringMatching(/^WH[0-9a-f]{32}$/) });
    // The Conversation is the execution's channel now (flow.channel.*), beside its address.
    expect(s.context.flow.channel).toEqual({ address: OURS, ...s.context.widgets.open_chat });
  }, 30_000);

  it('resumes an existing Conversation: fetched with its participants and given a webhook, no new participant', async () => {
    const contact = '+14155550302';
    const existing = standIn.seedConversation(SERVICE, [contact]);
    const flow = await rig.publish(flowOf(triggerState({ incomingRequest: 'reopen' }), resume, ask, got));
    const before = standIn.conversationRequests.length;
    await execute(flow, contact, { name: 'Bo', conversation: existing });
    await asked('How can we help, Bo?');
    const requests = standIn.conversationRequests.slice(before);
    expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/Services/${SERVICE}/Conversations/${existing}`,
      `GET /v1/Services/${SERVICE}/Conversations/${existing}/Participants`,
      `POST /v1/Services/${SERVICE}/Conversations/${existing}/Webhooks`,
    ]);
    expect(requests[2]!.params).toMatchObject({ Target: 'webhook', 'Configuration.Url': webhookOf(flow, contact), 'Configuration.Filters': 'onMessageAdded' });
    expect(standIn.conversationMessages.filter((m) => m.conversationSid === existing).map((m) => m.body)).toEqual(['How can we help, Bo?']);
    await standIn.addMessage(existing, contact, 'still here');
    const s = await ended(flow, contact);
    expect(s.context.flow.variables).toEqual({ answer: 'still here' });
    expect(s.steps[1]).toMatchObject({ name: 'resumed', transitioned_from: 'reopen' });
    expect(s.context.widgets.reopen).toMatchObject({ conversation: { Sid: existing, Participants: [{ ConversationSid: existing, MessagingBinding: { address: contact } }] } });
  }, 30_000);

  it('takes failed for a second Conversation in one execution, asking Twilio nothing more', async () => {
    const contact = '+14155550303';
    const second: FlowState = { ...start('done', 'refused'), name: 'again' };
    const flow = await rig.publish(
      flowOf(triggerState({ incomingRequest: 'open_chat' }), start('again'), second, setVariablesState('done', []), setVariablesState('refused', [{ key: 'refused', value: 'yes' }])),
    );
    const before = standIn.conversationRequests.length;
    await execute(flow, contact, {});
    const s = await ended(flow, contact);
    expect(standIn.conversationRequests.length - before).toBe(3);
    expect(s.steps[2]).toMatchObject({ name: 'failed', transitioned_from: 'again', error: { code: 'conversation:already-active' } });
    expect(s.context.flow.variables).toEqual({ refused: 'yes' });
  }, 30_000);

  it('takes failed when the Conversation to resume does not exist', async () => {
    const contact = '+14155550304';
    const flow = await rig.publish(flowOf(triggerState({ incomingRequest: 'reopen' }), { ...resume, transitions: [{ event: 'resumed', next: 'ask' }, { event: 'failed', next: 'gone' }] }, ask, got, setVariablesState('gone', [{ key: 'gone', value: 'yes' }])));
    await execute(flow, contact, { conversation: 'CH0000000000000000000000000000dead' });
    const s = await ended(flow, contact);
    expect(s.steps[1]).toMatchObject({ name: 'failed', error: { code: 'conversation:rejected' } });
    expect(s.context.flow.variables).toEqual({ gone: 'yes' });
  }, 30_000);
});

/** Without Twilio: the local channel keeps the Conversation in its inbox, and the contact answers there. */
describe('Start Conversation on the local channel', () => {
  let rig: MessagingRig;
  beforeAll(async () => {
    rig = await startMessagingRig();
  });
  afterAll(() => rig?.close());

  it('records the Conversation and the question sent into it; the contact\'s reply resumes the execution', async () => {
    const contact = '+14155550311';
    const flow = await rig.publish(flowOf(triggerState({ incomingRequest: 'open_chat' }), start('ask'), ask, got));
    const res = await rig.api.request(`/v2/Flows/${flow}/Executions`, { method: 'POST', form: { To: contact, From: OURS, Parameters: JSON.stringify({ name: 'Cy' }) } });
    expect(res.status).toBe(201);
    const list = async (address: string) =>
      ((await (await rig.api.request(`/v1/Local/Messages?Contact=${encodeURIComponent(address)}`)).json()) as { messages: Array<{ to: string; from: string; body: string }> }).messages.reverse();
    const [opened] = await eventually('the Conversation in the inbox', async () => ((await list(contact)).length > 0 ? list(contact) : undefined));
    expect(opened).toMatchObject({ from: contact, to: expect.stringMatching(/^CH[0-9a-f]{32}$/), body: `Conversation started in ${SERVICE}` });
    const inConversation = await eventually('the question in the Conversation', async () => ((await list(opened!.to)).length >= 2 ? list(opened!.to) : undefined));
    expect(inConversation.map((m) => m.body).sort()).toEqual([`Conversation started in ${SERVICE}`, 'How can we help, Cy?']);
    await rig.text(flow, contact, 'local reply');
    const s = await eventually('the execution to end', async () => {
      const snap = await rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, contact)).query(executionSnapshot);
      return snap.status === 'ended' ? snap : undefined;
    });
    expect(s.context.flow.variables).toEqual({ answer: 'local reply' });
    expect(s.context.widgets.open_chat).toMatchObject({ conversation: { Sid: opened!.to, ChatServiceSid: SERVICE } });
  }, 30_000);
});
