import { z } from 'zod';
import { defineWidget } from '../widget-spec';
import { booleanLike, integerLike, offset, oneOf, text } from '../values';

/**
 * Make Outgoing Call — places a call from `from` to `to` through the Voice Calls API; once
 * answered, the execution drives that call.
 */
export const makeOutgoingCallV2 = defineWidget({
  type: 'make-outgoing-call-v2',
  label: 'Make Outgoing Call',
  events: ['answered', 'busy', 'noAnswer', 'failed'],
  failureEvent: 'failed',
  outputs: ['CallSid', 'CallStatus', 'AnsweredBy', 'MachineDetectionDuration', 'Direction', 'To', 'From'],
  editor: {
    group: 'Voice',
    defaults: { from: '{{flow.channel.address}}', to: '{{contact.channel.address}}' },
    advanced: ['record', 'recording_channels', 'recording_status_callback', 'trim', 'detect_answering_machine', 'machine_detection', 'machine_detection_timeout', 'machine_detection_speech_threshold', 'machine_detection_speech_end_threshold', 'machine_detection_silence_timeout', 'send_digits', 'sip_auth_username', 'sip_auth_password'],
  },
  properties: z.looseObject({
    from: text,
    to: text,
    record: booleanLike.optional(),
    recording_channels: oneOf(['mono', 'dual']).optional(),
    recording_status_callback: text.optional(),
    // "true"/"false" too: an older Studio form wrote a boolean string here (seen in real exports).
    trim: oneOf(['trim-silence', 'do-not-trim', 'true', 'false']).optional(),
    detect_answering_machine: booleanLike.optional(),
    machine_detection: oneOf(['Enable', 'DetectMessageEnd']).optional(),
    machine_detection_timeout: integerLike.optional(),
    machine_detection_speech_threshold: integerLike.optional(),
    machine_detection_speech_end_threshold: integerLike.optional(),
    machine_detection_silence_timeout: integerLike.optional(),
    send_digits: text.optional(),
    timeout: integerLike.optional(),
    sip_auth_username: text.optional(),
    sip_auth_password: text.optional(),
    offset: offset.optional(),
  }),
});
