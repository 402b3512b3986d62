import type { OutgoingCall, PlaceCallResult } from '../engine/effects';
import type { WidgetBehaviour, WidgetOutcome, WidgetRun } from '../engine/widget';
import { parseProperties } from './parse';
import type { Infer } from './props';
import { makeOutgoingCallV2Props } from './readers.generated';
import { attribute, truthy } from './voice';

/** What placing a call reads: v2's properties; v1 has a subset of the same names, `from` and `to` optional. */
type Props = Partial<Infer<typeof makeOutgoingCallV2Props>>;

/** Old Studio forms wrote `trim` as a boolean; the Calls API only knows these two words. */
const TRIM: Record<string, string> = { true: 'trim-silence', false: 'do-not-trim' };

/**
 * Make Outgoing Call — places a call from `from` (the flow's number) to `to` (the contact)
 * through the Calls API and waits for it: `answered`, with the Call as outputs, after which the
 * voice widgets drive it; or `busy`, `noAnswer`, `failed`. Recording and answering-machine
 * options are sent only when their checkbox (`record`, `detect_answering_machine`) is on.
 *
 * @example
 * { "name": "call_out", "type": "make-outgoing-call-v2",
 *   "transitions": [{ "event": "answered", "next": "greet" }, { "event": "busy" }, { "event": "noAnswer" }, { "event": "failed" }],
 *   "properties": { "from": "{{flow.channel.address}}", "to": "{{contact.channel.address}}", "timeout": 60,
 *     "record": false, "detect_answering_machine": true, "machine_detection": "Enable", "machine_detection_timeout": "30" } }
 */
export const makeOutgoingCallV2: WidgetBehaviour<Props> = {
  type: 'make-outgoing-call-v2',
  parse: (properties) => parseProperties('make-outgoing-call-v2', makeOutgoingCallV2Props, properties),
  run: async (run) => callOutcome(await run.host.placeCall(outgoingCall(run))),
};

/** The call to place, with Twilio's Calls API option names; empty options are left out. */
export function outgoingCall({ name, stepSid, props, context, render }: WidgetRun<Props>): OutgoingCall {
  const options: Record<string, string> = {};
  const set = (key: string, v: unknown) => {
    const text = attribute(v, render);
    if (text !== undefined) options[key] = String(text);
  };
  set('Timeout', props.timeout);
  if (truthy(attribute(props.record, render))) {
    options.Record = 'true';
    set('RecordingChannels', props.recording_channels);
    set('RecordingStatusCallback', props.recording_status_callback);
    const trim = attribute(props.trim, render);
    if (trim !== undefined) options.Trim = TRIM[String(trim).toLowerCase()] ?? String(trim);
  }
  if (truthy(attribute(props.detect_answering_machine, render))) {
    set('MachineDetection', props.machine_detection);
    set('MachineDetectionTimeout', props.machine_detection_timeout);
    set('MachineDetectionSpeechThreshold', props.machine_detection_speech_threshold);
    set('MachineDetectionSpeechEndThreshold', props.machine_detection_speech_end_threshold);
    set('MachineDetectionSilenceTimeout', props.machine_detection_silence_timeout);
  }
  set('SendDigits', props.send_digits);
  set('SipAuthUsername', props.sip_auth_username);
  set('SipAuthPassword', props.sip_auth_password);
  return {
    widget: name,
    stepSid,
    idempotencyKey: `${context.flow.sid}:${stepSid}`,
    to: render(props.to ?? '{{contact.channel.address}}').trim(),
    from: render(props.from ?? '{{flow.channel.address}}').trim(),
    options,
  };
}

/** How the call went: answered (the default: the host reports no status once answered) or not. */
export function callOutcome(result: PlaceCallResult & { readonly status?: string }): WidgetOutcome {
  if (!result.ok) return { event: 'failed', outputs: {}, error: { code: result.code, message: result.message } };
  const status = (result.status ?? 'answered').toLowerCase();
  if (status === 'busy') return { event: 'busy', outputs: result.call };
  if (status === 'no-answer') return { event: 'noAnswer', outputs: result.call };
  if (status === 'failed' || status === 'canceled') {
    return { event: 'failed', outputs: result.call, error: { code: 'call:failed', message: `The outgoing call ended "${status}" before it was answered` } };
  }
  return { event: 'answered', outputs: result.call };
}
