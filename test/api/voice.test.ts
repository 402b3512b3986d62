import type { FlowState } from '../../src/flow/definition';
import { DEFAULT_ALL_LIMITS } from '../../src/config/limits';
import { ExecutionService } from '../../src/services/executions';
import { executionSnapshot } from '../../workflows/messages';
import { flowOf, setVariablesState, triggerState } from '../helpers/flows';
import { eventually, startMessagingRig, type MessagingRig } from '../helpers/messaging';
import { localTwilioClient } from '../helpers/twilio-client';
import { callParams, callSid, postVoice } from '../helpers/voice';

const say = (name: string, text: string, next?: string): FlowState => ({ name, type: 'say-play', properties: { say: text }, transitions: [next ? { event: 'audioComplete', next } : { event: 'audioComplete' }] });
const gather = (name: string, text: string, next: { keypress?: string; speech?: string; timeout?: string }): FlowState => ({
  name,
  type: 'gather-input-on-call',
  properties: { say: text, number_of_digits: 1, timeout: 3 },
  transitions: [
    next.keypress ? { event: 'keypress', next: next.keypress } : { event: 'keypress' },
    next.speech ? { event: 'speech', next: next.speech } : { event: 'speech' },
    next.timeout ? { event: 'timeout', next: next.timeout } : { event: 'timeout' },
  ],
});

