import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { FlowDefinition } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { eventually, startTwilioMessagingRig, type MessagingRig } from '../helpers/messaging';
import type { TwilioStandIn } from '../helpers/twilio-stand-in';

/**
 * Issue 16: a MessageStatus callback reaches only an execution of the flow in its path, and an
 * execution takes a status only for a message it sent itself.
 */
describe('MessageStatus callbacks', () => {
  let standIn: TwilioStandIn;
  let rig: MessagingRig;
  let close = () => Promise.resolve();
  beforeAll(async () => {
    ({ rig, standIn, close } = await startTwilioMessagingRig());
  });
  afterAll(() => close());

  const asking: FlowDefinition = flowOf(
    triggerState({ incomingMessage: 'ask' }),
    {
      name: 'ask',
      type: 'send-and-wait-for-reply',
      properties: { body: 'Are you there?', timeout: '3600' },
      transitions: [{ event: 'incomingMessage' }, { event: 'timeout' }, { event: 'deliveryFailure', next: 'lost' }],
    },
    setVariablesState('lost', [{ key: 'status', value: '{{widgets.ask.outbound.Status}}' }]),
  );

  const state = (flow: string, contact: string) => rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, contact)).query(executionSnapshot);

  /** A flow's execution for `contact`, waiting for the reply to the message it sent (whose SID is returned). */
  async function waitingExecution(contact: string): Promise<{ flow: string; sent: string }> {
    const flow = await rig.publish(asking);
    expect((await rig.text(flow, contact, 'go')).status).toBe(200);
    const sent = await eventually('the message to be sent', () => Promise.resolve(standIn.messages.find((m) => m.to === contact)));
    await eventually('the widget to wait', async () => ((await state(flow, contact)).steps.length === 1 ? true : undefined));
    return { flow, sent: sent.sid };
  }

  /** A status callback signed with the account's token, as Twilio would sign it. */
  function postStatus(flowInPath: string, workflowId: string, params: Record<string, string>): Promise<Response> {
    const url = `${rig.api.url}/v1/Accounts/${rig.account.accountSid}/Flows/${flowInPath}/MessageStatus?WorkflowId=${encodeURIComponent(workflowId)}`;
    return fetch(url, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(rig.account.authToken, url, params) }, body: new URLSearchParams(params) });
  }
  const undelivered = (sid: string) => ({ MessageSid: sid, SmsSid: sid, MessageStatus: 'undelivered', SmsStatus: 'undelivered', ErrorCode: '30003', AccountSid: rig.account.accountSid });

  it("refuses (404) a WorkflowId that is not an execution of the flow in the path, and the execution never hears of it", async () => {
    const contact = '+14155550300';
    const { flow, sent } = await waitingExecution(contact);
    const other = await rig.publish(asking);
    const workflowId = ExecutionService.workflowId(flow, contact);
    for (const [path, id] of [[other, workflowId], [other, `${other}x:${contact}`], [flow, contact], [flow, `${flow}`]] as const) {
      const res = await postStatus(path, id, undelivered(sent));
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 20404, status: 404 });
    }
    const s = await state(flow, contact);
    expect(s.status).toBe('active');
    expect(s.mailbox.failedDeliveries).toEqual({});
  });

  it('an execution takes a status only for a message it sent itself', async () => {
    const contact = '+14155550301';
    const { flow, sent } = await waitingExecution(contact);
    const workflowId = ExecutionService.workflowId(flow, contact);
    expect((await postStatus(flow, workflowId, undelivered(`SM${'e'.repeat(32)}`))).status).toBe(204);
    // A signal is handled in order: a later one seen means the earlier was taken (or refused).
    expect((await postStatus(flow, workflowId, { ...undelivered(sent), MessageStatus: 'sent', SmsStatus: 'sent' })).status).toBe(204);
    await eventually('the statuses to be handled', async () => ((await rig.t.client.workflow.getHandle(workflowId).fetchHistory()).events?.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'messageStatus').length === 2 ? true : undefined));
    const waiting = await state(flow, contact);
    expect(waiting.mailbox.failedDeliveries).toEqual({});
    expect(waiting.steps).toHaveLength(1);

    expect((await postStatus(flow, workflowId, undelivered(sent))).status).toBe(204);
    const ended = await eventually('the execution to end', async () => {
      const s = await state(flow, contact);
      return s.status === 'ended' ? s : undefined;
    });
    expect(ended.steps[1]).toMatchObject({ name: 'deliveryFailure', transitioned_from: 'ask' });
    expect(Object.keys(ended.mailbox.failedDeliveries)).toEqual([sent]);
  });
});
