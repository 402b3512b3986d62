import { FlowError } from '../engine/errors';
import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { connectCallToProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, attributes, truthy, voiceOutcome, type Render } from './voice';

type Props = Infer<typeof connectCallToProps>;

/**
 * Connect Call To — bridges the caller to a number (or several, rung at once), a client, a SIM,
 * a SIP endpoint or a conference with `<Dial>`. When the dialled leg ends Twilio calls back:
 * `callCompleted` with `DialCallStatus`, `DialCallSid`, … and the call's parameters; a caller
 * who hung up first (the callback has no `DialCallStatus`) is `hangup`.
 *
 * @example
 * { "name": "forward", "type": "connect-call-to", "transitions": [{ "event": "callCompleted" }, { "event": "hangup" }],
 *   "properties": { "noun": "number", "to": "+14155550100", "caller_id": "{{contact.channel.address}}", "timeout": 30, "record": false } }
 */
export const connectCallTo: WidgetBehaviour<Props> = {
  type: 'connect-call-to',
  parse: (properties) => parseProperties('connect-call-to', connectCallToProps, properties),
  run: async ({ name, stepSid, props, render, host }) => {
    const dial: TwimlNode = {
      verb: 'Dial',
      attributes: attributes({
        action: CALLBACK_URL,
        method: 'POST',
        callerId: attribute(props.caller_id ?? '{{contact.channel.address}}', render),
        timeout: attribute(props.timeout, render),
        record: truthy(attribute(props.record, render)) ? 'record-from-answer' : undefined,
        timeLimit: attribute(props.time_limit, render),
      }),
      children: nouns(props, render),
    };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [dial], awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => {
      const dialed = typeof params.DialCallStatus === 'string' && params.DialCallStatus !== '';
      // Without DialCallStatus the callback is the end of the caller's own leg, not of the dial.
      if (!dialed && params.CallStatus === 'completed') return { event: 'hangup', outputs: callParams(params) };
      return { event: 'callCompleted', outputs: callParams(params) };
    });
  },
};

function nouns(props: Props, render: Render): TwimlNode[] {
  const to = render(props.to ?? '').trim();
  const noun = render(props.noun).trim().toLowerCase();
  switch (noun) {
    case 'number':
      return [{ verb: 'Number', text: to }];
    case 'number-multi':
      // Twilio rings every number at once and bridges the first to answer.
      return to
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
        .map((n) => ({ verb: 'Number', text: n }));
    case 'client':
      return [{ verb: 'Client', text: to }];
    case 'sim':
      return [{ verb: 'Sim', text: to }];
    case 'conference':
      return [{ verb: 'Conference', text: to }];
    case 'sip': {
      const uri = attribute(props.sip_endpoint, render) ?? to;
      const auth = attributes({ username: attribute(props.sip_username, render), password: attribute(props.sip_password, render) });
      return [{ verb: 'Sip', attributes: auth, text: String(uri) }];
    }
    default:
      throw new FlowError('voice:invalid-noun', `Connect Call To cannot dial a "${noun}": expected number, number-multi, client, sim, sip or conference`);
  }
}
