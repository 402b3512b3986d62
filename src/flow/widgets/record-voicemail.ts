import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, integerLike, offset, oneOf, text } from '../values';

/** Record Voicemail — records the caller until silence, the finish key or the maximum length. */
export const recordVoicemail = defineWidget({
  type: 'record-voicemail',
  label: 'Record Voicemail',
  events: ['recordingComplete', 'noAudio', 'hangup'],
  onCall: true,
  outputs: ['RecordingUrl', 'RecordingDuration', 'RecordingSid', 'Digits', 'CallStatus'],
  editor: {
    group: 'Voice',
    namePrefix: 'record_voicemail',
    advanced: ['transcription_callback_url', 'recording_status_callback_url', 'trim'],
  },
  properties: z.looseObject({
    timeout: integerLike.optional(),
    max_length: integerLike.optional(),
    finish_on_key: text.optional(),
    transcribe: booleanLike.optional(),
    transcription_callback_url: text.optional(),
    trim: oneOf(['trim-silence', 'do-not-trim']).optional(),
    play_beep: booleanLike.optional(),
    recording_status_callback_url: text.optional(),
    offset: offset.optional(),
  }),
});