/** Calls through the signed flow webhook: TwiML answers, callbacks, hangups. */
describe('voice through the flow webhook', () => {
  let rig: MessagingRig;
  beforeAll(async () => {
    rig = await startMessagingRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const state = (flow: string, sid: string) => rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, sid)).query(executionSnapshot);

  it('answers a call with TwiML, follows Gather callbacks and branches on the digits', async () => {
    const flow = await rig.publish(
      flowOf(
        triggerState({ incomingCall: 'hello' }),
        say('hello', 'Welcome to {{flow.channel.address}}', 'menu'),
        gather('menu', 'Press 1 for sales', { keypress: 'route', timeout: 'menu' }),
        {
          name: 'route',
          type: 'split-based-on',
          properties: { input: '{{widgets.menu.Digits}}' },
          transitions: [{ event: 'noMatch', next: 'bye' }, { event: 'match', next: 'sales', conditions: [{ friendly_name: '1', arguments: ['{{widgets.menu.Digits}}'], type: 'equal_to', value: '1' }] }],
        },
        say('sales', 'Connecting you to sales'),
        say('bye', 'Goodbye'),
      ),
    );
    const sid = callSid();
    const first = await postVoice(rig.webhook(flow), rig.account.authToken, callParams(sid, '+14155550500', '+15005550006', { CallStatus: 'ringing' }));
    expect(first.status).toBe(200);
    expect(first.twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Say>Welcome to \+15005550006<\/Say><Redirect method="POST">http:\/\/127\.0\.0\.1:\d+\/v1\/Accounts\/AC[0-9a-f]+\/Flows\/FW[0-9a-f]+\?FlowEvent=callback&amp;WorkflowId=.+&amp;StepSid=FT[0-9a-f]{32}<\/Redirect><\/Response>$/);
    const menu = await postVoice(first.next!, rig.account.authToken, callParams(sid, '+14155550500', '+15005550006'));
    expect(menu.twiml).toContain('<Gather action="');
    expect(menu.twiml).toContain('input="dtmf"');
    expect(menu.twiml).toContain('<Say>Press 1 for sales</Say></Gather>');
    const routed = await postVoice(menu.next!, rig.account.authToken, callParams(sid, '+14155550500', '+15005550006', { Digits: '1', FinishedOnKey: '' }));
    expect(routed.twiml).toContain('<Say>Connecting you to sales</Say>');
    const end = await postVoice(routed.next!, rig.account.authToken, callParams(sid, '+14155550500', '+15005550006'));
    expect(end.twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    const s = await state(flow, sid);
    expect(s.status).toBe('ended');
    expect(s.steps.map((st) => `${st.transitioned_from}-${st.name}`)).toEqual(['Trigger-incomingCall', 'hello-audioComplete', 'menu-keypress', 'route-match', 'sales-audioComplete']);
    expect(s.context).toMatchObject({ trigger: { call: { CallSid: sid, From: '+14155550500' } }, widgets: { menu: { Digits: '1' } } });
  });

  it('takes the gather timeout path, and a retried callback gets the same TwiML', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather('menu', 'Press a key', { timeout: 'again' }), say('again', 'No key pressed')));
    const sid = callSid();
    const first = await postVoice(rig.webhook(flow), rig.account.authToken, callParams(sid, '+14155550501', '+15005550006'));
    const timedOut = await postVoice(first.next!, rig.account.authToken, callParams(sid, '+14155550501', '+15005550006', { Digits: '' }));
    expect(timedOut.twiml).toContain('<Say>No key pressed</Say>');
    const retried = await postVoice(first.next!, rig.account.authToken, callParams(sid, '+14155550501', '+15005550006', { Digits: '' }));
    expect(retried.twiml).toBe(timedOut.twiml);
  });

  it('ends the execution when the caller hangs up mid-flow', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather('menu', 'Press a key', { keypress: 'never' }), setVariablesState('never', [{ key: 'x', value: 'y' }])));
    const sid = callSid();
    await postVoice(rig.webhook(flow), rig.account.authToken, callParams(sid, '+14155550502', '+15005550006'));
    // Twilio reports the end of the call to the number's status callback, the flow webhook.
    const status = await postVoice(rig.webhook(flow), rig.account.authToken, callParams(sid, '+14155550502', '+15005550006', { CallStatus: 'completed', CallDuration: '4' }));
    expect(status.status).toBe(200);
    const s = await eventually('the execution to end', async () => {
      const current = await state(flow, sid);
      return current.status === 'ended' ? current : undefined;
    });
    expect(s.steps.at(-1)).toMatchObject({ transitioned_from: 'menu', name: 'hangup', transitioned_to: 'Ended' });
  });

  it('gives two concurrent calls from one number an execution each', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather('menu', 'Which call is this?', { keypress: 'done' }), say('done', 'You pressed {{widgets.menu.Digits}}')));
    const [a, b] = [callSid(), callSid()];
    const [ra, rb] = await Promise.all([a, b].map((sid) => postVoice(rig.webhook(flow), rig.account.authToken, callParams(sid, '+14155550503', '+15005550006'))));
    const [da, db] = await Promise.all([
      postVoice(ra!.next!, rig.account.authToken, callParams(a, '+14155550503', '+15005550006', { Digits: '1' })),
      postVoice(rb!.next!, rig.account.authToken, callParams(b, '+14155550503', '+15005550006', { Digits: '2' })),
    ]);
    expect(da.twiml).toContain('You pressed 1');
    expect(db.twiml).toContain('You pressed 2');
    expect((await state(flow, a)).executionSid).not.toBe((await state(flow, b)).executionSid);
  });

  it("runs a subflow on the parent's call: its widgets speak and gather, the parent goes on after it", async () => {
    // Studio runs voice widgets in subflows of call flows: https://www.twilio.com/docs/studio/widget-library/run-subflow
    const child = await rig.publish(
      flowOf(
        triggerState({ incomingParent: 'intro' }),
        say('intro', 'Subflow for {{trigger.parent.parameters.who}}', 'pin'),
        gather('pin', 'Enter a digit', { keypress: 'out', timeout: 'pin' }),
        setVariablesState('out', [{ key: 'digit', value: '{{widgets.pin.Digits}}' }]),
      ),
    );
    const parent = await rig.publish(
      flowOf(
        triggerState({ incomingCall: 'sub' }),
        {
          name: 'sub',
          type: 'run-subflow',
          properties: { flow_sid: child, flow_revision: 'LatestPublished', parameters: [{ key: 'who', value: '{{trigger.call.From}}' }] },
          transitions: [{ event: 'completed', next: 'thanks' }, { event: 'failed', next: 'failed' }],
        },
        say('thanks', 'Back in the parent: you entered {{widgets.sub.digit}}'),
        say('failed', 'The subflow failed'),
      ),
    );
    const sid = callSid();
    const caller = (extra: Record<string, string> = {}) => callParams(sid, '+14155550504', '+15005550006', extra);
    const first = await postVoice(rig.webhook(parent), rig.account.authToken, caller());
    expect(first.twiml).toContain('<Say>Subflow for +14155550504</Say>');
    // Twilio follows the subflow's TwiML back to the parent's webhook: the parent's execution is named.
    expect(first.next).toContain(`WorkflowId=${encodeURIComponent(ExecutionService.workflowId(parent, sid))}&`);
    const pin = await postVoice(first.next!, rig.account.authToken, caller());
    expect(pin.twiml).toContain('<Say>Enter a digit</Say></Gather>');
    const back = await postVoice(pin.next!, rig.account.authToken, caller({ Digits: '4' }));
    expect(back.twiml).toContain('<Say>Back in the parent: you entered 4</Say>');
    // A retried webhook the subflow answered gets the same TwiML from the parent.
    expect((await postVoice(pin.next!, rig.account.authToken, caller({ Digits: '4' }))).twiml).toBe(back.twiml);
    const end = await postVoice(back.next!, rig.account.authToken, caller());
    expect(end.twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    const s = await state(parent, sid);
    expect(s.status).toBe('ended');
    expect(s.failure).toBeUndefined();
    expect(s.steps.map((st) => `${st.transitioned_from}-${st.name}`)).toEqual(['Trigger-incomingCall', 'sub-completed', 'thanks-audioComplete']);
    expect(s.steps[1]!.subflow!.steps.map((st) => `${st.transitioned_from}-${st.name}`)).toEqual(['Trigger-incomingParent', 'intro-audioComplete', 'pin-keypress', 'out-next']);
    expect(s.context).toMatchObject({ widgets: { sub: { digit: 4 } } });
  });

  it('ends the subflow and the execution when the caller hangs up inside the subflow', async () => {
    const child = await rig.publish(flowOf(triggerState({ incomingParent: 'pin' }), gather('pin', 'Enter a digit', { keypress: 'out' }), setVariablesState('out', [{ key: 'digit', value: '{{widgets.pin.Digits}}' }])));
    const parent = await rig.publish(
      flowOf(
        triggerState({ incomingCall: 'sub' }),
        { name: 'sub', type: 'run-subflow', properties: { flow_sid: child, flow_revision: 'LatestPublished' }, transitions: [{ event: 'completed', next: 'after' }, { event: 'failed', next: 'after' }] },
        setVariablesState('after', [{ key: 'reached', value: 'yes' }]),
      ),
    );
    const sid = callSid();
    const first = await postVoice(rig.webhook(parent), rig.account.authToken, callParams(sid, '+14155550505', '+15005550006'));
    expect(first.twiml).toContain('<Say>Enter a digit</Say>');
    await postVoice(rig.webhook(parent), rig.account.authToken, callParams(sid, '+14155550505', '+15005550006', { CallStatus: 'completed', CallDuration: '3' }));
    const s = await eventually('the execution to end', async () => {
      const current = await state(parent, sid);
      return current.status === 'ended' ? current : undefined;
    });
    // The subflow heard the hangup on its Gather (Studio's `hangup`), then the parent went on.
    expect(s.steps[1]!.subflow!.steps.at(-1)).toMatchObject({ transitioned_from: 'pin', name: 'hangup' });
    expect(s.context.flow.variables).toEqual({ reached: 'yes' });
  });

  it('refuses unsigned voice webhooks', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather('menu', 'x', {})));
    const res = await fetch(rig.webhook(flow), { method: 'POST', body: new URLSearchParams(callParams(callSid(), '+1', '+2')) });
    expect(res.status).toBe(403);
  });
});

