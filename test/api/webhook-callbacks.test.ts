import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import type { FlowState } from '../../src/flow/definition';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { flowOf, triggerState } from '../helpers/flows';
import { startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { callParams, callSid, postVoice } from '../helpers/voice';

/**
 * Issue 16: what the signed flow webhook takes from outside. A call's callback reaches only an
 * execution of the flow in its path (as MessageStatus callbacks do), and addresses with control
 * characters are refused here as on every other entry point.
 */
describe('flow webhook: callbacks and addresses', () => {
  let rig: MessagingRig;
  beforeAll(async () => {
    rig = await startMessagingRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const gather: FlowState = {
    name: 'menu',
    type: 'gather-input-on-call',
    properties: { say: 'Press a key', number_of_digits: 1, timeout: 3 },
    transitions: [{ event: 'keypress' }, { event: 'speech' }, { event: 'timeout' }],
  };

  it("answers a call callback that names another flow's execution with an apology, and that execution hears nothing", async () => {
    const victim = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather));
    const other = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather));
    const sid = callSid();
    const first = await postVoice(rig.webhook(victim), rig.account.authToken, callParams(sid, '+14155550700', '+15005550006'));
    expect(first.twiml).toContain('<Gather');
    // The victim's own Gather action, replayed against the other flow's webhook path.
    const forged = first.next!.replace(`/Flows/${victim}`, `/Flows/${other}`);
    expect(forged).toContain(`WorkflowId=${encodeURIComponent(ExecutionService.workflowId(victim, sid))}`);
    const answer = await postVoice(forged, rig.account.authToken, callParams(sid, '+14155550700', '+15005550006', { Digits: '5' }));
    expect(answer.status).toBe(200);
    expect(answer.twiml).not.toContain('<Gather');
    const state = await rig.t.client.workflow.getHandle(ExecutionService.workflowId(victim, sid)).query(executionSnapshot);
    expect(state.status).toBe('active');
    expect(state.steps.map((s) => s.name)).toEqual(['incomingCall']);
    // The real callback still works.
    const real = await postVoice(first.next!, rig.account.authToken, callParams(sid, '+14155550700', '+15005550006', { Digits: '5' }));
    expect(real.twiml).toContain('<Hangup/>');
  });

  it.each([
    ['From', 21212, 'sip:a\u0000b@example.com'],
    ['From', 21212, '+1415555\u00850100'],
    ['To', 21211, '+1500555\u00070006'],
    ['Author', 21212, 'ali\u001bce'],
  ])('refuses a signed message whose %s holds a control character (%i) and starts nothing', async (name, code, value) => {
    const flow = await rig.publish(flowOf(triggerState({})));
    const params: Record<string, string> = { MessageSid: `SM${'1'.repeat(32)}`, From: '+14155550701', To: '+15005550006', Body: 'hi', [name]: value };
    if (name === 'Author') Object.assign(params, { ConversationSid: `CH${'2'.repeat(32)}`, EventType: 'onMessageAdded' });
    const url = rig.webhook(flow);
    const res = await fetch(url, { method: 'POST', headers: { 'x-twilio-signature': getExpectedTwilioSignature(rig.account.authToken, url, params) }, body: new URLSearchParams(params) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code, status: 400 });
  });
});
