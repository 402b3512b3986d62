import { XMLValidator } from 'fast-xml-parser';
import type { FlowState } from '../../src/flow/definition';
import { flowOf, triggerState } from '../helpers/flows';
import { eventually } from '../helpers/messaging';
import { useStudio } from '../helpers/studio-processes';
import { callParams, callSid, postVoice, type CallResponse } from '../helpers/voice';
import { serverTimings } from '../helpers/server-timing';

/**
 * Voice end to end with the real processes (`main.js api` / `main.js worker`), signed voice
 * webhooks, and a stand-in for Twilio's Calls API.
 */
const say = (name: string, text: string, next?: string): FlowState => ({ name, type: 'say-play', properties: { say: text }, transitions: [next ? { event: 'audioComplete', next } : { event: 'audioComplete' }] });

function wellFormed(response: CallResponse): CallResponse {
  expect(response.status).toBe(200);
  expect(XMLValidator.validate(response.twiml)).toBe(true);
  expect(response.twiml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response[ />]/);
  return response;
}

describe('voice with the real processes', () => {
  const studio = useStudio('twilio');

  const standIn = () => studio().standIn!;
  const client = () => studio().client;
  const webhook = (flow: string) => studio().webhook(flow);
  const publish = async (definition: ReturnType<typeof flowOf>) => (await client().studio.v2.flows.create({ friendlyName: 'voice', status: 'published', definition })).sid;
  const post = async (url: string, params: Record<string, string>) => wellFormed(await postVoice(url, studio().account.authToken, params));

  const ivr = flowOf(
    triggerState({ incomingCall: 'welcome' }),
    say('welcome', 'Thanks for calling', 'menu'),
    {
      name: 'menu',
      type: 'gather-input-on-call',
      properties: { say: 'Press 1 for sales or 2 to leave a message. Or say sales.', number_of_digits: 1, timeout: 5 },
      transitions: [{ event: 'keypress', next: 'route' }, { event: 'speech', next: 'route' }, { event: 'timeout', next: 'menu' }],
    },
    {
      name: 'route',
      type: 'split-based-on',
      properties: { input: '{{widgets.menu.Digits}}' },
      transitions: [
        { event: 'noMatch', next: 'voicemail' },
        { event: 'match', next: 'sales', conditions: [{ friendly_name: 'sales', arguments: ['{{widgets.menu.Digits}}{{widgets.menu.SpeechResult}}'], type: 'regex', value: '1|sales.?' }] },
      ],
    },
    { name: 'sales', type: 'connect-call-to', properties: { noun: 'number', to: '+14155550999', caller_id: '{{contact.channel.address}}', timeout: 20 }, transitions: [{ event: 'callCompleted' }, { event: 'hangup' }] },
    { name: 'voicemail', type: 'record-voicemail', properties: { timeout: 5, max_length: 120, play_beep: 'true', finish_on_key: '#' }, transitions: [{ event: 'recordingComplete', next: 'thanks' }, { event: 'noAudio' }, { event: 'hangup' }] },
    say('thanks', 'Thank you, goodbye'),
  );

  it('runs an IVR: say → gather → split on digits → connect or record; and the speech path', async () => {
    const flow = await publish(ivr);
    const caller = '+14155550600';
    // Keypress 1 → connect to sales.
    let sid = callSid();
    let r = await post(webhook(flow), callParams(sid, caller, '+15005550006', { CallStatus: 'ringing' }));
    expect(r.twiml).toContain('<Say>Thanks for calling</Say>');
    // Where the answer's time went: the whole request, and its part waiting on Temporal (one update-with-start).
    expect(r.serverTiming).toMatch(/^app;dur=[\d.]+, temporal;dur=[\d.]+;desc="\d+ call\(s\)"$/);
    const timing = serverTimings(r.serverTiming);
    expect(timing.temporal).toBeGreaterThan(0);
    expect(timing.app).toBeGreaterThanOrEqual(timing.temporal!);
    r = await post(r.next!, callParams(sid, caller, '+15005550006'));
    expect(r.twiml).toContain('input="dtmf speech"');
    r = await post(r.next!, callParams(sid, caller, '+15005550006', { Digits: '1' }));
    expect(r.twiml).toMatch(/<Dial action="[^"]+" method="POST" callerId="\+14155550600" timeout="20"><Number>\+14155550999<\/Number><\/Dial>/);
    r = await post(r.next!, callParams(sid, caller, '+15005550006', { DialCallStatus: 'completed', DialCallDuration: '42' }));
    expect(r.twiml).toContain('<Hangup/>');
    // Keypress 2 → record a voicemail.
    sid = callSid();
    r = await post(webhook(flow), callParams(sid, caller, '+15005550006'));
    r = await post(r.next!, callParams(sid, caller, '+15005550006'));
    r = await post(r.next!, callParams(sid, caller, '+15005550006', { Digits: '2' }));
    expect(r.twiml).toMatch(/<Record action="[^"]+" method="POST" timeout="5" maxLength="120" finishOnKey="#" playBeep="true"\/>/);
    r = await post(r.next!, callParams(sid, caller, '+15005550006', { RecordingUrl: 'https://api.example.test/rec/RE1', RecordingDuration: '7', RecordingSid: `RE${'1'.repeat(32)}`, Digits: '#' }));
    expect(r.twiml).toContain('<Say>Thank you, goodbye</Say>');
    // Speech → sales.
    sid = callSid();
    r = await post(webhook(flow), callParams(sid, caller, '+15005550006'));
    r = await post(r.next!, callParams(sid, caller, '+15005550006'));
    r = await post(r.next!, callParams(sid, caller, '+15005550006', { SpeechResult: 'Sales.', Confidence: '0.9' }));
    expect(r.twiml).toContain('<Number>+14155550999</Number>');
  }, 60_000);

  it('takes the gather timeout path and ends the execution when the caller hangs up', async () => {
    const flow = await publish(ivr);
    const sid = callSid();
    let r = await post(webhook(flow), callParams(sid, '+14155550601', '+15005550006'));
    r = await post(r.next!, callParams(sid, '+14155550601', '+15005550006'));
    const again = await post(r.next!, callParams(sid, '+14155550601', '+15005550006', { Digits: '' }));
    expect(again.twiml).toContain('<Gather');
    await post(webhook(flow), callParams(sid, '+14155550601', '+15005550006', { CallStatus: 'completed' }));
    const [execution] = await client().studio.v2.flows(flow).executions.list();
    await eventually('the execution to end', async () => ((await client().studio.v2.flows(flow).executions(execution!.sid).fetch()).status === 'ended' ? true : undefined));
    const steps = await client().studio.v2.flows(flow).executions(execution!.sid).steps.list();
    expect(steps.at(-1)).toMatchObject({ name: 'hangup', transitionedFrom: 'menu', transitionedTo: 'Ended' });
  }, 60_000);

  it('gives two concurrent calls from the same number an execution each', async () => {
    const flow = await publish(ivr);
    const [a, b] = [callSid(), callSid()];
    const [ra, rb] = await Promise.all([a, b].map((sid) => post(webhook(flow), callParams(sid, '+14155550603', '+15005550006'))));
    const [ma, mb] = await Promise.all([post(ra!.next!, callParams(a, '+14155550603', '+15005550006')), post(rb!.next!, callParams(b, '+14155550603', '+15005550006'))]);
    const [da, db] = await Promise.all([post(ma.next!, callParams(a, '+14155550603', '+15005550006', { Digits: '1' })), post(mb.next!, callParams(b, '+14155550603', '+15005550006', { Digits: '2' }))]);
    expect(da.twiml).toContain('<Dial');
    expect(db.twiml).toContain('<Record');
    expect(await client().studio.v2.flows(flow).executions.list()).toHaveLength(2);
  }, 60_000);

  it('places an outgoing call from a REST execution: answered, then voice widgets speak to it; and a busy one', async () => {
    const flow = await publish(
      flowOf(
        triggerState({ incomingRequest: 'call' }),
        {
          name: 'call',
          type: 'make-outgoing-call-v2',
          properties: { to: '{{contact.channel.address}}', from: '{{flow.channel.address}}', timeout: 30 },
          transitions: [{ event: 'answered', next: 'remind' }, { event: 'busy', next: 'note' }, { event: 'noAnswer' }, { event: 'failed' }],
        },
        say('remind', 'Your appointment is tomorrow, {{flow.data.name}}'),
        { name: 'note', type: 'set-variables', properties: { variables: [{ key: 'result', value: 'busy' }] }, transitions: [{ event: 'next' }] },
      ),
    );
    const answered = await client().studio.v2.flows(flow).executions.create({ to: '+14155550700', from: '+15005550006', parameters: { name: 'Ada' } });
    const placed = await eventually('the call to be placed', () => Promise.resolve(standIn().calls.find((c) => c.to === '+14155550700')));
    expect(placed).toMatchObject({ from: '+15005550006', options: { Timeout: '30' } });
    const twiml = await standIn().answer(placed.sid);
    expect(XMLValidator.validate(twiml)).toBe(true);
    expect(twiml).toContain('<Say>Your appointment is tomorrow, Ada</Say>');
    const steps = await client().studio.v2.flows(flow).executions(answered.sid).steps.list();
    expect(steps.map((s) => s.name)).toEqual(['incomingRequest', 'answered']);

    const busy = await client().studio.v2.flows(flow).executions.create({ to: '+14155550701', from: '+15005550006' });
    const ringing = await eventually('the second call', () => Promise.resolve(standIn().calls.find((c) => c.to === '+14155550701')));
    expect(await standIn().endCall(ringing.sid, 'busy')).toBe(200);
    const context = await eventually('the execution to end', async () => {
      const e = await client().studio.v2.flows(flow).executions(busy.sid).fetch();
      return e.status === 'ended' ? client().studio.v2.flows(flow).executions(busy.sid).executionContext().fetch() : undefined;
    });
    expect(context.context).toMatchObject({ flow: { variables: { result: 'busy' } }, widgets: { call: { CallStatus: 'busy' } } });
  }, 60_000);

  it('answers within its deadline with safe TwiML when the worker is stopped', async () => {
    const flow = await publish(ivr);
    await studio().stopWorker('SIGTERM');
    const sid = callSid();
    // Answered at all with no worker: the voice deadline (LIMIT_VOICE_…) fired, not a hang (tests never time it).
    const held = await post(webhook(flow), callParams(sid, '+14155550602', '+15005550006'));
    // The caller is held a moment and the call asks again, instead of hearing silence.
    expect(held.twiml).toMatch(/<Pause length="1"\/><Redirect method="POST">[^<]+FlowEvent=poll/);
    await studio().startWorker();
    const resumed = await post(held.next!, callParams(sid, '+14155550602', '+15005550006'));
    expect(resumed.twiml).toContain('<Say>Thanks for calling</Say>');
  }, 90_000);
});