describe('voice on the local channel (a test plays the caller and the callee)', () => {
  let rig: MessagingRig;
  beforeAll(async () => {
    rig = await startMessagingRig();
  });
  afterAll(async () => {
    await rig?.close();
  });

  const state = (flow: string, sid: string) => rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, sid)).query(executionSnapshot);
  const json = async <T>(res: Response): Promise<T> => {
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as T;
  };

  it('calls a flow as a caller and follows its TwiML', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather('menu', 'Press a key', { keypress: 'done' }), say('done', 'You pressed {{widgets.menu.Digits}}')));
    const first = await json<{ call_sid: string; twiml: string; next_url: string }>(
      await rig.api.request(`/v1/Local/Flows/${flow}/Calls`, { method: 'POST', form: { From: '+14155550800', To: '+15005550006' } }),
    );
    expect(first.twiml).toContain('<Gather');
    const second = await json<{ twiml: string }>(await rig.api.request(`/v1/Local/Calls/${first.call_sid}/Requests`, { method: 'POST', form: { Url: first.next_url, Digits: '7' } }));
    expect(second.twiml).toContain('<Say>You pressed 7</Say>');
  });

  it('hangs up a call to a flow from the local phone: the flow hears it on its webhook', async () => {
    const flow = await rig.publish(flowOf(triggerState({ incomingCall: 'menu' }), gather('menu', 'Press a key', { keypress: 'never' }), setVariablesState('never', [{ key: 'x', value: 'y' }])));
    const call = await json<{ call_sid: string }>(await rig.api.request(`/v1/Local/Flows/${flow}/Calls`, { method: 'POST', form: { From: '+14155550801', To: '+15005550006' } }));
    expect((await rig.api.request(`/v1/Local/Calls/${call.call_sid}/Status`, { method: 'POST', form: { Status: 'completed' } })).status).toBe(204);
    const s = await eventually('the execution to end', async () => {
      const current = await state(flow, call.call_sid);
      return current.status === 'ended' ? current : undefined;
    });
    expect(s.steps.at(-1)).toMatchObject({ transitioned_from: 'menu', name: 'hangup', transitioned_to: 'Ended' });
  });

  it('answers and refuses the calls flows place', async () => {
    const flow = await rig.publish(
      flowOf(
        triggerState({ incomingRequest: 'call' }),
        { name: 'call', type: 'make-outgoing-call-v2', properties: { to: '{{contact.channel.address}}', from: '{{flow.channel.address}}' }, transitions: [{ event: 'answered', next: 'hi' }, { event: 'busy', next: 'busy' }, { event: 'noAnswer' }, { event: 'failed' }] },
        say('hi', 'Hello from the flow'),
        setVariablesState('busy', [{ key: 'result', value: 'busy' }]),
      ),
    );
    const client = localTwilioClient(rig.api.url, rig.account.accountSid, rig.account.authToken);
    await client.studio.v2.flows(flow).executions.create({ to: '+14155550801', from: '+15005550006' });
    const placed = await eventually('the call', async () => (await json<{ calls: Array<{ sid: string; to: string }> }>(await rig.api.request('/v1/Local/Calls'))).calls.find((c) => c.to === '+14155550801'));
    const answered = await json<{ twiml: string }>(await rig.api.request(`/v1/Local/Calls/${placed.sid}/Answer`, { method: 'POST', form: {} }));
    expect(answered.twiml).toContain('<Say>Hello from the flow</Say>');

    await client.studio.v2.flows(flow).executions.create({ to: '+14155550802', from: '+15005550006' });
    const ringing = await eventually('the second call', async () => (await json<{ calls: Array<{ sid: string; to: string }> }>(await rig.api.request('/v1/Local/Calls'))).calls.find((c) => c.to === '+14155550802'));
    expect((await rig.api.request(`/v1/Local/Calls/${ringing.sid}/Status`, { method: 'POST', form: { Status: 'busy' } })).status).toBe(204);
    const s = await eventually('the execution to end', async () => {
      const current = await rig.t.client.workflow.getHandle(ExecutionService.workflowId(flow, '+14155550802')).query(executionSnapshot);
      return current.status === 'ended' ? current : undefined;
    });
    expect(s.context.flow.variables).toEqual({ result: 'busy' });
  });
});

