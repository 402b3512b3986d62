import { CALLBACK_URL, callParams, type TwimlNode } from '../engine/voice';
import type { WidgetBehaviour } from '../engine/widget';
import { parseProperties } from './parse';
import { recordVoicemailProps } from './readers.generated';
import { type Infer } from './props';
import { attribute, attributes, voiceOutcome } from './voice';


/**
 * Record Voicemail — records the caller with `<Record>` until silence (`timeout`), a finish key
 * or `max_length`. Twilio calls back with `RecordingUrl`, `RecordingDuration`, `RecordingSid`
 * and `Digits`: a recording with sound is `recordingComplete`, an empty one `noAudio`, and a
 * caller who hung up to end it (`Digits=hangup`) is `hangup` (the recording is still published).
 *
 * @example
 * { "name": "voicemail", "type": "record-voicemail",
 *   "transitions": [{ "event": "recordingComplete", "next": "thanks" }, { "event": "noAudio" }, { "event": "hangup" }],
 *   "properties": { "timeout": 5, "max_length": 3600, "finish_on_key": "#", "play_beep": "true", "trim": "trim-silence" } }
 */
export const recordVoicemail: WidgetBehaviour<Infer<typeof recordVoicemailProps>> = {
  type: 'record-voicemail',
  parse: (properties) => parseProperties('record-voicemail', recordVoicemailProps, properties),
  run: async ({ name, stepSid, props, render, host }) => {
    const record: TwimlNode = {
      verb: 'Record',
      attributes: attributes({
        action: CALLBACK_URL,
        method: 'POST',
        timeout: attribute(props.timeout, render),
        maxLength: attribute(props.max_length, render),
        finishOnKey: attribute(props.finish_on_key, render),
        transcribe: attribute(props.transcribe, render),
        transcribeCallback: attribute(props.transcription_callback_url, render),
        trim: attribute(props.trim, render),
        playBeep: attribute(props.play_beep, render),
        recordingStatusCallback: attribute(props.recording_status_callback_url, render),
      }),
    };
    const outcome = await host.voice({ widget: name, stepSid, twiml: [record], awaitCallback: true });
    return voiceOutcome(name, outcome, (params) => {
      const outputs = callParams(params);
      if (params.Digits === 'hangup') return { event: 'hangup', outputs };
      const url = typeof params.RecordingUrl === 'string' && params.RecordingUrl !== '';
      const duration = params.RecordingDuration;
      if (url && duration !== '0' && duration !== 0) return { event: 'recordingComplete', outputs };
      return { event: 'noAudio', outputs };
    });
  },
};