describe('voice in nested subflows', () => {
  let rig: MessagingRig;
  beforeAll(async () => {
    rig = await startMessagingRig({ limits: { engine: { ...DEFAULT_ALL_LIMITS.engine, maxSubflowDepth: 2 } } });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('lends the call on: a subflow of a subflow speaks and gathers, each level goes on after its child', async () => {
    const inner = await rig.publish(flowOf(triggerState({ incomingParent: 'pin' }), gather('pin', 'Inner: enter a digit', { keypress: 'out' }), setVariablesState('out', [{ key: 'digit', value: '{{widgets.pin.Digits}}' }])));
    const runs = (name: string, flow: string, next: string): FlowState => ({ name, type: 'run-subflow', properties: { flow_sid: flow, flow_revision: 'LatestPublished' }, transitions: [{ event: 'completed', next }, { event: 'failed' }] });
    const middle = await rig.publish(
      flowOf(
        triggerState({ incomingParent: 'hello' }),
        say('hello', 'Middle speaking', 'deeper'),
        runs('deeper', inner, 'relay'),
        setVariablesState('relay', [{ key: 'digit', value: '{{widgets.deeper.digit}}' }], 'after'),
        say('after', 'Middle again'),
      ),
    );
    const top = await rig.publish(flowOf(triggerState({ incomingCall: 'sub' }), runs('sub', middle, 'bye'), say('bye', 'Top: {{widgets.sub.digit}}')));
    const sid = callSid();
    const caller = (extra: Record<string, string> = {}) => callParams(sid, '+14155550506', '+15005550006', extra);
    const first = await postVoice(rig.webhook(top), rig.account.authToken, caller());
    expect(first.twiml).toContain('<Say>Middle speaking</Say>');
    const pin = await postVoice(first.next!, rig.account.authToken, caller());
    expect(pin.twiml).toContain('<Say>Inner: enter a digit</Say></Gather>');
    const middleAgain = await postVoice(pin.next!, rig.account.authToken, caller({ Digits: '9' }));
    expect(middleAgain.twiml).toContain('<Say>Middle again</Say>');
    const bye = await postVoice(middleAgain.next!, rig.account.authToken, caller());
    expect(bye.twiml).toContain('<Say>Top: 9</Say>');
    await postVoice(bye.next!, rig.account.authToken, caller());
    const s = await rig.t.client.workflow.getHandle(ExecutionService.workflowId(top, sid)).query(executionSnapshot);
    expect(s.status).toBe('ended');
    expect(s.failure).toBeUndefined();
    expect(s.steps.map((st) => `${st.transitioned_from}-${st.name}`)).toEqual(['Trigger-incomingCall', 'sub-completed', 'bye-audioComplete']);
  });
});
